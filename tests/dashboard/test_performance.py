"""The year view of the self-evaluations: average score, projects below the threshold, most-missed indicators."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import workflow_engine
from dashboard.performance import year_performance
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.performance.stages import expected_results_recorded
from tests.review.stages import approved_application

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("dashboard:overview") + "?cycle=2026"


def _audited(organizer, reviewer, approver, finance, key, number, monkeypatch):
    """立项 → 协议 → 首笔 → 材料 → 审核通过 (materials taken as complete), no roster: low score."""
    monkeypatch.setitem(workflow_engine.GUARDS, "materials_complete", lambda application: [])
    app = approved_application(organizer, reviewer, approver, key, union_role="host")
    app = tranche_1_paid(agreement_signed(app, reviewer, number=number), finance, late_reason="测试：竞赛已开始。")
    workflow_engine.perform(application=app, name="submit_materials", actor=organizer)
    workflow_engine.perform(application=app, name="audit_pass", actor=reviewer, comment="通过")
    app.refresh_from_db()
    return expected_results_recorded(app, reviewer, reason="测试：名单尚未上传，同意豁免。")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(OVERVIEW)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_year_view_shows_average_below_threshold_and_most_missed(
    client, organizer, association_organizer, reviewer, approver, finance, monkeypatch
):
    a = _audited(organizer, reviewer, approver, finance, "A", "HDZGH-2026-101", monkeypatch)
    view = year_performance(2026)
    outcome = a.expected_results.get()
    assert view.count == 1 and view.average == outcome.score
    assert [o.application_id for o in view.below] == [a.pk]
    assert ("实名参赛人数", 1) in view.missed
    client.force_login(approver)
    html = client.get(OVERVIEW).content.decode()
    assert 'data-testid="year-performance"' in html
    assert f'data-testid="performance-average">{outcome.score}' in html
    assert a.title in html and "实名参赛人数（1 项）" in html


def test_the_year_view_keeps_a_constant_query_count_as_projects_grow(
    client, organizer, association_organizer, reviewer, approver, finance, monkeypatch
):
    _audited(organizer, reviewer, approver, finance, "A", "HDZGH-2026-101", monkeypatch)
    client.force_login(approver)
    _queries(client)  # the first request of a session warms caches the count should not include
    one = _queries(client)
    _audited(association_organizer, reviewer, approver, finance, "B", "HDZGH-2026-102", monkeypatch)
    assert year_performance(2026).count == 2
    # B's approval changed what the cached year totals are read from: the first request after it
    # recomputes them (funding/selectors.py), the next one is back to the cached count.
    _queries(client)
    assert _queries(client) == one


def test_a_superseded_outcome_is_not_counted_twice(
    client, organizer, reviewer, approver, finance, monkeypatch
):
    from performance import self_evaluation as se

    a = _audited(organizer, reviewer, approver, finance, "A", "HDZGH-2026-101", monkeypatch)
    se.record_expected_results(a, actor=reviewer, outcome="reduced", reason="改为核减", tranche_2_amount="1000.00")
    view = year_performance(2026)
    assert view.count == 1 and view.below[0].tranche_2_amount == Decimal("1000.00")
