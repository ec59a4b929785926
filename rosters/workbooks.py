"""Workbooks we write with openpyxl: blank templates, and the upload handed back with its errors marked."""

from contextlib import suppress
from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from accounts.exports import safe_cell
from haidian_contest.rules.people import DOCUMENT_LABELS, id_check_char

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
TRADE_LIST_SHEET = "职业（工种）列表"
INSTRUCTIONS_SHEET = "填写说明"


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


def _list_validation(ws, letters: dict[str, str], key: str, formula: str, prompt: str, *, first_row: int = 2,
                     last_row: int = VALIDATION_ROWS) -> None:
    letter = letters.get(key)
    if letter is None:
        return
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                        errorTitle="输入有误", error=prompt, promptTitle="请选择", prompt=prompt, showInputMessage=True)
    dv.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.data_validations.append(dv)  # a write-only sheet has the list but not add_data_validation()


def _validations(ws, letters: dict[str, str], trade_list_rows: int, **rows) -> None:
    """The template's drop-down lists, on whichever columns hold those keys."""
    if trade_list_rows:
        _list_validation(ws, letters, "trade", f"'{TRADE_LIST_SHEET}'!$A$1:$A${trade_list_rows}",
                         "请从下拉列表中选择本项目的职业（工种）", **rows)
    _list_validation(ws, letters, "is_member", '"是,否"', "请填写“是”或“否”", **rows)
    _list_validation(ws, letters, "id_type", '"' + ",".join(DOCUMENT_LABELS.values()) + '"',
                     "可不填（按号码识别）；仅持护照的选“护照”", **rows)
    _list_validation(ws, letters, "rank", '"一等奖,二等奖,三等奖"', "请选择一等奖、二等奖或三等奖", **rows)


def _instructions(wb, columns, sample: list, notes: list[str]) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
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
        lists = wb.create_sheet(TRADE_LIST_SHEET)
        for index, choice in enumerate(trade_choices, start=1):
            lists.cell(row=index, column=1, value=escape(choice))
        lists.sheet_state = "hidden"
    _validations(ws, {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}, len(trade_choices))
    _instructions(wb, columns, sample, notes)
    wb.active = 0
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _plain(value):
    if isinstance(value, (datetime, date, int, float, bool)) or value is None:
        return value
    return escape(str(value))


TICK_ROWS = 1000  # rows written between two calls of the importer's clock


def _closing_on_raise(wb, tick):
    """The clock, closing the write-only workbook when it stops the work (the import ran out of time):
    left half-written to the garbage collector, openpyxl's writer raises inside lxml."""

    def checked() -> None:
        try:
            tick()
        except BaseException:
            for ws in wb.worksheets:
                with suppress(Exception):
                    ws.close()
            raise

    return checked


def _copy_sheet(wb, book: CalamineWorkbook, meta, tick) -> None:
    """Another sheet of the upload (the trade list, the instructions, the organizer's own), by value."""
    ws = wb.create_sheet(meta.name[:31])
    if meta.visible != SheetVisibleEnum.Visible:
        ws.sheet_state = "hidden"
    sheet = book.get_sheet_by_name(meta.name)
    offset_row, offset_col = sheet.start or (0, 0)
    width = 12
    for _ in range(offset_row):
        ws.append([])
    for count, cells in enumerate(sheet.iter_rows(), start=1):
        if count % TICK_ROWS == 0:
            tick()
        ws.append([None] * offset_col + [_plain(v) for v in cells])
        width = max(width, len(cells) + offset_col)
    if meta.name == INSTRUCTIONS_SHEET:
        for index in range(1, width + 1):
            ws.column_dimensions[get_column_letter(index)].width = 16


