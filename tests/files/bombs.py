"""Hostile files, built here (never committed): each is small on disk and enormous once opened."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

ROSTER_FIXTURES = Path(__file__).resolve().parent.parent / "rosters" / "fixtures"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_TAIL = b"</sheetData></worksheet>"
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>').encode()


def xlsx(path: Path, sheet_chunks, level: int = 9) -> Path:
    """A minimal workbook whose sheet XML is streamed from `sheet_chunks` (bytes), deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_chunks:
                sheet.write(chunk)
    return path


def huge_cell_xlsx(path: Path, gigabytes: float = 1.0) -> Path:
    """Issue 14: one cell holding a gigabyte of text, in a file of about a megabyte."""
    block = b"a" * (1 << 20)

    def chunks():
        yield SHEET_HEAD + HEADER_ROW + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        for _ in range(int(gigabytes * 1024)):
            yield block
        yield b"</t></is></c></row>" + SHEET_TAIL

    return xlsx(path, chunks())


def million_rows_xlsx(path: Path, rows: int = 1_048_000) -> Path:
    """Issue 14: 1,048,000 rows of one small cell each, about a megabyte and a half on disk."""

    def chunks():
        yield SHEET_HEAD + HEADER_ROW
        batch = []
        for r in range(2, rows + 2):
            batch.append(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r))
            if len(batch) == 10_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch) + SHEET_TAIL

    return xlsx(path, chunks())


def far_cell_xlsx(path: Path) -> Path:
    """Two cells, A1 and XFD1048576: a reader that holds the sheet as a block holds 17 billion cells."""
    return xlsx(path, [SHEET_HEAD + HEADER_ROW + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + SHEET_TAIL])


def unreferenced_wide_xlsx(path: Path, columns: int = 20_000) -> Path:
    """Cells written without references: the reader places them one after another, 20,000 wide."""
    cells = b"<c><v>1</v></c>" * columns
    return xlsx(path, [SHEET_HEAD + HEADER_ROW + b"<row>" + cells + b"</row>" + SHEET_TAIL])


