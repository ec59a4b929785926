"""Organizers see their own unit's projects only: every URL of the app is a 404 for another unit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from applications import services
from tests.clock import APPLIED, travel
from tests.lifecycle import build_application, submitted_application

from .test_attachments import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organizer, reviewer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    app = submitted_application(organizer, "A")
    from applications import workflow_engine

    workflow_engine.perform(application=app, name="start_review", actor=reviewer)
    workflow_engine.perform(application=app, name="return_for_revision", actor=reviewer, comment="请修改")
    services.add_attachment(
        application=app, actor=organizer, kind="plan", uploaded=SimpleUploadedFile("方案.pdf", PDF_BYTES)
    )
    with travel(APPLIED):  # resubmitted before the competition starts (二（三）)
        services.submit_application(application=app, actor=organizer)
    return app


def _urls_with_pk(app):
    """Every applications URL that names a project, filled in for `app`."""
    trade = app.trades.first()
    attachment = app.attachments.first()
    values = {"pk": app.pk, "trade_pk": trade.pk, "attachment_pk": attachment.pk, "number": 2}
    resolver = get_resolver().url_patterns
    app_patterns = next(p for p in resolver if getattr(p, "namespace", None) == "applications").url_patterns
    urls = []
    for pattern in app_patterns:
        params = pattern.pattern.regex.groupindex
        if "pk" in params:
            urls.append(reverse(f"applications:{pattern.name}", kwargs={k: values[k] for k in params}))
    return urls


def test_another_units_organizer_gets_404_on_every_url(client, project, other_organizer):
    urls = _urls_with_pk(project)
    assert len(urls) >= 14
    client.force_login(other_organizer)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "save", "name": "start_review"}).status_code == 404, url
    listing = client.get(reverse("applications:list")).content.decode()
    assert project.title not in listing


def test_the_owner_reaches_every_url(client, project, organizer):
    client.force_login(organizer)
    for url in _urls_with_pk(project):
        assert client.get(url).status_code in (200, 302, 405), url


def test_staff_see_every_unit(client, project, reviewer, auditor):
    for user in (reviewer, auditor):
        client.force_login(user)
        assert client.get(reverse("applications:detail", args=[project.pk])).status_code == 200
        assert project.title in client.get(reverse("applications:list")).content.decode()


def test_anonymous_is_sent_to_login(client, organizer):
    app = build_application(organizer, "A")
    response = client.get(reverse("applications:detail", args=[app.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
