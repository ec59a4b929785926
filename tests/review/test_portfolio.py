"""The year's plan before and after the decisions on the table (二（一）), on SCENARIO.md's data."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications import services as application_services
from review import services
from review.selectors import portfolio
from tests.factories import OrganizationFactory, user_with_role
from tests.lifecycle import build_application
from accounts.roles import Role

from .stages import (
    COLLECTIVE_DATE,
    accept_all_waivers,
    approved_application,
    complete_review,
    party_meeting,
    pending_party_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_and_b_approved(organizer, association_organizer, reviewer, approver):
    approved_application(organizer, reviewer, approver, "A")
    approved_application(association_organizer, reviewer, approver, "B", union_role="host")


@pytest.fixture
def c_on_the_agenda(a_and_b_approved, street_organizer, reviewer, approver):
    app = pending_party_application(street_organizer, reviewer, "C")
    return services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)


def one_traditional_trade_pending(reviewer, approver):
    """A fourth project with a single traditional trade, through the collective decision."""
    user = user_with_role(Role.ORGANIZER, organization=OrganizationFactory(name="上地信息产业园工会", org_type="park"))
    app = build_application(user, "A", title="2026年上地数控技能竞赛")
    for trade in app.trades.filter(category="innovative"):
        application_services.delete_trade(application=app, actor=user, trade=trade)
    application_services.submit_application(application=app, actor=user)
    services.start_review(application=app, actor=reviewer)
    accept_all_waivers(app, reviewer)
    complete_review(app, reviewer)
    services.recommend(application=app, actor=reviewer)
    services.record_collective_decision(application=app, actor=reviewer, outcome="approved", date=COLLECTIVE_DATE)
    return services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)


def test_before_counts_only_approved_projects_and_after_adds_c(c_on_the_agenda):
    plan = portfolio(2026, [c_on_the_agenda])
    assert (plan.before.total, plan.before.traditional, plan.before.traditional_share) == (7, 1, Decimal("0.1429"))
    assert (plan.after.total, plan.after.traditional, plan.after.innovative) == (10, 4, 6)
    assert plan.after.traditional_share == Decimal("0.4000")
    assert plan.after.findings == ()
    assert plan.on_the_line and plan.headroom == 0


def test_after_uses_the_requested_subsidy_of_a_pending_item(c_on_the_agenda):
    plan = portfolio(2026, [c_on_the_agenda])
    assert plan.before.budget == Decimal("960000.00")
    assert plan.before.subsidy == Decimal("604000.00")
    assert plan.after.budget == Decimal("1110000.00")
    assert plan.after.subsidy == Decimal("670000.00")


def test_an_item_not_marked_to_approve_is_left_out_of_after(c_on_the_agenda, approver):
    services.set_projection(item=c_on_the_agenda, actor=approver, include=False)
    plan = portfolio(2026, [c_on_the_agenda])
    assert plan.after == plan.before


def test_with_a_b_and_c_approved_the_year_is_on_the_40_percent_line(a_and_b_approved, street_organizer, reviewer, approver):
    approved_application(street_organizer, reviewer, approver, "C", union_role="support", subsidies={"中式烹调师": Decimal("24000")})
    plan = portfolio(2026)
    assert (plan.before.total, plan.before.traditional, plan.before.traditional_share) == (10, 4, Decimal("0.4000"))
    assert (plan.before.certifiable, plan.before.certifiable_share) == (6, Decimal("0.6000"))
    assert plan.before.budget == Decimal("1110000.00")
    assert plan.before.subsidy == Decimal("664000.00")
    assert plan.before.findings == ()


def test_one_more_traditional_trade_would_breach_the_40_percent_cap(a_and_b_approved, street_organizer, reviewer, approver):
    approved_application(street_organizer, reviewer, approver, "C", union_role="support", subsidies={"中式烹调师": Decimal("24000")})
    item = one_traditional_trade_pending(reviewer, approver)
    plan = portfolio(2026, [item])
    assert (plan.after.total, plan.after.traditional) == (11, 5)
    assert not plan.breach_before and plan.breach_after
    finding = plan.after.findings[0]
    assert (finding.clause_label, finding.waivable) == ("二（一）1", True)


def test_meeting_page_warns_of_the_breach_before_it_happens(a_and_b_approved, street_organizer, reviewer, approver, client):
    approved_application(street_organizer, reviewer, approver, "C", union_role="support", subsidies={"中式烹调师": Decimal("24000")})
    item = one_traditional_trade_pending(reviewer, approver)
    client.force_login(approver)
    html = client.get(reverse("review:meeting", args=[item.meeting_id])).content.decode()
    assert 'data-testid="portfolio-breach"' in html
    assert "45.45%" in html and "40.00%" in html


def test_meeting_page_shows_c_puts_the_year_on_the_line(c_on_the_agenda, approver, client):
    client.force_login(approver)
    html = client.get(reverse("review:meeting", args=[c_on_the_agenda.meeting_id])).content.decode()
    assert 'data-testid="portfolio-on-line"' in html
    assert "1,110,000.00" in html


def test_htmx_toggle_returns_the_refreshed_panel(c_on_the_agenda, approver, client):
    client.force_login(approver)
    response = client.post(reverse("review:item_projection", args=[c_on_the_agenda.pk]), {}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="portfolio"' in html and "<html" not in html
    assert 'data-testid="after-total">7<' in html
    c_on_the_agenda.refresh_from_db()
    assert c_on_the_agenda.include_in_projection is False


def _typed(item, amounts: dict) -> dict:
    data = {f"i{item.pk}-approved": "1"}
    for trade in item.application.trades.all():
        data[f"i{item.pk}-subsidy_{trade.pk}"] = amounts.get(trade.occupation.name, trade.subsidy_requested)
    return data


def test_portfolio_panel_follows_a_subsidy_being_typed_before_the_decision(client, c_on_the_agenda, approver):
    item = c_on_the_agenda
    cook = item.application.trades.get(occupation__name="中式烹调师")
    client.force_login(approver)
    response = client.post(reverse("review:item_portfolio", args=[item.pk]), _typed(item, {"中式烹调师": "24000.00"}),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    expected = Decimal("670000.00") - cook.subsidy_requested + Decimal("24000.00")
    assert response.context["portfolio"].after.subsidy == expected
    assert f'data-testid="after-subsidy">{expected:,.2f}<' in response.content.decode()
    assert response.context["portfolio"].before.subsidy == Decimal("604000.00")
    cook.refresh_from_db()
    assert cook.approved_subsidy is None  # typing records nothing


def test_portfolio_preview_leaves_out_an_amount_not_yet_valid(client, c_on_the_agenda, approver):
    item = c_on_the_agenda
    client.force_login(approver)
    response = client.post(reverse("review:item_portfolio", args=[item.pk]), _typed(item, {"中式烹调师": "24,0a"}),
                           HTTP_HX_REQUEST="true")
    assert response.context["portfolio"].after.subsidy == Decimal("670000.00")


def test_meeting_page_wires_the_subsidy_inputs_to_the_portfolio_panel(client, c_on_the_agenda, approver):
    client.force_login(approver)
    page = client.get(reverse("review:meeting", args=[c_on_the_agenda.meeting_id])).content.decode()
    assert f'hx-post="{reverse("review:item_portfolio", args=[c_on_the_agenda.pk])}"' in page
    assert 'hx-target="#portfolio"' in page


def test_the_party_groups_role_field_asks_for_a_choice_rather_than_showing_dashes(c_on_the_agenda, approver, client):
    client.force_login(approver)
    html = client.get(reverse("review:meeting", args=[c_on_the_agenda.meeting_id])).content.decode()
    select = html.split('data-testid="union-role"')[1].split("</select>")[0]
    assert "---------" not in select and '<option value="">请选择（批准立项时必选）</option>' in select