def padded_zip_xlsx(path: Path, megabytes: int = 1024) -> Path:
    """A plain zip bomb: a real little workbook plus a member of a gigabyte of zeros."""
    xlsx(path, [SHEET_HEAD + HEADER_ROW + SHEET_TAIL])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/media/image1.bin", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return path


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="名单">'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>身份证号</text:p></table:table-cell></table:table-row>'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods(path: Path, rows_xml: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        archive.writestr("content.xml", ODS_HEAD + rows_xml + ODS_TAIL)
    return path


def repeated_rows_ods(path: Path, rows: int = 1_048_000) -> Path:
    """A 1 KB .ods whose one row of data says "repeat me 1,048,000 times"."""
    return ods(path, f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell office:value-type="float" '
                     'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>')


def repeated_columns_ods(path: Path, rows: int = 5_000, columns: int = 16_384) -> Path:
    """Every cell of 5,000 rows × 16,384 columns filled, by two repeat counts."""
    return ods(path, f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
                     f'table:number-columns-repeated="{columns}" office:value-type="float" office:value="1">'
                     "<text:p>1</text:p></table:table-cell></table:table-row>")


def far_cell_xls(path: Path) -> Path:
    """The WPS-saved .xls fixture with its first number moved to the last row and column (IV65536):
    the same bytes, but a reader holding the sheet as a block holds 16.7 million cells per sheet."""
    import olefile

    path.write_bytes((ROSTER_FIXTURES / "roster_wps.xls").read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        name = "Workbook" if ole.exists("Workbook") else "Book"
        data = bytearray(ole.openstream(name).read())
        offset, moved = 0, 0
        while offset + 4 <= len(data) and moved < 1:
            kind, length = struct.unpack_from("<HH", data, offset)
            if kind in (0x00FD, 0x0203, 0x027E):  # LABELSST, NUMBER, RK
                struct.pack_into("<HH", data, offset + 4, 65535, 255)
                moved += 1
            offset += 4 + length
        assert moved, "no cell record found in the fixture"
        ole.write_stream(name, bytes(data))
    return path


def png_header(path: Path, width: int = 30_000, height: int = 30_000) -> Path:
    """A PNG that says it is 30,000 × 30,000 pixels (2.7 GB as RGB) in 60 bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def huge_frame_video(path: Path, width: int = 16_000, height: int = 16_000) -> Path:
    """A raw YUV4MPEG2 stream (ffmpeg reads it whatever its name) whose header claims 16,000 × 16,000
    frames (ffmpeg itself refuses 30,000²): decoding a single one would take 384 MB, a few of them gigabytes."""
    path.write_bytes(f"YUV4MPEG2 W{width} H{height} F25:1 Ip A1:1 C420jpeg\n".encode() + b"FRAME\n" + bytes(4096))
    return path


def dense_numbers_xlsx(path: Path, rows: int = 199_000) -> Path:
    """Every cell of 199,000 rows × 26 columns holds a number (20 MB on disk, 161 MB of XML, a normal
    ratio): 5.2 million cells, which took the reader to 436 MB while it loaded the sheet."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    template = "".join(f'<c r="{c}%(r)d"><v>%(v{i})d</v></c>' for i, c in enumerate(letters))

    def chunks():
        yield SHEET_HEAD + HEADER_ROW
        batch = []
        for r in range(2, rows + 2):
            values = {f"v{i}": (r * 31 + i * 7) % 100_003 for i in range(26)}
            batch.append(f'<row r="{r}">' + template % {"r": r, **values} + "</row>")
            if len(batch) == 5000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode() + SHEET_TAIL

    return xlsx(path, chunks(), level=6)


def roster_xlsx(path: Path, rows: int) -> Path:
    """A plausible roster of `rows` people (six text columns), written as fast as the bombs."""
    header = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>' for c, t in
                     zip("ABCDEF", ["姓名", "身份证号", "手机号", "工作单位", "职业（工种）代码", "是否工会会员"]))

    def chunks():
        yield SHEET_HEAD + f'<row r="1">{header}</row>'.encode()
        batch = []
        for r in range(2, rows + 2):
            values = [f"选手{r}", f"110108199001{r % 28 + 1:02d}{r % 1000:03d}X", f"139{r:08d}", "北京示例科技有限公司",
                      "4-04-05-05", "是"]
            cells = "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in zip("ABCDEF", values))
            batch.append(f'<row r="{r}">{cells}</row>')
            if len(batch) == 5000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode() + SHEET_TAIL

    return xlsx(path, chunks())


def many_sheets_xlsx(path: Path, sheets: int = 9_000, far: str = "AB200000") -> Path:
    """Issue 25: 9,000 sheets, each with A1 and AB200000 (200,000 × 28 cells, then just under one
    sheet's limit): 2.7 MB on disk; the reader walked every sheet for 38 minutes looking for a header."""
    row = far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    sheet_xml = SHEET_HEAD + (f'<row r="1"><c r="A1"><v>1</v></c></row>'
                              f'<row r="{row}"><c r="{far}"><v>1</v></c></row>').encode() + SHEET_TAIL
    entries = "".join(f'<sheet name="表{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1))
    rels = "".join(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, sheets + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.replace('<sheet name="名单" sheetId="1" r:id="rId1"/>', entries))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace(
            WORKBOOK_RELS[WORKBOOK_RELS.index("<Relationship Id"):WORKBOOK_RELS.index("</Relationships>")], rels))
        for n in range(1, sheets + 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", sheet_xml)
    return path


def _varied_text(seed: int) -> bytes:
    """A megabyte of words that deflates about 10×, as ordinary text does (a run of one letter would
    be a zip bomb, refused by its ratio alone)."""
    import random

    rng = random.Random(seed)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 12))) for _ in range(4)]
    text = b" ".join(rng.choice(words) for _ in range(1 << 18))
    return (text * 2)[:1 << 20]


