"""The year ledger as an Excel workbook: amounts as numbers (0.00), Chinese headers, totals rows.

Every text cell goes through `safe`: a project title or voucher number typed as "=HYPERLINK(…)"
must reach the reader as text, never as a formula Excel would run.
"""

from io import BytesIO

from django.utils.timezone import localtime
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.exports import safe_cell

from .selectors import TRANCHE_LABELS, YearLedger

MONEY_FORMAT = "0.00"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


safe = safe_cell


def _sheet(wb, title, headers, rows, money_columns, totals=None, widths=None):
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append([safe(v) for v in row])
    if totals is not None:
        ws.append([safe(v) for v in totals])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    for col in money_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            if cell.value is not None:
                cell.number_format = MONEY_FORMAT
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return ws


def ledger_workbook(year: YearLedger) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    cycle = f"{year.cycle}年" if year.cycle else "全部年度"

    rows = []
    for p in year.projects:
        a, t1, t2 = p.agreement, p.tranche(1), p.tranche(2)
        rows.append([
            p.application.cycle, p.application.title, p.application.lead_organization.name,
            p.application.status_label, p.union_role_label, a.number if a else "",
            a.signed_on.isoformat() if a else "",
            p.scheduled, t1.scheduled or 0, t1.paid, t2.scheduled or 0, t2.paid, p.paid, p.outstanding,
        ])
    total = year.total
    by_tranche = dict(year.tranche_totals)
    t1, t2 = by_tranche[TRANCHE_LABELS[1]], by_tranche[TRANCHE_LABELS[2]]
    _sheet(
        wb, "项目台账",
        ["年度", "项目名称", "申报单位", "项目状态", "区总工会角色", "协议编号", "签订日期", "核定补助",
         "首笔应拨", "首笔已拨", "剩余应拨", "剩余已拨", "已拨合计", "未拨合计"],
        rows, money_columns=range(8, 15),
        totals=["合计", f"{total.count} 个项目", "", "", "", "", "", total.scheduled, t1.scheduled, t1.paid,
                t2.scheduled, t2.paid, total.paid, total.outstanding],
        widths=[8, 40, 28, 14, 12, 18, 12, 14, 14, 14, 14, 14, 14, 14],
    )

    entries = [(p, t, e) for p in year.projects for t in p.tranches for e in t.entries]
    _sheet(
        wb, "拨付明细",
        ["年度", "项目名称", "申报单位", "批次", "类型", "金额", "日期", "凭证号", "收款账户名称", "开户银行",
         "银行账号", "备注/原因", "逾期拨付原因", "经办人", "入账时间"],
        [
            [p.application.cycle, p.application.title, p.application.lead_organization.name,
             t.label, e.get_kind_display(), e.amount, e.paid_on.isoformat(),
             e.voucher_no, e.payee_name, e.payee_bank, e.payee_account, e.note, e.late_reason, str(e.created_by),
             localtime(e.created_at).strftime("%Y-%m-%d %H:%M")]
            for p, t, e in entries
        ],
        money_columns=[6],
        totals=["合计", f"{len(entries)} 笔", "", "", "净拨付", total.paid] + [""] * 9,
        widths=[8, 40, 28, 16, 8, 14, 12, 18, 28, 24, 22, 30, 30, 10, 18],
    )

    summary = [["按类别", label, v.count, v.scheduled, v.paid, v.outstanding] for label, v in year.by_category]
    summary += [["按区总工会角色", label, v.count, v.scheduled, v.paid, v.outstanding] for label, v in year.by_role]
    _sheet(
        wb, "分类汇总",
        ["汇总方式", "分组", "项目数", "核定补助", "已拨", "未拨"],
        summary, money_columns=[4, 5, 6],
        totals=[f"{cycle}合计", "", total.count, total.scheduled, total.paid, total.outstanding],
        widths=[16, 16, 10, 16, 16, 16],
    )
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
