"""The filled 申报表 as .xlsx (laid out like the official form) and as PDF (WeasyPrint)."""

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from accounts.exports import safe_cell
from haidian_contest import documents
from haidian_contest.rules.choices import ORG_TYPE_LABELS

from . import live
from .models import Application

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "海淀区职工职业技能大赛职业项目（工种）申报表"
MONEY = "#,##0.00"
COLS = 14
WIDTHS = [6, 12, 22, 12, 9, 16, 10, 16, 12, 12, 16, 14, 14, 10]
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def safe_text(value) -> str:
    """Spreadsheet programs run a cell that starts with = + - @ as a formula: keep it text."""
    return safe_cell("" if value is None else str(value))


def filename(application: Application, ext: str) -> str:
    title = re.sub(r'[\\/:*?"<>|\s]+', "_", application.title)[:60]
    return f"申报表_{application.cycle}_{title}.{ext}"


class Sheet:
    def __init__(self, ws):
        self.ws, self.row = ws, 1

    def cell(self, col, value, *, bold=False, fill=None, fmt=None, align=WRAP, span=1):
        ws = self.ws
        if isinstance(value, str) or value is None:
            value = safe_text(value)
        cell = ws.cell(row=self.row, column=col, value=value)
        cell.alignment, cell.border = align, BOX
        if bold:
            cell.font = Font(bold=True)
        if fill:
            cell.fill = fill
        if fmt:
            cell.number_format = fmt
        if span > 1:
            for extra in range(col + 1, col + span):
                ws.cell(row=self.row, column=extra).border = BOX
            ws.merge_cells(start_row=self.row, start_column=col, end_row=self.row, end_column=col + span - 1)
        return cell

    def section(self, title):
        self.row += 1
        self.cell(1, title, bold=True, fill=HEAD_FILL, span=COLS)
        self.row += 1

    def pairs(self, *items):
        """label, value, label, value … across the sheet; the last value takes the remaining columns."""
        spans = {2: [(1, 3), (4, 11)], 4: [(1, 2), (3, 5), (8, 2), (10, 5)]}[len(items)]
        for (col, span), value in zip(spans, items, strict=True):
            is_label = spans.index((col, span)) % 2 == 0
            self.cell(col, value, bold=is_label, fill=HEAD_FILL if is_label else None, span=span)
        self.row += 1

    def header(self, titles: list[tuple[str, int]]):
        col = 1
        for title, span in titles:
            self.cell(col, title, bold=True, fill=HEAD_FILL, align=CENTER, span=span)
            col += span
        self.row += 1

    def values(self, values: list[tuple[object, int, str | None]]):
        col = 1
        for value, span, fmt in values:
            self.cell(col, value, fmt=fmt, span=span, align=CENTER if fmt else WRAP)
            col += span
        self.row += 1


def _share(subsidy, budget):
    # A ratio written as a number cell (percent format); openpyxl stores Decimal as it is.
    return (subsidy / budget).quantize(Decimal("0.0001")) if budget else None


