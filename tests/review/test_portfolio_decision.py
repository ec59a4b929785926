"""A party decision that takes the year over the 40% traditional cap (2.1.1a) is a waiver on the record."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from review import services
from review.models import AgendaItem

from .stages import approved_application
from .test_portfolio import a_and_b_approved, one_traditional_trade_pending  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_the_line(a_and_b_approved, street_organizer, reviewer, approver):  # noqa: F811
    """A, B and C approved: 4 traditional of 10 trades, exactly 40%."""
    approved_application(street_organizer, reviewer, approver, "C", union_role="support",
                         subsidies={"中式烹调师": Decimal("24000")})


def _approve(item, approver, note):
    amounts = {t.pk: t.subsidy_requested for t in item.application.trades.all()}
    return services.record_party_decision(item=item, actor=approver, approved=True, union_role="host",
                                          approved_subsidies=amounts, note=note)


def test_approving_past_the_cap_without_a_reason_is_refused(on_the_line, reviewer, approver):
    item = one_traditional_trade_pending(reviewer, approver)
    with pytest.raises(ValidationError) as raised:
        _approve(item, approver, "")
    message = raised.value.messages[0]
    assert "二（一）1" in message and "45.45%（5/11）" in message and "写明理由" in message
    item.refresh_from_db()
    assert item.is_pending


def test_approving_past_the_cap_with_a_reason_records_the_groups_waiver(on_the_line, reviewer, approver):
    item = one_traditional_trade_pending(reviewer, approver)
    _approve(item, approver, "数控人才缺口大，党组会同意本年度传统类占比超过40%。")
    item = AgendaItem.objects.get(pk=item.pk)
    [waiver] = [w for w in item.group_waivers if w["key"].startswith("decision_traditional_share_high")]
    assert waiver["clause_label"] == "二（一）1"
    assert "45.45%（5/11）" in waiver["message"] and "批准前 40.00%（4/10）" in waiver["message"]
    assert waiver["reason"] == "数控人才缺口大，党组会同意本年度传统类占比超过40%。"
    assert waiver["subject"] == "2026年度计划"


def test_approving_onto_the_line_exactly_is_no_finding(a_and_b_approved, street_organizer, reviewer, approver):  # noqa: F811
    approved_application(street_organizer, reviewer, approver, "C", union_role="support",
                         subsidies={"中式烹调师": Decimal("24000")})
    item = AgendaItem.objects.get(application__title__contains="学院路")
    assert not [w for w in item.group_waivers if w["key"].startswith("decision_")]


def test_the_dashboard_shows_the_years_portfolio_waivers(on_the_line, reviewer, approver, client):
    item = one_traditional_trade_pending(reviewer, approver)
    _approve(item, approver, "数控人才缺口大，党组会同意。")
    client.force_login(reviewer)
    page = client.get(reverse("dashboard:overview") + "?cycle=2026").content.decode()
    assert 'data-testid="portfolio-waiver"' in page
    assert "45.45%（5/11）" in page and "数控人才缺口大，党组会同意。" in page
