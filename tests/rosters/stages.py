"""Stage helpers: rosters and winners filed through the services, as an organizer would.

`upload_roster` / `upload_winners` need a project in a state that allows the upload (立项 or later
for the roster, 竞赛实施中 for winners); they run the import task at once, since a test's
transaction never commits and on_commit callbacks would otherwise not fire.
"""

from contextlib import contextmanager
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from rosters import pipeline, services
from demo.rosters import make_id, person_name, roster_rows, winner_rows, workbook_bytes, wrong_check_digit
from rosters.importing.columns import FIRST_PRIZE_COLUMNS, ROSTER_COLUMNS, WINNER_COLUMNS
from rosters.models import RosterVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
__all__ = ["make_id", "person_name", "wrong_check_digit", "workbook_bytes", "make_roster_rows", "make_winner_rows",
           "upload_roster", "upload_winners", "upload_file", "run_pending", "read_workbook", "ods_bytes",
           "first_prize_workbook"]


def make_roster_rows(application, n: int, *, start: int = 0) -> list[dict]:
    """n valid rows (check digits computed) over the project's trades, in proportion to the plan."""
    return roster_rows(application, n, start=start)


def upload_file(content: bytes, name: str = "名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def run_pending(version: RosterVersion) -> RosterVersion:
    version.refresh_from_db()
    if version.status == RosterVersion.Status.PENDING:
        pipeline.process(version.pk)
    version.refresh_from_db()
    return version


def upload_roster(application, organizer, rows: list[dict], *, name: str = "参赛选手名单.xlsx") -> RosterVersion:
    version = services.start_import(
        application=application,
        actor=organizer,
        uploaded_file=upload_file(workbook_bytes(rows), name),
        kind=RosterVersion.Kind.ROSTER,
    )
    return run_pending(version)


def make_winner_rows(roster: list[dict], per_trade=(3, 6, 9), amounts=None) -> list[dict]:
    return winner_rows(roster, per_trade, amounts)


def upload_winners(application, organizer, rows: list[dict], *, name: str = "获奖名单.xlsx") -> RosterVersion:
    """Imported on or after the day of the final (the winners' date gate), whatever day it is."""
    from applications.evaluation import schedule_for
    from tests.clock import on_or_after

    content = workbook_bytes(rows, WINNER_COLUMNS)
    final = schedule_for(application).final_day
    with on_or_after(final) if final else _nowhere():
        version = services.start_import(
            application=application,
            actor=organizer,
            uploaded_file=upload_file(content, name),
            kind=RosterVersion.Kind.WINNERS,
        )
        return run_pending(version)


@contextmanager
def _nowhere():
    yield


def first_prize_workbook(rows: list[dict]) -> bytes:
    return workbook_bytes(rows, FIRST_PRIZE_COLUMNS, title="历年一等奖")


def read_workbook(content: bytes):
    """(header, rows) of the first sheet of a workbook we produced, via openpyxl."""
    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(content)).worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return values[0], values[1:]


def ods_bytes(rows: list[dict], columns=ROSTER_COLUMNS) -> bytes:
    """A minimal OpenDocument spreadsheet (what WPS or LibreOffice save as .ods), text cells only."""
    import zipfile
    from xml.sax.saxutils import escape as xml_escape

    def row_xml(values):
        cells = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{xml_escape(str(v))}</text:p></table:table-cell>'
            for v in values
        )
        return f"<table:table-row>{cells}</table:table-row>"

    body = row_xml([c.header for c in columns]) + "".join(row_xml([r.get(c.key, "") for c in columns]) for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名单">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
