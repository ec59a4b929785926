"""The performance sections of the project page (applications.panels)."""

import pytest
from django.urls import reverse

from tests.lifecycle import build_application

pytestmark = pytest.mark.django_db


def detail(client, user, app, tab="performance"):
    client.force_login(user)
    return client.get(reverse("applications:detail", args=[app.pk]) + f"?tab={tab}").content.decode()


def test_organizer_sees_the_materials_panel_with_deadline_and_overdue_badge(client, in_progress, organizer):
    page = detail(client, organizer, in_progress)
    assert 'data-testid="performance-panel"' in page
    assert "2026年10月4日" in page and 'data-testid="overdue-badge"' in page  # today is after the deadline
    assert "填报赛事文件与绩效审核材料" in page
    assert 'data-testid="performance-exports-panel"' not in page


def test_draft_project_has_no_performance_panels(client, organizer):
    page = detail(client, organizer, build_application(organizer, "A"))
    assert "performance-panel" not in page and "performance-audit-panel" not in page
    assert 'data-testid="tab-performance"' not in page


def test_reviewer_is_offered_the_audit_once_materials_are_in(client, submitted, reviewer):
    page = detail(client, reviewer, submitted)
    assert 'data-testid="performance-audit-panel"' in page
    assert reverse("performance:audit", args=[submitted.pk]) in page and "进行绩效审核" in page


def test_auditor_gets_the_pdf_and_bundle_buttons(client, in_progress, auditor):
    page = detail(client, auditor, in_progress, tab="performance_exports")
    assert reverse("performance:export_project", args=[in_progress.pk, "summary_pdf"]) in page
    assert reverse("performance:export_project", args=[in_progress.pk, "bundle"]) in page


def test_export_button_through_htmx_returns_the_job_partial(client, in_progress, auditor,
                                                             django_capture_on_commit_callbacks):
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("performance:export_project", args=[in_progress.pk, "summary_pdf"]),
                               headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'data-testid="export-job"' in html and "<html" not in html
