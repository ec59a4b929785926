"""The year's subsidy budget (the year's call, issue 16): shown to the party group, a finding past it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Call
from haidian_contest import rules
from review import services
from review.models import AgendaItem
from tests.review.stages import party_meeting, pending_party_application

pytestmark = pytest.mark.django_db


def set_budget(amount: str, cycle: int = 2026):
    Call.objects.filter(cycle=cycle).update(budget=Decimal(amount))


def on_agenda(organizer, reviewer, approver):
    app = pending_party_application(organizer, reviewer, "A")
    return app, services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)


def requested(app) -> dict:
    return {t.pk: t.subsidy_requested for t in app.trades.all()}


def test_a_plan_within_the_budget_raises_nothing():
    assert rules.check_year_budget(Decimal("0.00"), Decimal("100000.00"), Decimal("100000.00")) == []


def test_one_fen_past_the_budget_is_a_waivable_finding_that_says_by_how_much():
    [finding] = rules.check_year_budget(Decimal("0.00"), Decimal("100000.01"), Decimal("100000.00"))
    assert finding.waivable and finding.clause == "3.2"
    assert "超出 0.01 元" in finding.message and "100,000.00 元" in finding.message


def test_a_decision_that_adds_nothing_to_a_year_already_over_is_not_a_new_breach():
    assert rules.check_year_budget(Decimal("200.00"), Decimal("200.00"), Decimal("100.00")) == []


def test_without_a_budget_nothing_is_checked():
    assert rules.check_year_budget(Decimal("0.00"), Decimal("9e9"), None) == []


def test_approving_past_the_budget_needs_the_groups_reason(organizer, reviewer, approver):
    app, item = on_agenda(organizer, reviewer, approver)
    total = sum(requested(app).values())
    set_budget(str(total - Decimal("0.01")))
    with pytest.raises(ValidationError, match="超过年度补助预算"):
        services.record_party_decision(item=item, actor=approver, approved=True, union_role="co_host",
                                       approved_subsidies=requested(app), note="")
    item = services.record_party_decision(item=item, actor=approver, approved=True, union_role="co_host",
                                          approved_subsidies=requested(app), note="年度追加预算已报批。")
    assert any(w["key"].startswith("year_budget_exceeded") or "year_budget_exceeded" in w["key"]
               for w in AgendaItem.objects.get(pk=item.pk).group_waivers)


def test_cutting_the_subsidy_to_the_budget_needs_no_reason(organizer, reviewer, approver):
    app, item = on_agenda(organizer, reviewer, approver)
    cut = {pk: amount for pk, amount in requested(app).items()}
    first = next(iter(cut))
    total = sum(cut.values())
    set_budget(str(total - Decimal("1000.00")))
    cut[first] -= Decimal("1000.00")
    services.record_party_decision(
        item=item, actor=approver, approved=True, union_role="co_host", approved_subsidies=cut, note=""
    )
    app.refresh_from_db()
    assert app.status == "approved"


def test_the_party_groups_panel_shows_what_is_left_of_the_budget(client, organizer, reviewer, approver):
    app, item = on_agenda(organizer, reviewer, approver)
    set_budget("1000000.00")
    client.force_login(approver)
    html = client.get(reverse("review:meeting", args=[item.meeting.pk])).content.decode()
    left = Decimal("1000000.00") - sum(requested(app).values())
    assert 'data-testid="after-budget-left"' in html and f"{left:,.2f}" in html


def test_the_dashboard_shows_the_budget_against_approved_subsidies(client, reviewer):
    set_budget("1234567.89")
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:overview"), {"cycle": 2026}).content.decode()
    assert 'data-testid="figure-year-budget"' in html and "1,234,567.89" in html
