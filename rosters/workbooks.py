"""Workbooks we write with openpyxl: blank templates, and the upload handed back with its errors marked."""

from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from accounts.exports import safe_cell
from haidian_contest.rules.people import id_check_char

from .importing.columns import ERROR_HEADER, Column, header_map
from .importing.problems import Problems

HEADER_FILL = PatternFill("solid", fgColor="B0161E")
OPTIONAL_FILL = PatternFill("solid", fgColor="6C757D")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
WAIVABLE_FILL = PatternFill("solid", fgColor="FFEB9C")
ERROR_FONT = Font(color="9C0006")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VALIDATION_ROWS = 20000


escape = safe_cell  # a cell that begins with = + - @ would run as a formula in Excel or WPS


def sample_id(region: str = "110108", born: str = "19900307", seq: str = "123") -> str:
    first17 = region + born + seq
    return first17 + id_check_char(first17)


def _header(ws, columns: tuple[Column, ...]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.fill = HEADER_FILL if column.required else OPTIONAL_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if column.hint:
            cell.comment = Comment(column.hint, "系统")
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.text:
            # A column typed as text keeps all 18 digits; a number cell would round them away.
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"


def _list_validation(ws, columns, key: str, formula: str, prompt: str) -> None:
    keys = [c.key for c in columns]
    if key not in keys:
        return
    letter = get_column_letter(keys.index(key) + 1)
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle="输入有误", error=prompt, promptTitle="请选择", prompt=prompt, showInputMessage=True)
    dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
    ws.add_data_validation(dv)


def _instructions(wb, columns, sample: list, notes: list[str]) -> None:
    ws = wb.create_sheet("填写说明")
    ws["A1"] = "填写说明"
    ws["A1"].font = Font(bold=True, size=14)
    row = 3
    for note in notes:
        ws.cell(row=row, column=1, value=note)
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="各列要求").font = Font(bold=True)
    for column in columns:
        row += 1
        ws.cell(row=row, column=1, value=column.header)
        ws.cell(row=row, column=2, value="必填" if column.required else "选填")
        ws.cell(row=row, column=3, value=column.hint)
    row += 2
    ws.cell(row=row, column=1, value="示例（请在第一个工作表中填写，本页内容不会导入）").font = Font(bold=True)
    row += 1
    for index, column in enumerate(columns, start=1):
        ws.cell(row=row, column=index, value=column.header).font = Font(bold=True)
        ws.cell(row=row + 1, column=index, value=escape(sample[index - 1]))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(column.width, 12)


def build_template(columns: tuple[Column, ...], *, title: str, trade_choices: list[str], sample: list,
                   notes: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    _header(ws, columns)
    if trade_choices:
        lists = wb.create_sheet("职业（工种）列表")
        for index, choice in enumerate(trade_choices, start=1):
            lists.cell(row=index, column=1, value=escape(choice))
        lists.sheet_state = "hidden"
        _list_validation(ws, columns, "trade", f"'职业（工种）列表'!$A$1:$A${len(trade_choices)}",
                         "请从下拉列表中选择本项目的职业（工种）")
    _list_validation(ws, columns, "is_member", '"是,否"', "请填写“是”或“否”")
    _list_validation(ws, columns, "rank", '"一等奖,二等奖,三等奖"', "请选择一等奖、二等奖或三等奖")
    _instructions(wb, columns, sample, notes)
    wb.active = 0
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _plain(value):
    if isinstance(value, (datetime, date, int, float, bool)) or value is None:
        return value
    return escape(str(value))


def annotate(path: str, sheet_name: str, columns: tuple[Column, ...], problems: Problems, header_row: int) -> bytes:
    """The uploaded sheet again, every cell kept, bad cells filled red, and a “错误说明” column.

    Written row by row (openpyxl write-only) so a 100,000-row file does not need the memory of a
    full workbook model; the values come from calamine, so .xls and .ods come back as .xlsx.
    """
    source = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet_name)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name[:31] or "Sheet1")
    offset = (source.start or (0, 0))[1]  # calamine drops leading empty columns
    rows = source.iter_rows()
    before_header = [list(cells) for _, cells in zip(range(header_row - 1), rows)]
    header: list = list(next(rows, []))
    found = header_map(header, columns)
    old_error = next((i for i, v in enumerate(header) if isinstance(v, str) and v.strip() == ERROR_HEADER), None)
    keep = [i for i in range(len(header)) if i != old_error]
    index_of = {key: keep.index(i) for key, i in found.items() if i in keep}
    for position in range(offset + len(keep) + 1):
        ws.column_dimensions[get_column_letter(position + 1)].width = 16
    ws.column_dimensions[get_column_letter(offset + len(keep) + 1)].width = 60
    for cells in before_header:
        ws.append([None] * offset + [_plain(v) for v in cells])
    head_cells = [None] * offset
    for i in keep:
        cell = WriteOnlyCell(ws, value=_plain(header[i]))
        cell.font = Font(bold=True)
        head_cells.append(cell)
    error_head = WriteOnlyCell(ws, value=ERROR_HEADER)
    error_head.font = Font(bold=True, color="9C0006")
    ws.append(head_cells + [error_head])
    for excel_row, cells in enumerate(rows, start=header_row + 1):
        found_problems = problems.by_row.get(excel_row)
        values = [cells[i] if i < len(cells) else None for i in keep]
        if not found_problems:
            ws.append([None] * offset + [_plain(v) for v in values])
            continue
        marks: dict[int, bool] = {}
        for problem in found_problems:
            position = index_of.get(problem.column)
            if position is not None:
                marks[position] = marks.get(position, True) and problem.waivable
        out = [None] * offset
        for position, value in enumerate(values):
            cell = WriteOnlyCell(ws, value=_plain(value))
            if position in marks:
                cell.fill = WAIVABLE_FILL if marks[position] else ERROR_FILL
            out.append(cell)
        note = WriteOnlyCell(ws, value=escape("；".join(problems.describe(p) for p in found_problems)))
        note.font = ERROR_FONT
        ws.append(out + [note])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
