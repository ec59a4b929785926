"""SCENARIO.md: B's waivers and resubmission, C's subsidy cut, A approved as co-host."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.template.loader import render_to_string

from applications import services as application_services
from applications.models import Trade
from applications.snapshot import diff_versions
from haidian_contest.workflow import State
from review import services
from review.panels import TEMPLATE, panel_context
from tests.clock import travel

from .stages import (
    approved_application,
    complete_review,
    party_meeting,
    pending_party_application,
    under_review,
)

pytestmark = pytest.mark.django_db

PARTICIPANTS = "too_few_participants:集成电路工程技术人员"
REFUSAL = "集成电路工程技术人员计划参赛 180 人，明显少于 200 人，且未说明扩大参赛范围的措施。"


def return_b(organizer, reviewer):
    """B: the reviewer accepts two waivers, refuses the 180-participant one, returns it."""
    app = under_review(organizer, reviewer, "B")
    review = services.current_review(application=app)
    services.decide_waiver(
        review=review,
        actor=reviewer,
        finding_key="certifiable_share_low:",
        accepted=True,
        reason="新职业尚无取证渠道，同意。",
    )
    services.decide_waiver(
        review=review,
        actor=reviewer,
        finding_key="first_prize_over_cap:集成电路工程技术人员",
        accepted=True,
        reason="创新类可适当提高。",
    )
    services.decide_waiver(review=review, actor=reviewer, finding_key=PARTICIPANTS, accepted=False, reason=REFUSAL)
    complete_review(app, reviewer)
    services.return_for_revision(application=app, actor=reviewer, comment=f"请将集成电路工程技术人员参赛人数提高到 200 人以上。{REFUSAL}")
    app.refresh_from_db()
    return app


def panel_html(app, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(TEMPLATE, {"panel": {"context": panel_context(request, app)}})


def test_b_with_a_refused_waiver_is_returned_for_revision(association_organizer, reviewer):
    app = return_b(association_organizer, reviewer)
    decisions = {w.finding_key: w.accepted for w in services.current_review(application=app).waivers.all()}
    assert app.status == State.RETURNED
    assert decisions == {"certifiable_share_low:": True, "first_prize_over_cap:集成电路工程技术人员": True, PARTICIPANTS: False}


def test_organizer_sees_the_return_comment_and_the_refused_waiver_reason(association_organizer, reviewer):
    app = return_b(association_organizer, reviewer)
    html = panel_html(app, association_organizer)
    assert "请将集成电路工程技术人员参赛人数提高到 200 人以上" in html
    assert REFUSAL in html
    assert "一（七）" in html and "不同意" in html
    # The department's working notes stay internal.
    assert "审核意见：" not in html


def test_organizer_is_notified_of_the_return_with_the_comment(association_organizer, reviewer):
    return_b(association_organizer, reviewer)
    notice = association_organizer.notifications.filter(text__contains="退回修改").get()
    assert "200 人" in notice.text


RESUBMITTED = date(2026, 7, 10)


def test_organizer_raises_participants_and_resubmits_then_the_diff_shows_it(association_organizer, reviewer):
    app = return_b(association_organizer, reviewer)
    trade = Trade.objects.get(application=app, occupation__name="集成电路工程技术人员")
    with travel(RESUBMITTED):  # before B starts on 2026-08-01 (二（三）)
        application_services.save_trade(
            application=app, actor=association_organizer, trade=trade, planned_participants=200,
            judges=list(trade.judges.values("name", "employer", "title", "experience")),
            prizes=list(trade.prize_tiers.values("rank", "count", "amount")),
            budget_lines=list(trade.budget_lines.values("item", "description", "amount")),
        )
        application_services.submit_application(application=app, actor=association_organizer)
    app.refresh_from_db()
    assert (app.status, app.submitted_version) == (State.SUBMITTED, 2)
    v1, v2 = app.versions.order_by("number")
    assert ("trades[2].planned_participants", "180", "200") in diff_versions(v1.data, v2.data)
    assert PARTICIPANTS not in {f["key"] for f in v2.findings}


def test_second_round_keeps_the_accepted_waivers_and_can_be_recommended(association_organizer, reviewer):
    app = return_b(association_organizer, reviewer)
    trade = Trade.objects.get(application=app, occupation__name="集成电路工程技术人员")
    with travel(RESUBMITTED):  # before B starts on 2026-08-01 (二（三）)
        application_services.save_trade(
            application=app, actor=association_organizer, trade=trade, planned_participants=200,
            judges=list(trade.judges.values("name", "employer", "title", "experience")),
            prizes=list(trade.prize_tiers.values("rank", "count", "amount")),
            budget_lines=list(trade.budget_lines.values("item", "description", "amount")),
        )
        application_services.submit_application(application=app, actor=association_organizer)
    services.start_review(application=app, actor=reviewer)
    app.refresh_from_db()
    review = services.current_review(application=app)
    assert review.round == 2
    assert {w.finding_key: w.carried_from_round for w in review.waivers.all()} == {
        "certifiable_share_low:": 1, "first_prize_over_cap:集成电路工程技术人员": 1}
    complete_review(app, reviewer)
    services.recommend(application=app, actor=reviewer)
    app.refresh_from_db()
    assert app.status == State.RECOMMENDED


def test_c_subsidy_cut_to_24000_satisfies_the_40_percent_cap(street_organizer, reviewer, approver):
    app = approved_application(street_organizer, reviewer, approver, "C", union_role="support",
                               subsidies={"中式烹调师": Decimal("24000.00")})
    cook = app.trades.get(occupation__name="中式烹调师")
    item = app.agenda_items.get()
    assert app.status == State.APPROVED
    assert cook.approved_subsidy == Decimal("24000.00")
    # No subsidy waiver is left; C alone (3 traditional of 3) is over the year's 40% cap, which is a
    # portfolio waiver of its own (test_portfolio_decision.py).
    assert [w for w in item.group_waivers if not w["key"].startswith("decision_")] == []


def test_c_approved_at_the_requested_50_percent_is_the_groups_recorded_waiver(street_organizer, reviewer, approver):
    app = approved_application(street_organizer, reviewer, approver, "C")
    waiver = app.agenda_items.get().group_waivers[0]
    assert (waiver["clause_label"], waiver["subject"]) == ("二（一）1", "中式烹调师")
    assert waiver["reason"] == "经党组会研究，同意立项。"


def test_a_subsidy_above_the_traditional_cap_needs_the_groups_reason(street_organizer, reviewer, approver):
    app = pending_party_application(street_organizer, reviewer, "C")
    item = services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)
    amounts = {t.pk: t.subsidy_requested for t in app.trades.all()}
    with pytest.raises(ValidationError, match="须在会议意见中写明理由"):
        services.record_party_decision(
            item=item, actor=approver, approved=True, union_role="support", approved_subsidies=amounts
        )
    app.refresh_from_db()
    assert app.status == State.PENDING_PARTY
    assert app.union_role == ""


def test_a_subsidy_above_the_trade_budget_is_refused_as_a_hard_finding(street_organizer, reviewer, approver):
    app = pending_party_application(street_organizer, reviewer, "C")
    item = services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)
    amounts = {t.pk: t.subsidy_requested for t in app.trades.all()}
    cook = app.trades.get(occupation__name="中式烹调师")
    amounts[cook.pk] = Decimal("70000.00")
    with pytest.raises(ValidationError, match="不可豁免"):
        services.record_party_decision(item=item, actor=approver, approved=True, union_role="support",
                                       approved_subsidies=amounts, note="同意")
    assert Trade.objects.get(pk=cook.pk).approved_subsidy is None


def test_approval_needs_the_unions_role_and_every_trades_subsidy(organizer, reviewer, approver):
    app = pending_party_application(organizer, reviewer)
    item = services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)
    amounts = {t.pk: t.subsidy_requested for t in app.trades.all()}
    with pytest.raises(ValidationError, match="一（五）"):
        services.record_party_decision(
            item=item, actor=approver, approved=True, union_role="", approved_subsidies=amounts
        )
    amounts.popitem()
    with pytest.raises(ValidationError, match="请核定"):
        services.record_party_decision(
            item=item, actor=approver, approved=True, union_role="host", approved_subsidies=amounts
        )


def test_party_approve_guard_refuses_without_a_recorded_decision(organizer, reviewer, approver):
    from applications.workflow_engine import WorkflowError, perform

    app = pending_party_application(organizer, reviewer)
    with pytest.raises(WorkflowError, match="一（五）"):
        perform(application=app, name="party_approve", actor=approver)


def test_a_is_approved_at_the_15th_meeting_as_co_host(organizer, reviewer, approver):
    app = approved_application(organizer, reviewer, approver, "A", union_role="co_host")
    item = app.agenda_items.select_related("meeting").get()
    assert (item.meeting.session, app.union_role, app.status_label) == ("2026年第15次党组会", "co_host", "已立项")
    assert sum(t.approved_subsidy for t in app.trades.all()) == Decimal("256000.00")


def test_project_panel_shows_the_party_decision_to_the_organizer(organizer, reviewer, approver):
    app = approved_application(organizer, reviewer, approver)
    html = panel_html(app, organizer)
    assert "2026年第15次党组会" in html and "联合主办" in html and "126,000.00" in html


def test_project_page_shows_the_organizer_the_return_comment(client, association_organizer, reviewer):
    from django.urls import reverse

    app = return_b(association_organizer, reviewer)
    client.force_login(association_organizer)
    html = client.get(reverse("applications:detail", args=[app.pk]) + "?tab=review").content.decode()
    assert 'data-testid="return-comment"' in html  # above every tab
    assert 'data-testid="review-panel"' in html
    assert "请将集成电路工程技术人员参赛人数提高到 200 人以上" in html and REFUSAL in html


def _cook_raised_above_request(street_organizer, reviewer, approver):
    app = pending_party_application(street_organizer, reviewer, "C")
    item = services.add_to_agenda(meeting=party_meeting(approver), application=app, actor=approver)
    amounts = {t.pk: t.subsidy_requested for t in app.trades.all()}
    cook = app.trades.get(occupation__name="中式烹调师")
    amounts[cook.pk] = cook.subsidy_requested + Decimal("5000.00")
    assert amounts[cook.pk] <= cook.budget_total
    return app, item, cook, amounts


def test_approving_above_the_request_is_refused_without_its_own_reason(street_organizer, reviewer, approver):
    app, item, cook, amounts = _cook_raised_above_request(street_organizer, reviewer, approver)
    with pytest.raises(ValidationError, match="高于申报表所列申请补助.*单独写明理由"):
        services.record_party_decision(item=item, actor=approver, approved=True, union_role="support",
                                       approved_subsidies=amounts, note="同意超过40%的补助比例。")
    assert Trade.objects.get(pk=cook.pk).approved_subsidy is None


def test_approving_above_the_request_records_its_own_reason(street_organizer, reviewer, approver):
    app, item, cook, amounts = _cook_raised_above_request(street_organizer, reviewer, approver)
    item = services.record_party_decision(item=item, actor=approver, approved=True, union_role="support",
                                          approved_subsidies=amounts, note="同意超过40%的补助比例。",
                                          raise_reason="该工种示范性强，党组会决定提高补助。")
    [raised] = [w for w in item.group_waivers if w["key"] == "approved_above_request:中式烹调师"]
    assert (raised["clause_label"], raised["reason"]) == ("三（一）", "该工种示范性强，党组会决定提高补助。")
    assert Trade.objects.get(pk=cook.pk).approved_subsidy == amounts[cook.pk]