def annotate(path: str, sheet_name: str, columns: tuple[Column, ...], problems: Problems, header_row: int,
             tick=None) -> bytes:
    """The uploaded workbook again, every cell kept, bad cells filled red, and a “错误说明” column.

    Rebuilt as the template is (drop-down lists, column widths, ID and phone columns typed as text so a
    corrected number stays 18 digits, the other sheets), with the values the organizer sent. Written
    row by row (openpyxl write-only) so a 100,000-row file does not need the memory of a full
    workbook model; the values come from calamine, so .xls and .ods come back as .xlsx.
    """
    tick = tick or (lambda: None)  # the importer's clock: it raises once the import is out of time
    book = CalamineWorkbook.from_path(str(path))
    source = book.get_sheet_by_name(sheet_name)
    wb = Workbook(write_only=True)
    tick = _closing_on_raise(wb, tick)
    ws = wb.create_sheet(sheet_name[:31] or "Sheet1")
    offset = (source.start or (0, 0))[1]  # calamine drops leading empty columns
    rows = source.iter_rows()
    before_header = [list(cells) for _, cells in zip(range(header_row - 1), rows)]
    header: list = list(next(rows, []))
    found = header_map(header, columns)
    old_error = next((i for i, v in enumerate(header) if isinstance(v, str) and v.strip() == ERROR_HEADER), None)
    keep = [i for i in range(len(header)) if i != old_error]
    index_of = {key: keep.index(i) for key, i in found.items() if i in keep}
    by_key = {c.key: c for c in columns}
    column_at = {position: by_key[key] for key, position in index_of.items()}
    letters = {key: get_column_letter(offset + position + 1) for key, position in index_of.items()}
    text_positions = {position for position, column in column_at.items() if column.text}
    for position in range(offset + len(keep) + 1):
        ws.column_dimensions[get_column_letter(position + 1)].width = 16
    for position, column in column_at.items():
        dimension = ws.column_dimensions[get_column_letter(offset + position + 1)]
        dimension.width = column.width
        if column.text:
            # A column typed as text keeps all 18 digits when the organizer retypes a number here.
            dimension.number_format = "@"
    ws.column_dimensions[get_column_letter(offset + len(keep) + 1)].width = 60
    ws.freeze_panes = f"A{header_row + 1}"
    sheets = book.sheets_metadata
    trade_list = next((m for m in sheets if m.name == TRADE_LIST_SHEET), None)
    trade_rows = book.get_sheet_by_name(TRADE_LIST_SHEET).height if trade_list else 0
    _validations(ws, letters, trade_rows, first_row=header_row + 1, last_row=max(VALIDATION_ROWS, header_row + 1))

    def row_cells(values, marks=None):
        out = [_plain(v) for v in values]
        for position in text_positions.union(marks or ()):
            if position >= len(out):
                continue
            cell = out[position] = WriteOnlyCell(ws, value=out[position])
            if position in text_positions:
                cell.number_format = "@"
            if marks and position in marks:
                cell.fill = WAIVABLE_FILL if marks[position] else ERROR_FILL
        return [None] * offset + out

    for cells in before_header:
        ws.append([None] * offset + [_plain(v) for v in cells])
    head_cells = [None] * offset
    for position, i in enumerate(keep):
        cell = WriteOnlyCell(ws, value=_plain(header[i]))
        column = column_at.get(position)
        if column is not None:
            cell.fill = HEADER_FILL if column.required else OPTIONAL_FILL
            cell.font = HEADER_FONT
        else:
            cell.font = Font(bold=True)
        head_cells.append(cell)
    error_head = WriteOnlyCell(ws, value=ERROR_HEADER)
    error_head.font = Font(bold=True, color="9C0006")
    ws.append(head_cells + [error_head])
    for excel_row, cells in enumerate(rows, start=header_row + 1):
        if excel_row % TICK_ROWS == 0:
            tick()
        found_problems = problems.by_row.get(excel_row)
        values = [cells[i] if i < len(cells) else None for i in keep]
        if not found_problems:
            ws.append(row_cells(values))
            continue
        marks: dict[int, bool] = {}
        for problem in found_problems:
            position = index_of.get(problem.column)
            if position is not None:
                marks[position] = marks.get(position, True) and problem.waivable
        note = WriteOnlyCell(ws, value=escape("；".join(problems.describe(p) for p in found_problems)))
        note.font = ERROR_FONT
        ws.append(row_cells(values, marks) + [note])
    for meta in sheets:
        if meta.name != sheet_name:
            tick()
            _copy_sheet(wb, book, meta, tick)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
