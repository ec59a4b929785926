"""Spreadsheets are measured before the reader opens them; real files pass, hostile ones are named."""

from pathlib import Path

import pytest

from haidian_contest.inspection import FileRefused, Limits, check_workbook
from rosters.importing.columns import ROSTER_COLUMNS
from rosters.importing.reading import WorkbookError, open_sheet

from . import bombs

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROSTER_FIXTURES = Path(__file__).resolve().parent.parent / "rosters" / "fixtures"
# Saved by LibreOffice 7 from a 30-person roster with a styled cell at Z5000 and a wide column H:
# the .ods holds 4,968 repeated empty rows of 16,384 empty cells, which are not data.
LIBREOFFICE = ["roster_libreoffice.xlsx", "roster_libreoffice.xls", "roster_libreoffice.ods"]


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_libreoffice_files_pass_the_limits_and_read_every_row(name):
    facts = check_workbook(FIXTURES / name)
    assert facts.rows == 31
    sheet = open_sheet(str(FIXTURES / name), ROSTER_COLUMNS)
    assert sum(1 for _ in sheet.rows) == 30


def test_wps_xls_passes_the_limits():
    assert check_workbook(ROSTER_FIXTURES / "roster_wps.xls").rows >= 2


def test_repeated_empty_rows_and_cells_of_libreoffice_are_not_counted():
    facts = check_workbook(FIXTURES / "roster_libreoffice.ods")
    assert [(s.rows, s.columns) for s in facts.sheets][0] == (31, 6)


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_the_row_limit_is_a_setting(settings, name):
    settings.UPLOAD_MAX_SHEET_ROWS = 20
    with pytest.raises(FileRefused, match="超过 20 行的上限"):
        check_workbook(FIXTURES / name)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    text = "长" * 40_000
    path = bombs.xlsx(tmp_path / "长.xlsx", [bombs.SHEET_HEAD + bombs.HEADER_ROW + (
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>').encode() + bombs.SHEET_TAIL])
    with pytest.raises(FileRefused, match="超过 32,767 个字符"):
        check_workbook(path)


def test_a_cell_of_excels_maximum_length_passes(tmp_path):
    text = "长" * 32_767
    path = bombs.xlsx(tmp_path / "长.xlsx", [bombs.SHEET_HEAD + bombs.HEADER_ROW + (
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>').encode() + bombs.SHEET_TAIL])
    assert check_workbook(path).rows == 2


def test_a_zip_member_that_lies_about_its_size_is_refused_as_damaged(tmp_path):
    path = bombs.xlsx(tmp_path / "谎报.xlsx", [bombs.SHEET_HEAD + bombs.HEADER_ROW * 2000 + bombs.SHEET_TAIL])
    data = bytearray(path.read_bytes())
    # Shrink the declared size in the central directory: a reader that believed it would stop
    # short, one that did not would get more than it was told.
    import zipfile

    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    entry = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02")) - 46
    import struct

    struct.pack_into("<I", data, entry + 24, info.file_size // 2)
    path.write_bytes(bytes(data))
    with pytest.raises(FileRefused, match="已损坏"):
        check_workbook(path)


def test_a_hostile_sheet_reaches_the_organizer_as_a_workbook_error(tmp_path):
    path = bombs.repeated_rows_ods(tmp_path / "名单.ods")
    with pytest.raises(WorkbookError, match="超过 200,000 行的上限"):
        open_sheet(str(path), ROSTER_COLUMNS)


def test_limits_outside_django_are_the_defaults():
    assert Limits().sheet_rows == 200_000 and Limits().cell_chars == 32_767


def test_a_far_cell_written_in_lower_case_is_still_found(tmp_path):
    path = bombs.xlsx(tmp_path / "远处.xlsx", [bombs.SHEET_HEAD + bombs.HEADER_ROW
                                              + b'<row r="2"><c r="xfd2"><v>1</v></c></row>' + bombs.SHEET_TAIL])
    with pytest.raises(FileRefused, match="16,384 列"):
        check_workbook(path)


def test_our_own_template_of_three_sheets_passes_the_sheet_limit():
    from rosters.workbooks import build_template

    content = build_template(ROSTER_COLUMNS, title="参赛选手名单", trade_choices=["焊工"], sample=[""] * 20, notes=[])
    assert len(check_workbook(content).sheets) == 3


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_the_sheet_limit_is_a_setting(settings, name):
    settings.UPLOAD_MAX_SHEETS = 0
    with pytest.raises(FileRefused, match="个工作表，超过上限 0 个"):
        check_workbook(FIXTURES / name)


@pytest.mark.parametrize("name", LIBREOFFICE)
def test_the_limit_on_all_sheets_together_is_a_setting(settings, name):
    settings.UPLOAD_MAX_WORKBOOK_CELLS = 100
    with pytest.raises(FileRefused, match="合计.*超过 100 个单元格的上限"):
        check_workbook(FIXTURES / name)


def test_the_sheets_a_workbook_lists_count_even_without_their_parts(tmp_path):
    path = bombs.many_sheets_xlsx(tmp_path / "多表.xlsx", sheets=12)
    import zipfile

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tmp_path / "列表.xlsx", "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("xl/worksheets/sheet") or info.filename.endswith("sheet1.xml"):
                target.writestr(info, source.read(info))
    with pytest.raises(FileRefused, match="工作簿含 12 个工作表"):
        check_workbook(tmp_path / "列表.xlsx")


def test_the_scan_calls_its_tick_and_stops_when_the_tick_raises(tmp_path):
    path = bombs.roster_xlsx(tmp_path / "名单.xlsx", 20_000)
    calls = []

    def tick():
        calls.append(1)
        if len(calls) == 2:
            raise TimeoutError("budget")

    with pytest.raises(TimeoutError):
        check_workbook(path, tick=tick)
    assert len(calls) == 2


def test_the_shared_string_limit_is_a_setting(settings, tmp_path):
    settings.UPLOAD_MAX_SHARED_STRINGS = 1000
    with pytest.raises(FileRefused, match="共享字符串表至少含 .* 个字符串，超过 1,000 个的上限"):
        check_workbook(bombs.many_shared_strings_xlsx(tmp_path / "字符串.xlsx", strings=5000))
    settings.UPLOAD_MAX_SHARED_STRINGS = 5000
    assert check_workbook(tmp_path / "字符串.xlsx").rows == 2


def test_a_roster_of_200000_rows_is_measured_at_its_true_width_and_passes(tmp_path):
    facts = check_workbook(bombs.roster_xlsx(tmp_path / "二十万行.xlsx", 199_999))
    assert [(s.rows, s.columns) for s in facts.sheets] == [(200_000, 6)]


def test_a_far_cell_below_row_100000_counts_all_the_rows_above_it(tmp_path):
    path = bombs.many_sheets_xlsx(tmp_path / "远处.xlsx", sheets=1, far="Z90000")
    assert [(s.rows, s.columns) for s in check_workbook(path).sheets] == [(90_000, 26)]
