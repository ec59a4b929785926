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
