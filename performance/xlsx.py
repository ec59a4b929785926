"""The year summary as a workbook (openpyxl). Text cells that a spreadsheet would run as a formula are
escaped with a leading apostrophe."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from accounts.exports import safe_cell
from haidian_contest import formatting

cell = safe_cell


def _money(text: str):
    # The summary carries money as "1,234.00" text; the sheet wants numbers to add up.
    return Decimal(text.replace(",", "")) if text else None


def year_workbook(data: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "年度汇总"
    ws.append([f"{data['cycle']}年度海淀区职工职业技能竞赛项目汇总"])
    ws["A1"].font = Font(bold=True, size=14)
    rows = [
        ("已提交申报（项）", data["submitted"]),
        ("立项项目（项）", data["approved"]),
        ("竞赛工种（个）", data["trades"]),
        ("传统类工种（个）", data["traditional"]),
        ("传统类占比（二（一）1，≤40%）", data["traditional_share"]),
        ("创新类工种（个）", data["innovative"]),
        ("创新类占比（二（一）2，≥60%）", data["innovative_share"]),
        ("取证工种（个）", data["certifiable"]),
        ("取证工种占比（一（四））", data["certifiable_share"]),
        ("总预算（元）", _money(data["budget"])),
        ("核定补助（元）", _money(data["subsidy"])),
        ("已拨付（元）", _money(data["paid"])),
    ]
    for label, value in rows:
        ws.append([label, cell(value)])
    for f in data["findings"]:
        ws.append(["提示", cell(f["message"])])
    ws.append([])
    ws.append(["按状态", "项目数"])
    for row in data["status_counts"]:
        ws.append([row["status"], row["count"]])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60

    detail = wb.create_sheet("项目明细")
    headers = ["竞赛名称", "申报单位", "状态", "区总工会角色", "工种数", "传统类", "创新类", "取证工种",
               "总预算（元）", "核定补助（元）", "已拨付（元）"]
    detail.append(headers)
    for c in detail[1]:
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center")
    for p in data["projects"]:
        detail.append([cell(p["title"]), cell(p["organization"]), p["status"], p["union_role"], p["trades"],
                       p["traditional"], p["innovative"], p["certifiable"], _money(p["budget"]),
                       _money(p["subsidy"]), _money(p["paid"])])
    for row in detail.iter_rows(min_row=2, min_col=9, max_col=11):
        for c in row:
            c.number_format = formatting.XLSX_FORMAT
    for letter, width in zip("ABCDEFGHIJK", (48, 32, 16, 12, 8, 8, 8, 10, 16, 16, 16), strict=True):
        detail.column_dimensions[letter].width = width
    for c in ws["B"][1:]:
        if isinstance(c.value, Decimal):
            c.number_format = formatting.XLSX_FORMAT
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