def application_xlsx(application: Application) -> bytes:
    """`application` loaded with selectors.application_with_trades."""
    wb = Workbook()
    ws = wb.active
    ws.title = "申报表"
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    s = Sheet(ws)
    s.cell(1, TITLE, bold=True, align=CENTER, span=COLS).font = Font(bold=True, size=16)
    ws.row_dimensions[1].height = 30
    s.row += 1
    s.cell(1, f"竞赛年度：{application.cycle}　　状态：{application.status_label}"
              + (f"　　提交版本：第 {application.submitted_version} 版" if application.submitted_version else ""),
           span=COLS)
    s.row += 1

    org = application.lead_organization
    s.section("一、申报单位基本情况")
    s.pairs("申报（牵头）单位", org.name, "单位类型", ORG_TYPE_LABELS.get(org.org_type, org.org_type))
    s.pairs("项目联系人", application.contact_person, "联系电话", application.contact_phone)
    co = application.co_applicants.all()
    s.pairs("联合申报单位", "；".join(f"{c.name}（{c.get_org_type_display()}）" for c in co) or "无（单独申报）")
    s.pairs("竞赛名称", application.title)
    dates = "—".join(d.isoformat() for d in (application.start_date, application.end_date) if d)
    s.pairs("竞赛时间", dates or "")

    s.section("二、竞赛方案")
    for _key, label, value in application.plan_sections():
        s.pairs(label, value)

    trades = list(application.trades.all())
    s.section("三、竞赛职业（工种）")
    s.header([("序号", 1), ("职业编码", 1), ("职业（工种）名称", 1), ("技能等级", 1), ("取证工种", 1),
              ("类别（领域）", 1), ("计划参赛人数", 1), ("竞赛场地", 1), ("初赛日期", 1), ("决赛日期", 1),
              ("评审方式", 1), ("总预算（元）", 1), ("申请补助（元）", 1), ("补助占比", 1)])
    for i, t in enumerate(trades, 1):
        name = t.name + (f"（参照：{t.standard_reference}）" if t.standard_reference and not t.occupation_id else "")
        category = t.get_category_display() + (f"（{t.get_field_display()}）" if t.field else "")
        s.values([(i, 1, "0"), (t.code or "非标准", 1, None), (name, 1, None), (t.get_level_display(), 1, None),
                  ("是" if t.certifiable else "否", 1, None), (category, 1, None), (t.planned_participants, 1, "0"),
                  (t.venue, 1, None), (t.preliminary_date, 1, "yyyy-mm-dd"), (t.final_date, 1, "yyyy-mm-dd"),
                  (t.judging_method, 1, None), (t.budget_total, 1, MONEY), (t.subsidy_requested, 1, MONEY),
                  (_share(t.subsidy_requested, t.budget_total), 1, "0.00%")])
    budget = sum((t.budget_total for t in trades), 0)
    subsidy = sum((t.subsidy_requested for t in trades), 0)
    certifiable = sum(1 for t in trades if t.certifiable)
    s.values([("合计", 3, None), (f"取证工种 {certifiable}/{len(trades)}", 3, None),
              (sum(t.planned_participants for t in trades), 1, "0"), ("", 4, None), (budget, 1, MONEY),
              (subsidy, 1, MONEY), (_share(subsidy, budget), 1, "0.00%")])

    s.section("四、评委（每个工种不少于 3 名）")
    s.header([("工种", 3), ("姓名", 2), ("工作单位", 3), ("职称/资格", 2), ("评审经历", 4)])
    for t in trades:
        for j in t.judges.all():
            s.values([(t.name, 3, None), (j.name, 2, None), (j.employer, 3, None), (j.title, 2, None),
                      (j.experience, 4, None)])

    s.section("五、奖项设置")
    s.header([("工种", 3), ("奖项", 2), ("获奖人数", 2), ("每人奖金（元）", 3), ("小计（元）", 4)])
    for t in trades:
        for p in t.prize_tiers.all():
            s.values([(t.name, 3, None), (p.get_rank_display(), 2, None), (p.count, 2, "0"),
                      (p.amount, 3, MONEY), (p.amount * p.count, 4, MONEY)])

    s.section("六、经费预算明细")
    s.header([("工种", 3), ("科目", 2), ("说明", 5), ("金额（元）", 4)])
    for t in trades:
        for line in t.budget_lines.all():
            s.values([(t.name, 3, None), (line.get_item_display(), 2, None), (line.description, 5, None),
                      (line.amount, 4, MONEY)])
        s.values([(f"{t.name} 小计", 10, None), (t.budget_total, 4, MONEY)])
    s.values([("预算总计", 10, None), (budget, 4, MONEY)])
    s.values([("申请区总工会补助合计", 10, None), (subsidy, 4, MONEY)])

    s.section("七、对照《管理办法》的检查结果及豁免理由")
    s.header([("条款", 2), ("检查结果", 7), ("可否豁免", 2), ("申请豁免理由", 3)])
    evaluation = live.for_saved(application)
    for row in evaluation.rows:
        f = row["finding"]
        s.values([(f.clause_label, 2, None), (f.message, 7, None), ("可豁免" if f.waivable else "不可豁免", 2, None),
                  (row["justification"], 3, None)])
    if not evaluation.rows:
        s.values([("—", 2, None), ("符合《管理办法》各项申报条件。", 12, None)])

    s.row += 1
    s.cell(1, "申报单位（盖章）：　　　　　　　　负责人（签字）：　　　　　　　　年　　月　　日", span=COLS)
    ws.row_dimensions[s.row].height = 40
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def application_pdf(application: Application, request=None) -> bytes:
    trades = list(application.trades.all())
    for t in trades:
        for tier in t.prize_tiers.all():
            tier.subtotal = tier.amount * tier.count
    evaluation = live.for_saved(application)
    return documents.render_pdf("applications/application_pdf.html", {
        "application": application,
        "trades": trades,
        "trade_rows": list(zip(trades, evaluation.trades, strict=True)),
        "evaluation": evaluation,
        "title": TITLE,
    })
