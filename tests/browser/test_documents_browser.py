"""The generated documents as users fetch them: the party group downloads the meeting packet from
the meeting page, the department issues the approval notice and downloads the agreement draft.

Page images of the packet are written to test-output/documents/ (pdftoppm) for a person to look at.
"""

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from review import services
from tests.factories import PASSWORD
from tests.review.documents_helpers import compact, docx_text, pdf_text
from tests.review.stages import (
    approved_application,
    party_meeting,
    pending_party_application,
)
from tests.review.test_meeting_packet import first_trade_name

from .conftest import OUTPUT, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = OUTPUT / "documents"


def _page_images(pdf_path, prefix: str) -> list:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf_path), str(PAGES / prefix)], check=True, timeout=120)
    return sorted(PAGES.glob(f"{prefix}-*.png"))


def test_party_group_downloads_the_meeting_packet(page, live_server, organizer, other_organizer, reviewer, approver):
    meeting = party_meeting(approver)
    a = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A", meeting=meeting,
                             subsidies={first_trade_name("A"): "128000.00"})
    b = pending_party_application(organizer=other_organizer, reviewer=reviewer, key="B")
    services.add_to_agenda(meeting=meeting, application=b, actor=approver)

    login(page, live_server, approver.username, PASSWORD)
    page.goto(f"{live_server.url}/review/meetings/{meeting.pk}/")
    with page.expect_download() as info:
        page.get_by_test_id("packet-pdf").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf") and "上会材料" in download.suggested_filename
    PAGES.mkdir(parents=True, exist_ok=True)
    target = PAGES / "packet.pdf"
    download.save_as(str(target))
    content = target.read_bytes()
    text = compact(pdf_text(content))
    assert a.title in text and b.title in text and "128,000.00" in text and "贰拾伍万捌仟元整" in text
    images = _page_images(target, "packet")
    assert len(images) == len(pypdf.PdfReader(io.BytesIO(content)).pages) >= 4

    with page.expect_download() as info:
        page.get_by_test_id("packet-docx").click()
    docx_path = PAGES / "packet.docx"
    info.value.save_as(str(docx_path))
    assert a.title in docx_text(docx_path.read_bytes())


def test_department_issues_the_notice_and_downloads_the_agreement_draft(page, live_server, organizer, reviewer, approver):
    app = approved_application(organizer=organizer, reviewer=reviewer, approver=approver, key="A",
                               subsidies={first_trade_name("A"): "128000.00"})
    PAGES.mkdir(parents=True, exist_ok=True)

    login(page, live_server, reviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/funding/projects/{app.pk}/")
    page.get_by_test_id("notice-issue").click()
    assert "海工发〔" in page.locator(".alert-success").inner_text()
    with page.expect_download() as info:
        page.get_by_test_id("notice-pdf").click()
    notice = PAGES / "notice.pdf"
    info.value.save_as(str(notice))
    assert "壹拾贰万捌仟元整" in compact(pdf_text(notice.read_bytes()))
    _page_images(notice, "notice")

    with page.expect_download() as info:
        page.get_by_test_id("agreement-draft").click()
    draft = PAGES / "agreement.docx"
    info.value.save_as(str(draft))
    assert "壹拾贰万捌仟元整" in docx_text(draft.read_bytes())
    logout(page)

    # The organizer finds the issued notice on its project's page.
    login(page, live_server, organizer.username, PASSWORD)
    page.goto(f"{live_server.url}/funding/projects/{app.pk}/")
    with page.expect_download() as info:
        page.get_by_test_id("notice-docx").click()
    assert "壹拾贰万捌仟元整" in docx_text(Path(info.value.path()).read_bytes())
