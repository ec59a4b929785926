"""Reading uploaded workbooks (.xlsx, .xls, .ods) with python-calamine, one row at a time."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from python_calamine import CalamineError, CalamineWorkbook

from haidian_contest import inspection

from .columns import Column, header_map

EXTENSIONS = (".xlsx", ".xls", ".ods")
HEADER_SEARCH_ROWS = 10
# Sheets of our own templates that hold help, a sample row or drop-down lists, never data.
AUXILIARY_SHEETS = frozenset({"填写说明", "职业（工种）列表"})
# openpyxl writes "'=…" for a cell we escaped; the quote is ours, not the user's.
_ESCAPED = frozenset("=+-@")  # "" (end of string) is not in it


class WorkbookError(Exception):
    """The file as a whole cannot be used; the message is Chinese and says what to do."""


@dataclass
class Sheet:
    rows: object  # iterator of (excel_row_number, cells)
    columns: dict[str, int]  # column key → index in cells
    header_row: int
    header: list
    sheet_name: str
    estimated_rows: int


def open_sheet(path: str, columns: tuple[Column, ...], tick=None) -> Sheet:
    """The first sheet that has the required headers, positioned after its header row.

    `tick` (the importer's heartbeat and clock) is called while the file is measured and between sheets."""
    tick = tick or (lambda: None)
    try:
        # Measured before calamine opens it: the reader holds whole sheets in memory, so a hostile
        # file (a zip bomb, a million rows, a cell far away, thousands of sheets) is refused while it costs nothing.
        inspection.check_workbook(path, tick=tick)
    except inspection.FileRefused as exc:
        raise WorkbookError(str(exc)) from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise WorkbookError("无法读取该文件：请上传 Excel（.xlsx / .xls）或 WPS/LibreOffice（.ods）表格。") from exc
    except Exception as exc:  # calamine raises its own subclasses for zip/xml damage
        raise WorkbookError("文件已损坏或不是有效的表格文件，请用 Excel 或 WPS 另存后重新上传。") from exc
    required = [c for c in columns if c.required]
    best_missing: list[str] | None = None
    for name in workbook.sheet_names:
        if name in AUXILIARY_SHEETS:
            continue
        tick()
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:  # noqa: BLE001 - chart sheets and the like cannot be read as data
            continue
        rows = sheet.iter_rows()
        for index, cells in enumerate(rows):
            if index >= HEADER_SEARCH_ROWS:
                break
            found = header_map(cells, columns)
            missing = [c.header for c in required if c.key not in found]
            if not missing:
                return Sheet(
                    rows=_data_rows(rows, index + 1),
                    columns=found,
                    header_row=index + 1,
                    header=list(cells),
                    sheet_name=name,
                    estimated_rows=max(sheet.height - index - 1, 0),
                )
            if found and (best_missing is None or len(missing) < len(best_missing)):
                best_missing = missing
    if best_missing:
        raise WorkbookError(f"表头缺少以下列：{'、'.join(best_missing)}。请使用系统提供的模板。")
    raise WorkbookError("未找到表头行（如“姓名”“身份证号”）。请使用系统提供的模板，表头放在第 1 行。")


def _data_rows(rows, header_row: int):
    for offset, cells in enumerate(rows, start=1):
        # Blank rows (often left at the end by WPS) are not data. any() alone is the fast path; a
        # row of zeros or FALSE is still data.
        if any(cells) or any(c is not None and c != "" for c in cells):
            yield header_row + offset, cells


def cell(cells, index: int | None):
    if index is None or index >= len(cells):
        return ""
    return cells[index]


def text(value) -> str:
    """A cell as the text a person sees."""
    if value.__class__ is str:
        value = value.strip()
        if value[:1] == "'" and value[1:2] in _ESCAPED:
            return value[1:]
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def lost_digits(value) -> bool:
    """An ID typed into a number cell: a double keeps only ~15 digits, so the tail is gone."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e15


def decimal(value) -> Decimal | None:
    """Money from a cell; floats go through their shortest repr so 6000.1 stays 6000.10."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        raw = repr(value)
    else:
        raw = text(value).replace(",", "").replace("，", "").replace("元", "").replace("¥", "").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


YES = frozenset({"是", "会员", "工会会员", "y", "yes", "true", "1", "√", "是会员"})
NO = frozenset({"否", "非会员", "不是", "n", "no", "false", "0", "×"})


def yes_no(value) -> bool | None:
    if value == "是":
        return True
    if value == "否":
        return False
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in YES:
        return True
    if word in NO:
        return False
    return None
