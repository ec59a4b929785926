"""Issue 14 §2 through the organizer's own path: a hostile roster fails with a clear message, and
the upload page refuses what is not a spreadsheet at all."""

import pytest
from django.core.exceptions import ValidationError

from rosters import services
from rosters.models import RosterVersion
from tests.files import bombs

from .stages import run_pending, upload_file

pytestmark = pytest.mark.django_db


def test_a_million_row_roster_fails_with_the_limit_named_and_nothing_imported(project, organizer, tmp_path):
    content = bombs.million_rows_xlsx(tmp_path / "名单.xlsx").read_bytes()
    version = services.start_import(
        application=project, actor=organizer, uploaded_file=upload_file(content), kind=RosterVersion.Kind.ROSTER
    )
    version = run_pending(version)
    assert version.status == RosterVersion.Status.FAILED
    assert any("超过 200,000 行的上限" in e["message"] for e in version.errors)
    assert not version.participants.exists()


def test_a_roster_that_is_an_image_renamed_xlsx_is_refused_at_upload(project, organizer):
    from tests.performance.media import jpeg_bytes

    with pytest.raises(ValidationError, match="内容是JPEG 图片"):
        services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(jpeg_bytes(), "名单.xlsx"),
            kind=RosterVersion.Kind.ROSTER,
        )
    assert not RosterVersion.objects.exists()


def test_a_libreoffice_ods_roster_is_accepted_at_upload(project, organizer):
    from pathlib import Path

    content = (Path(__file__).resolve().parent.parent / "files" / "fixtures" / "roster_libreoffice.ods").read_bytes()
    version = services.start_import(
        application=project,
        actor=organizer,
        uploaded_file=upload_file(content, "名单.ods"),
        kind=RosterVersion.Kind.ROSTER,
    )
    assert version.pk


def test_a_workbook_of_many_sheets_fails_naming_the_sheet_limit_not_a_missing_header(project, organizer, tmp_path):
    """Issue 25: 9,000 sheets held a worker 38 minutes and ended with 未找到表头行."""
    content = bombs.many_sheets_xlsx(tmp_path / "名单.xlsx", sheets=30).read_bytes()
    version = services.start_import(
        application=project, actor=organizer, uploaded_file=upload_file(content), kind=RosterVersion.Kind.ROSTER
    )
    version = run_pending(version)
    assert version.status == RosterVersion.Status.FAILED
    messages = [e["message"] for e in version.errors]
    assert any("工作簿含 30 个工作表，超过上限 10 个" in m for m in messages), messages
    assert not any("未找到表头行" in m for m in messages)
