"""Downloads: blank templates for a project, and the current roster or winners list as a workbook."""

from io import BytesIO
from urllib.parse import quote

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from haidian_contest import rules
from haidian_contest.rules.base import yuan
from haidian_contest.rules.choices import RANK_LABELS

from . import selectors, services
from .importing.columns import FIRST_PRIZE_COLUMNS, ROSTER_COLUMNS, WINNER_COLUMNS
from .importing.trades import ProjectTrades
from .models import RosterVersion
from .workbooks import build_template, escape, sample_id

Kind = RosterVersion.Kind
ROSTER_NOTES = [
    "1. 每位参赛选手一行，须实名登记并填写证件号码（一（七））：居民身份证、港澳台居民居住证或外国人永久居留身份证；"
    "仅持外国护照的，填写护照号码并在“证件类型”列填“护照”，须说明理由，由职工发展部审核。",
    "2. 同一竞赛周期内每人只能报名一个职业（工种）；"
    "曾获某职业（工种）一等奖的，不得再次参加该职业（工种）竞赛（二（四））。",
    "3. 非工会会员可以个人身份参赛，请如实填写“是否工会会员”（一（九））。",
    "4. 支持 .xlsx、.xls（WPS / 旧版 Excel）和 .ods 格式；请勿修改表头文字。",
    "5. 上传后系统逐行校验：有任何错误则整表不导入，可下载标注了错误的表格，修改后重新上传。",
]


def winner_notes() -> list[str]:
    caps = rules.ruleset_for(timezone.localdate()).prize_caps
    limits = "、".join(f"{RANK_LABELS[rank]}不超过 {yuan(cap)}" for rank, cap in sorted(caps.items()))
    return [
        "1. 获奖选手必须在本项目已导入的参赛选手名单中，且职业（工种）一致（一（七））。",
        f"2. 每人奖金：{limits}；超过的须在“豁免理由”列说明理由（二（四），创新类可适当提高）。",
        "3. “参赛经历说明”填写选手参加初赛、决赛的时间和成绩。",
    ]


FIRST_PRIZE_NOTES = [
    "1. 历年竞赛一等奖获得者名录：身份证号只用于比对（系统保存密钥摘要、打码号码和加密后的号码），不会显示完整号码。",
    "2. 名录中的选手不得再次参加同一职业（工种）的竞赛（二（四））。",
]


def attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def template_for(application, kind: str) -> tuple[bytes, str]:
    trades = ProjectTrades(application)
    choices = [ref.choice for ref in trades.refs]
    first = choices[0] if choices else "4-04-05-05 人工智能训练师"
    if kind == Kind.ROSTER:
        sample = ["张三", sample_id(), "居民身份证", "13800138000", "北京示例科技有限公司", first, "是"]
        content = build_template(ROSTER_COLUMNS, title="参赛选手名单", trade_choices=choices, sample=sample,
                                 notes=ROSTER_NOTES)
        return content, f"参赛选手名单模板_{application.pk}.xlsx"
    sample = ["张三", sample_id(), first, "一等奖", 5000, "2026年7月参加初赛，9月决赛成绩第一名。", ""]
    content = build_template(WINNER_COLUMNS, title="获奖名单", trade_choices=choices, sample=sample,
                             notes=winner_notes())
    return content, f"获奖名单模板_{application.pk}.xlsx"


def first_prize_template() -> tuple[bytes, str]:
    sample = ["李四", sample_id("110105", "19880512", "321"), "4-04-05-05", "人工智能训练师", 2024]
    content = build_template(FIRST_PRIZE_COLUMNS, title="历年一等奖名录", trade_choices=[], sample=sample,
                             notes=FIRST_PRIZE_NOTES)
    return content, "历年一等奖名录模板.xlsx"


def _bold_row(ws, values):
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def export_current(*, application, actor, kind: str, full: bool = False,
                   ip: str = "") -> tuple[bytes | None, str]:
    """The roster or winners in force, with ID and phone masked unless the user's role needs them
    (asking for the full numbers is itself logged as a view)."""
    version = selectors.current_version(application, kind)
    if version is None:
        return None, ""
    wb = Workbook(write_only=True)
    if kind == Kind.ROSTER:
        rows = selectors.participants(application)
        if full:
            services.log_full_export(actor=actor, version=version, count=version.row_count, ip=ip)
        ws = wb.create_sheet("参赛选手名单")
        ws.append(_bold_row(ws, ["序号", "姓名", "身份证号", "证件类型", "手机号", "工作单位", "职业（工种）",
                                 "是否工会会员"]))
        for index, p in enumerate(rows.iterator(chunk_size=2000), start=1):
            ws.append([index, escape(p.name), p.id_number if full else p.id_masked, p.get_id_type_display(),
                       (p.phone if full else p.phone_masked), escape(p.employer), p.trade.name,
                       "是" if p.is_member else "否"])
        name = f"参赛选手名单_第{version.number}版.xlsx"
    else:
        rows = selectors.winners(application)
        if full:
            services.log_full_export(actor=actor, version=version, count=version.row_count, ip=ip)
        ws = wb.create_sheet("获奖名单")
        ws.append(_bold_row(ws, ["序号", "姓名", "身份证号", "职业（工种）", "奖项", "奖金（元）", "参赛经历说明",
                                 "豁免理由"]))
        for index, w in enumerate(rows, start=1):
            p = w.participant
            ws.append([index, escape(p.name), p.id_number if full else p.id_masked, w.trade.name,
                       RANK_LABELS[w.rank], w.amount, escape(w.note), escape(w.waiver_reason)])
        name = f"获奖名单_第{version.number}版.xlsx"
    out = BytesIO()
    wb.save(out)
    return out.getvalue(), name