def one_huge_cell_xlsx(path: Path, megabytes: int = 250) -> Path:
    """Issue 25: one cell of 250 MB of varied text (about 26 MB on disk, within the zip ratio), not
    a zip bomb: only the cell's own length gives it away."""
    block = _varied_text(25)

    def chunks():
        yield SHEET_HEAD + HEADER_ROW + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        for n in range(megabytes):
            yield block[n % 7:] + block[:n % 7]
        yield b"</t></is></c></row>" + SHEET_TAIL

    return xlsx(path, chunks(), level=1)


SHARED_STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                       'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def _shared_strings_xlsx(path: Path, write_table, compresslevel: int) -> Path:
    """A one-sheet workbook whose only data cell refers to shared string 0; `write_table` streams the
    body of xl/sharedStrings.xml (after the <sst> tag it opens, before the one it closes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.replace("</Types>", SHARED_STRINGS_TYPE + "</Types>"))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace(
            "</Relationships>", '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + HEADER_ROW
                         + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + SHEET_TAIL)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            write_table(table)
            table.write(b"</sst>")
    return path


def huge_shared_string_xlsx(path: Path, megabytes: int = 250) -> Path:
    """The same 250 MB of text as one shared string, which the sheet's only data cell refers to."""
    block = _varied_text(26)

    def one_huge_string(table):
        table.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
        for n in range(megabytes):
            table.write(block[n % 7:] + block[:n % 7])
        table.write(b"</t></si>")

    return _shared_strings_xlsx(path, one_huge_string, compresslevel=1)


def many_shared_strings_xlsx(path: Path, strings: int = 8_000_000) -> Path:
    """Eight million short shared strings (183 MB inflated, 21 MB on disk, a normal ratio): the
    reader loads the whole table when it opens the file, and reached 500 MB."""

    def many_short_strings(table):
        table.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main">')
        for start in range(0, strings, 100_000):
            table.write(b"".join(b"<si><t>%d</t></si>" % n for n in range(start, min(strings, start + 100_000))))

    return _shared_strings_xlsx(path, many_short_strings, compresslevel=6)


def many_sheets_ods(path: Path, sheets: int = 2_000) -> Path:
    """2,000 tables, each with A1 and AB200000 (by repeat counts), in a content.xml of a few hundred KB."""
    table = ('<table:table table:name="表{n}"><table:table-row><table:table-cell office:value-type="float" '
             'office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="199998"/>'
             '<table:table-row><table:table-cell table:number-columns-repeated="27"/><table:table-cell '
             'office:value-type="float" office:value="1"/></table:table-row></table:table>')
    body = "".join(table.format(n=n) for n in range(2, sheets + 1))
    return ods(path, "</table:table>" + body + '<table:table table:name="末">')


def many_sheets_xls(path: Path) -> Path:
    """The WPS-saved .xls fixture with its zero padding (after the last record) filled with small
    worksheet substreams (BOF, a cell at row 60,000, column AB, EOF): 40-odd sheets in the same 4 KB."""
    import olefile

    path.write_bytes((ROSTER_FIXTURES / "roster_wps.xls").read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        name = "Workbook" if ole.exists("Workbook") else "Book"
        data = bytearray(ole.openstream(name).read())
        offset = 0
        while offset + 4 <= len(data):
            kind, length = struct.unpack_from("<HH", data, offset)
            if kind == 0 and length == 0 and not any(data[offset:]):
                break
            offset += 4 + length
        sheet = (struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0600)
                 + struct.pack("<HHHHHd", 0x0203, 14, 59_999, 27, 0x0F, 1.0) + struct.pack("<HH", 0x000A, 0))
        copies = (len(data) - offset) // len(sheet)
        assert copies > 10, "no room for the sheets in the fixture's padding"
        data[offset:offset + copies * len(sheet)] = sheet * copies
        ole.write_stream(name, bytes(data))
    return path
