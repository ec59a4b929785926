import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import attachments
from applications.models import Attachment
from tests.lifecycle import build_application, submitted_application

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{kind}/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, app, name, content, kind="plan", **headers):
    return client.post(reverse("applications:attachment_upload", args=[app.pk]),
                       {"kind": kind, "file": SimpleUploadedFile(name, content)}, **headers)


@pytest.mark.parametrize(("name", "content"), [
    ("方案.pdf", PNG_BYTES),               # an image renamed to .pdf
    ("方案.pdf", office_bytes("word")),    # a Word file named .pdf
    ("预算.xlsx", office_bytes("word")),   # a Word file named .xlsx
    ("预算.docx", b"PK\x03\x04not a zip"),  # a broken archive
    ("程序.exe", PDF_BYTES),                # a forbidden extension, whatever it holds
])
def test_attachment_with_a_forged_extension_is_rejected(client, organizer, name, content):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    response = _upload(client, app, name, content, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-testid="attachment-error"' in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("竞赛方案.pdf", PDF_BYTES, attachments.PDF),
    ("竞赛方案.DOCX", office_bytes("word"), attachments.DOCX),
    ("预算明细.xlsx", office_bytes("xl"), attachments.XLSX),
])
def test_genuine_files_are_stored_with_the_sniffed_type(client, organizer, name, content, content_type):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    _upload(client, app, name, content, HTTP_HX_REQUEST="true")
    stored = Attachment.objects.get()
    assert (stored.original_name, stored.content_type, stored.size) == (name, content_type, len(content))
    assert name not in stored.file.name  # the disk name is random


def test_oversized_attachment_is_rejected(client, organizer, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1024)
    app = build_application(organizer, "A")
    client.force_login(organizer)
    response = _upload(client, app, "大文件.pdf", PDF_BYTES + b"0" * 2048, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "附件过大" in page and "不能超过 1 KB" in page, page[:400]
    assert not Attachment.objects.exists()


def test_download_goes_through_a_permission_checked_view(client, organizer, other_organizer):
    app = build_application(organizer, "A")
    client.force_login(organizer)
    _upload(client, app, "竞赛方案.pdf", PDF_BYTES)
    url = reverse("applications:attachment", args=[app.pk, Attachment.objects.get().pk])
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    client.force_login(other_organizer)
    assert client.get(url).status_code == 404


def test_removed_attachment_stays_in_the_submitted_version(client, organizer, reviewer):
    from applications import workflow_engine

    app = build_application(organizer, "A")
    client.force_login(organizer)
    _upload(client, app, "竞赛方案.pdf", PDF_BYTES)
    from applications import services

    services.submit_application(application=app, actor=organizer)
    workflow_engine.perform(application=app, name="start_review", actor=reviewer)
    workflow_engine.perform(application=app, name="return_for_revision", actor=reviewer, comment="请更新方案")
    attachment = Attachment.objects.get()
    client.post(reverse("applications:attachment_remove", args=[app.pk, attachment.pk]))
    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    assert [a["name"] for a in app.versions.get().data["attachments"]] == ["竞赛方案.pdf"]
    assert client.get(reverse("applications:attachment", args=[app.pk, attachment.pk])).status_code == 200


def test_no_upload_once_submitted(client, organizer):
    app = submitted_application(organizer, "A")
    client.force_login(organizer)
    _upload(client, app, "竞赛方案.pdf", PDF_BYTES)
    assert not Attachment.objects.exists()
