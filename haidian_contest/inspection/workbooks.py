"""Spreadsheets measured before any reader opens them: rows, columns, cells and the longest cell.

The reader (calamine) holds a sheet as a dense block of rows × columns cells, so one cell far
down or far right costs as much as a full sheet, and one cell of a gigabyte of text costs a
gigabyte. These scans stream the file and keep only counters, so they cost a few megabytes
whatever the file claims; a real roster passes them at a fraction of the reader's own time.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from .archives import inflate, open_checked
from .errors import FileRefused
from .limits import Limits, current

WHAT = "表格文件"
# A block handed to the counters ends at a row's end, so a row is never split; a "row" longer
# than this is not a row of a roster.
MAX_CARRY = 32 * 1024 * 1024
# A carry longer than this is searched for an over-long cell at every chunk, so a cell of 250 MB
# is refused after a megabyte or two of it, not after the whole carry has been held and copied.
CHECKED_CARRY = 1024 * 1024
# Called while a workbook is measured (about once a megabyte): the importer's heartbeat and clock.
Tick = Callable[[], None]


def _no_tick() -> None:
    return None


@dataclass
class SheetExtent:
    name: str
    rows: int = 0  # the last row that holds anything
    columns: int = 0  # the last column that holds anything
    partial: bool = False  # counting stopped at the first limit passed: "at least" so many

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass(frozen=True)
class WorkbookFacts:
    sheets: tuple[SheetExtent, ...]

    @property
    def rows(self) -> int:
        return max((s.rows for s in self.sheets), default=0)


def check_workbook(path, limits: Limits | None = None, tick: Tick | None = None) -> WorkbookFacts:
    """Measure an .xlsx, .xls or .ods file (a path, a binary file or bytes), whatever its name; FileRefused with a Chinese message past any limit.

    `tick` is called as the scan goes (about once a megabyte); it may raise to stop the scan."""
    limits = limits or current()
    tick = tick or _no_tick
    if isinstance(path, (bytes, bytearray)):
        path = io.BytesIO(path)
    if hasattr(path, "read"):
        path.seek(0)
        head = path.read(8)
        path.seek(0)
    else:
        with open(path, "rb") as handle:
            head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        archive = open_checked(path, limits, WHAT)
        with archive:
            names = set(archive.namelist())
            if "content.xml" in names:
                sheets = _ods(archive, limits, tick)
            else:
                sheets = _xlsx(archive, limits, tick)
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        sheets = _xls(path, limits, tick)
    else:
        return WorkbookFacts(())  # not a workbook at all: the reader says so in its own words
    _check_sheet_count(len(sheets), limits)
    for sheet in sheets:
        _check_extent(sheet, limits)
    _check_total(sheets, limits)
    return WorkbookFacts(tuple(sheets))


def _check_sheet_count(count: int, limits: Limits, at_least: bool = False) -> None:
    if count > limits.sheets:
        raise FileRefused(
            f"工作簿{'至少' if at_least else ''}含 {count:,} 个工作表，超过上限 {limits.sheets:,} 个。"
            "请删除多余的工作表（只保留要导入的那一个）后重新上传。"
        )


def _check_total(sheets, limits: Limits) -> None:
    """All sheets together: the reader may have to open each of them to find the header."""
    total = sum(sheet.cells for sheet in sheets)
    if total > limits.workbook_cells:
        raise FileRefused(
            f"工作簿各工作表的数据区域合计{'至少' if any(s.partial for s in sheets) else ''}达 {total:,} 个单元格，"
            f"超过 {limits.workbook_cells:,} 个单元格的上限。请删除多余的工作表或远处多余的单元格内容后重新上传。"
        )


def _over(sheet: SheetExtent, sheets, limits: Limits) -> bool:
    """Past a limit of its own or of the whole workbook: counting can stop here."""
    return (sheet.rows > limits.sheet_rows or sheet.columns > limits.sheet_columns or sheet.cells > limits.sheet_cells
            or sum(s.cells for s in sheets) > limits.workbook_cells)


def _check_extent(sheet: SheetExtent, limits: Limits) -> None:
    where = f"工作表“{sheet.name}”" if sheet.name else "工作表"
    at_least = "至少" if sheet.partial else ""
    if sheet.rows > limits.sheet_rows:
        raise FileRefused(
            f"{where}{at_least}有 {sheet.rows:,} 行，超过 {limits.sheet_rows:,} 行的上限，不像是一份名单。"
            "请删除多余的行（或拆分文件）后重新上传。"
        )
    if sheet.columns > limits.sheet_columns:
        raise FileRefused(
            f"{where}{at_least}用到第 {sheet.columns:,} 列，超过 {limits.sheet_columns:,} 列的上限。请删除多余的列后重新上传。"
        )
    if sheet.cells > limits.sheet_cells:
        raise FileRefused(
            f"{where}的数据区域{at_least}达 {sheet.rows:,} 行 × {sheet.columns:,} 列，超过 {limits.sheet_cells:,} 个单元格的上限。"
            "请删除远处多余的单元格内容后重新上传。"
        )


def _too_long(limits: Limits) -> FileRefused:
    return FileRefused(
        f"表格中有单元格的内容超过 {limits.cell_chars:,} 个字符（Excel 单元格的上限），文件不正常，已拒绝。"
    )


def _check_pieces(block: bytes, limits: Limits) -> None:
    """No text between two '<' longer than a cell may hold. A run of 2w bytes holds a whole aligned
    window of w bytes, so probing one window in w finds every such run; real XML answers each probe
    within a few bytes, so this is linear and cheap whatever the input."""
    limit = limits.cell_chars  # a character is at least one byte: longer runs are candidates
    if len(block) <= limit:
        return
    window = max(limit // 2, 1)
    find = block.find
    for start in range(0, len(block), window):
        if find(b"<", start, start + window) >= 0:
            continue
        begin = block.rfind(b"<", 0, start) + 1
        end = find(b"<", start)
        end = len(block) if end < 0 else end
        if end - begin > limit:
            run = block[begin:end]
            text = run[run.find(b">") + 1:] if b">" in run[:1024] else run
            if len(text.decode("utf-8", "replace")) > limit:
                raise _too_long(limits)


def _blocks(archive, info, limits: Limits, ends: list[bytes] | None, tick: Tick = _no_tick):
    """Inflated blocks of a member, each ending just after a row's end tag (or before a '<').

    `ends` are the literal end tags of a row; the caller may add to it once it has seen the
    first block (a namespace prefix)."""
    carry = b""
    for chunk in inflate(archive, info, limits, WHAT):
        tick()
        data = carry + chunk if carry else chunk
        cut = -1
        for end in ends or ():
            found = data.rfind(end)
            if found >= 0:
                cut = max(cut, found + len(end))
        if cut < 0:
            cut = data.rfind(b"<")
        if cut <= 0:
            carry = data
        else:
            carry = data[cut:]
            yield data[:cut]
        if len(carry) > CHECKED_CARRY:
            _check_pieces(carry, limits)
        if len(carry) > MAX_CARRY:
            _check_pieces(carry, limits)
            raise FileRefused("表格中有一行内容超过 32 MB，文件不正常，已拒绝。")
    if carry:
        yield carry


# --- xlsx -----------------------------------------------------------------------------------

_ROW_END = re.compile(rb"</(?:[\w.-]+:)?row>")
_PREFIX = re.compile(rb"<([\w.-]+:)?worksheet[\s>]")
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])[^>]*>")


class _Patterns:
    """The literal spellings of one sheet's tags (with its namespace prefix, if it uses one)."""

    def __init__(self, prefix: bytes):
        p = re.escape(prefix)
        self.row_end = b"</" + prefix + b"row>"
        self.row_ref = b"<" + prefix + b'row r="'
        self.cell_any, self.cell_ref = b"<" + prefix + b"c", b"<" + prefix + b'c r="'
        # Only refs that can matter are parsed: rows past 99,999 and columns past Z.
        self.odd_cell = re.compile(b"<" + p + rb'c r="([A-Za-z]{2,}\d+|[A-Za-z]\d{6,})"')
        # Tags that start like a cell but are not (<cols>, <col>, <cfRule>…).
        self.not_cell = re.compile(b"<" + p + rb"c[\w-]")


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ch - 64)
    return index


