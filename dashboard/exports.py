"""The year overview as an Excel workbook: the same Overview the page shows, figures and lists.

Amounts and counts are numbers (money "#,##0.00", shares "0.00%"), never text; every text cell is
escaped so a title typed as "=HYPERLINK(…)" stays text in Excel.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.exports import safe_cell
from haidian_contest import rules

from .figures import Overview
from .lists import materials, tranche_1_due, waivers

MONEY = "#,##0.00"
SHARE = "0.00%"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
CATEGORY_LABELS = dict(rules.CATEGORIES)


safe = safe_cell


def _sheet(wb, title, headers, rows, *, money=(), shares=(), widths=(), note=""):
    ws = wb.create_sheet(title)
    if note:
        ws.append([safe(note)])
        ws.append([])
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append([safe(v) for v in row])
    for columns, fmt in ((money, MONEY), (shares, SHARE)):
        for col in columns:
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=col, max_col=col):
                if cell.value is not None and not isinstance(cell.value, str):
                    cell.number_format = fmt
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return ws


def _summary_sheet(wb, ov: Overview):
    h = ov.headline()
    rows = [
        ["已提交申报（项）", h["submitted"], ""],
        ["已立项（项）", h["approved"], ""],
        ["申报工种（个，不含未通过）", h["trades_declared"], ""],
        ["立项工种（个）", h["trades_approved"], ""],
        ["计划参赛人数（人）", h["participants_planned"], ""],
        ["实际参赛人数（人，已导入名单）", h["participants_actual"], ""],
        ["立项总预算（元）", h["budget"], "money"],
        ["核定补助（元）", h["approved_subsidy"], "money"],
        ["协议约定补助（元）", h["scheduled"], "money"],
        ["首笔已拨（元）", h["paid_tranche_1"], "money"],
        ["剩余已拨（元）", h["paid_tranche_2"], "money"],
        ["已拨合计（元）", h["paid"], "money"],
        ["未拨（元，已签协议）", h["outstanding"], "money"],
        ["尚未签协议的核定补助（元）", h["unsigned_subsidy"], "money"],
    ]
    rows += [[f"状态：{state.label}（项）", n, ""] for state, n in ov.status_rows]
    ws = _sheet(wb, "概览", ["指标", "数值"], [r[:2] for r in rows], widths=(36, 18),
                note=f"{ov.scope.describe()} · 导出时间 {timezone.localtime():%Y-%m-%d %H:%M}")
    first = ws.max_row - len(rows) + 1
    for offset, row in enumerate(rows):
        if row[2] == "money":
            ws.cell(row=first + offset, column=2).number_format = MONEY


def _plan_sheet(wb, ov: Overview):
    plan = ov.plan
    columns = [("已立项", plan.before)]
    if plan.included:
        columns.append(("含选中的待审议项目", plan.after))
    rows = [
        ["工种总数", *[p.total for _l, p in columns]],
        ["传统类工种", *[p.traditional for _l, p in columns]],
        [f"传统类占比（≤ {plan.limit:.0%}）", *[p.traditional_share for _l, p in columns]],
        ["创新类工种", *[p.innovative for _l, p in columns]],
        [f"创新类占比（≥ {plan.innovative_floor:.0%}）", *[p.innovative_share for _l, p in columns]],
        ["取证工种", *[p.certifiable for _l, p in columns]],
        [f"取证工种占比（≥ {plan.certifiable_floor:.0%}）", *[p.certifiable_share for _l, p in columns]],
        ["总预算（元）", *[p.budget for _l, p in columns]],
        ["区总工会补助（元）", *[p.subsidy for _l, p in columns]],
    ]
    rows += [[f"{f.clause_label}（{'可豁免' if f.waivable else '不可豁免'}）", f.message] for f in plan.findings]
    scope = "全年计划" if plan.whole_year else "筛选范围内（二（一）按全年计划判断，此处仅供参考）"
    ws = _sheet(wb, "工种结构", ["指标", *[label for label, _p in columns]], rows, widths=(34, 22, 22),
                note=f"{ov.scope.describe()} · {scope}")
    start = ws.max_row - len(rows) + 1
    for offset, row in enumerate(rows[:9]):
        fmt = SHARE if "占比" in row[0] else MONEY if "元" in row[0] else None
        for col in range(2, 2 + len(columns)):
            if fmt:
                ws.cell(row=start + offset, column=col).number_format = fmt


def overview_workbook(ov: Overview) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, ov)
    _plan_sheet(wb, ov)
    shares = ov.subsidy_shares()
    _sheet(wb, "工种补助占比", ["项目", "工种", "类别", "总预算（元）", "补助（元）", "补助占比", "标准线", "是否偏离", "条款"],
           [[r["trade"].project, r["trade"].name, CATEGORY_LABELS.get(r["trade"].category, ""), r["trade"].budget,
             r["trade"].subsidy, r["share"], r["line"], "偏离" if r["findings"] else "符合",
             "；".join(f"{f.clause_label}（{'可豁免' if f.waivable else '不可豁免'}）" for f in r["findings"])]
            for r in shares],
           money=(4, 5), shares=(6, 7), widths=(40, 26, 8, 14, 14, 10, 10, 10, 24))
    _sheet(wb, "状态漏斗", ["环节", "项目数"], [list(s) for s in ov.funnel()], widths=(16, 10))
    months = ov.payments_by_month()
    _sheet(wb, "按月拨付", ["月份", "首笔（元）", "剩余（元）", "合计（元）"],
           [[m, t1, t2, t1 + t2] for m, t1, t2 in months], money=(2, 3, 4), widths=(12, 16, 16, 16),
           note="按台账记账日期汇总，冲销记在冲销当月（净额）。")
    _sheet(wb, "创新类领域", ["领域", "工种数", "补助（元）"], [[label, n, s] for _k, label, n, s in ov.fields()],
           money=(3,), widths=(28, 10, 16))
    soon, overdue = materials(ov)
    _sheet(wb, "材料7日内到期", ["项目", "申报单位", "截止日期", "剩余天数"],
           [[r.application.title, r.application.lead_organization.name, r.due, r.days_left] for r in soon],
           widths=(40, 28, 12, 10))
    _sheet(wb, "材料逾期", ["项目", "申报单位", "截止日期", "逾期天数"],
           [[r.application.title, r.application.lead_organization.name, r.due, r.days_overdue] for r in overdue],
           widths=(40, 28, 12, 10))
    _sheet(wb, "首笔待拨", ["项目", "申报单位", "比赛开始", "距开始（天）", "首笔金额（元）", "协议编号"],
           [[r.application.title, r.application.lead_organization.name, r.start, r.days_to_start, r.amount,
             r.agreement_number or "未签协议"] for r in tranche_1_due(ov)],
           money=(5,), widths=(40, 28, 12, 12, 16, 18))
    _sheet(wb, "豁免记录", ["项目", "申报单位", "环节", "条款", "涉及", "问题", "申报单位理由", "决定理由", "决定人", "日期"],
           [[w.project, w.organization, w.source, w.clause_label, w.subject, w.message, w.justification, w.reason,
             w.decided_by, w.decided_on] for w in waivers(ov)],
           widths=(36, 24, 20, 10, 20, 40, 40, 30, 10, 12))
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