_SHEET_ENTRY = re.compile(rb"<(?:[\w.-]+:)?sheet\s")


def _is_sheet_part(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith(".xml") and ("worksheets/" in lowered or "sheet" in PurePosixPath(lowered).name)


def _xlsx_sheet_count(archive: zipfile.ZipFile, limits: Limits, tick: Tick) -> int:
    """Sheets the workbook lists (what the reader walks) or holds as parts, whichever is more."""
    listed = 0
    workbook = next((i for i in archive.infolist() if i.filename.lower() == "xl/workbook.xml"), None)
    if workbook is not None:
        for block in _blocks(archive, workbook, limits, [b"/>"], tick):
            _check_pieces(block, limits)
            listed += len(_SHEET_ENTRY.findall(block))
    parts = sum(1 for info in archive.infolist() if _is_sheet_part(info.filename) and not info.is_dir())
    return max(listed, parts)


def _xlsx(archive: zipfile.ZipFile, limits: Limits, tick: Tick) -> list[SheetExtent]:
    # Counted before any sheet is measured: 9,000 sheets just under the limit of one cost the
    # reader 38 minutes, and even measuring each costs a little.
    _check_sheet_count(_xlsx_sheet_count(archive, limits, tick), limits)
    sheets: list[SheetExtent] = []
    for info in archive.infolist():
        name = info.filename
        if not name.lower().endswith((".xml", ".rels")) or info.is_dir():
            continue
        if _is_sheet_part(name):
            sheet = _xlsx_sheet(archive, info, limits, tick, sheets)
            sheets.append(sheet)
            if sheet.partial:
                return sheets
        elif name.lower().endswith("sharedstrings.xml"):
            _xlsx_shared_strings(archive, info, limits, tick)
        else:
            for block in _blocks(archive, info, limits, None, tick):
                _check_pieces(block, limits)
    return sheets


_STRING_ITEM = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")


def _xlsx_shared_strings(archive, info, limits: Limits, tick: Tick) -> None:
    """The reader holds every shared string from the moment it opens the file: count them as they stream by."""
    count = 0
    for block in _blocks(archive, info, limits, None, tick):
        _check_pieces(block, limits)
        count += len(_STRING_ITEM.findall(block))
        if count > limits.shared_strings:
            raise FileRefused(
                f"表格的共享字符串表至少含 {count:,} 个字符串，超过 {limits.shared_strings:,} 个的上限，文件不正常，已拒绝。"
                "请用 Excel 或 WPS 另存（或删除多余内容）后重新上传。"
            )


def _last_row(block: bytes, ref: bytes) -> int:
    """The row number in the last `ref` (`<row r="` or `<c r="`) of the block, 0 if none."""
    at = block.rfind(ref)
    if at < 0:
        return 0
    start = at + len(ref)
    end = block.find(b'"', start, start + 16)
    digits = block[start:end].lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") if end > 0 else b""
    return int(digits) if digits.isdigit() else 0


_LETTERS = [(index + 1, bytes([65 + index]), bytes([97 + index])) for index in reversed(range(26))]


def _narrow_width(block: bytes, cell_ref: bytes, known: int) -> int:
    """The last single-letter column the block's cells start with, if past `known`."""
    for column, upper, lower in _LETTERS:
        if column <= known:
            break
        if cell_ref + upper in block or cell_ref + lower in block:
            return column
    return known


def _split_ref(ref: bytes) -> tuple[int, int]:
    letters = ref.rstrip(b"0123456789")
    return int(ref[len(letters):]), _column_index(letters)


def _xlsx_sheet(archive, info, limits: Limits, tick: Tick, before: list[SheetExtent]) -> SheetExtent:
    extent = SheetExtent(PurePosixPath(info.filename).stem)
    patterns = None
    ends = [b"</row>"]
    rows = narrow = 0
    for block in _blocks(archive, info, limits, ends, tick):
        _check_pieces(block, limits)
        if patterns is None:
            found = _PREFIX.search(block)
            patterns = _Patterns((found.group(1) or b"") if found else b"")
            ends[:] = [patterns.row_end]
        # Counted in C: a real file writes every cell with its reference first, and then the
        # reader places cells by their references alone (rows without one do not matter).
        rows_here = block.count(patterns.row_ref)
        unreferenced = block.count(patterns.cell_any) - block.count(patterns.cell_ref)
        if unreferenced and unreferenced != len(patterns.not_cell.findall(block)):
            # Written without references (or not first): count the way the reader does.
            _xlsx_precise(block, extent, rows)
            rows = max(rows, extent.rows)
            continue
        rows += rows_here
        extent.rows = max(extent.rows, rows)
        wide = 0
        for ref in patterns.odd_cell.findall(block):
            row, column = _split_ref(ref)
            extent.rows = max(extent.rows, row)
            wide = max(wide, column)
        # Rows below 100,000 are counted, not parsed; the last row and cell of the block say how
        # far down the sheet really reaches (a sheet of A1 and Z90000 is 90,000 rows to the reader).
        extent.rows = max(extent.rows, _last_row(block, patterns.row_ref), _last_row(block, patterns.cell_ref))
        if rows_here:
            # A sheet of 200,000 rows is within the cell limit only at its true width (a roster
            # uses a dozen columns of the 26 single letters), found by a few searches in C.
            narrow = _narrow_width(block, patterns.cell_ref, narrow)
        extent.columns = max(extent.columns, wide, narrow)
        if _over(extent, [*before, extent], limits):
            extent.partial = True
            return extent  # refused by the caller; no need to read the rest
    return extent


def _xlsx_precise(block: bytes, extent: SheetExtent, rows_before: int) -> None:
    """Cells written without a reference (or with it not first): the reader counts them in order."""
    row = rows_before
    for segment in _ROW_END.split(block):
        tag = _ROW_TAG.search(segment)
        if tag is None:
            continue
        ref = re.search(rb'\sr="(\d+)"', tag.group(0))
        row = int(ref.group(1)) if ref else row + 1
        column = 0
        for cell in re.finditer(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*)>", segment):
            ref = re.search(rb'\br="([A-Za-z]+)(\d+)"', cell.group(1))
            if ref:
                column = _column_index(ref.group(1))
                row = max(row, int(ref.group(2)))
            else:
                column += 1
            extent.columns = max(extent.columns, column)
        extent.rows = max(extent.rows, row)


# --- ods ------------------------------------------------------------------------------------

_ODS_ROW_END = re.compile(rb"</table:table-row>|<table:table-row\b[^>]*/>")
_ODS_TABLE = re.compile(rb'<table:table\s[^>]*?table:name="([^"]*)"')
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')


def _ods(archive: zipfile.ZipFile, limits: Limits, tick: Tick) -> list[SheetExtent]:
    sheets: list[SheetExtent] = []
    for info in archive.infolist():
        if info.filename != "content.xml":
            if info.filename.lower().endswith(".xml"):
                for block in _blocks(archive, info, limits, None, tick):
                    _check_pieces(block, limits)
            continue
        sheet = None
        rows_so_far = 0
        tables_seen = 0
        for block in _blocks(archive, info, limits, [b"</table:table-row>", b"</table:table>"], tick):
            _check_pieces(block, limits)
            tables = [(m.start(), m.group(1)) for m in _ODS_TABLE.finditer(block)]
            # Tables without a row in this block count too: one content.xml may declare thousands.
            tables_seen += len(tables)
            _check_sheet_count(tables_seen, limits, at_least=True)
            position = 0
            while (row := _ODS_ROW.search(block, position)) is not None:
                while tables and tables[0][0] < row.start():
                    sheet = SheetExtent(tables.pop(0)[1].decode("utf-8", "replace"))
                    sheets.append(sheet)
                    rows_so_far = 0
                if sheet is None:
                    sheet = SheetExtent("")
                    sheets.append(sheet)
                if row.group(2):
                    segment_end = row.end()
                else:
                    end = _ODS_ROW_END.search(block, row.end())
                    segment_end = end.end() if end else len(block)
                repeated = _ROWS_REPEATED.search(row.group(1))
                repeats = int(repeated.group(1)) if repeated else 1
                columns = 0 if row.group(2) else _ods_row_columns(block, row.end(), segment_end)
                rows_so_far += repeats
                if columns:
                    sheet.rows = rows_so_far
                    sheet.columns = max(sheet.columns, columns)
                    if _over(sheet, sheets, limits):
                        sheet.partial = True
                        return sheets
                position = segment_end
    return sheets


def _ods_row_columns(block: bytes, start: int, end: int) -> int:
    """The last column of the row that holds something (trailing empty cells are not data)."""
    if b"number-columns-repeated" not in block[start:end]:
        # The common row: every cell once. Count them, and whether the last ones are empty.
        count, last = 0, 0
        for cell in _ODS_CELL.finditer(block, start, end):
            count += 1
            if not cell.group(2) or b"office:value-type" in cell.group(1):
                last = count
        return last
    column, last = 0, 0
    for cell in _ODS_CELL.finditer(block, start, end):
        repeated = _COLUMNS_REPEATED.search(cell.group(1))
        column += int(repeated.group(1)) if repeated else 1
        if not cell.group(2) or b"office:value-type" in cell.group(1):
            last = column
    return last


# --- xls (BIFF8 in an OLE2 compound file) ---------------------------------------------------

# Records that put a value in a cell: (row, first column) lead each; MULRK spans columns.
_VALUE_RECORDS = {0x0006, 0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x00D6}
_MULRK = 0x00BD
_BOF, _EOF = 0x0809, 0x000A
_BOUNDSHEET = 0x0085  # the globals' list of sheets, which the reader walks
TICK_RECORDS = 65_536


def _xls(path, limits: Limits, tick: Tick) -> list[SheetExtent]:
    import olefile

    try:
        with olefile.OleFileIO(path if hasattr(path, "read") else str(path)) as ole:
            stream_name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if stream_name is None:
                return []
            data = ole.openstream(stream_name).read()
    except (OSError, ValueError, struct.error) as exc:
        raise FileRefused("表格文件已损坏（.xls 结构无法读取），请用 Excel 或 WPS 另存后重新上传。") from exc
    sheets: list[SheetExtent] = []
    sheet = None
    listed = records = 0
    offset, size = 0, len(data)
    unpack = struct.unpack_from
    while offset + 4 <= size:
        records += 1
        if records % TICK_RECORDS == 0:
            tick()
        kind, length = unpack("<HH", data, offset)
        body = offset + 4
        offset = body + length
        if kind in _VALUE_RECORDS and length >= 4 and sheet is not None:
            row, column = unpack("<HH", data, body)
            if row + 1 > sheet.rows:
                sheet.rows = row + 1
            if column + 1 > sheet.columns:
                sheet.columns = column + 1
        elif kind == _MULRK and length >= 6 and sheet is not None:
            row, = unpack("<H", data, body)
            last, = unpack("<H", data, body + length - 2)
            sheet.rows = max(sheet.rows, row + 1)
            sheet.columns = max(sheet.columns, last + 1)
        elif kind == _BOF and length >= 4:
            _version, substream = unpack("<HH", data, body)
            sheet = SheetExtent(f"第 {len(sheets) + 1} 张") if substream == 0x0010 else None
            if sheet is not None:
                sheets.append(sheet)
        elif kind == _BOUNDSHEET:
            listed += 1
        elif kind == _EOF:
            sheet = None
    _check_sheet_count(max(listed, len(sheets)), limits)
    return sheets
