"""The lists that need action: materials due or overdue, tranche 1 before the start, waivers granted."""

from datetime import date
from decimal import Decimal

from django.http import QueryDict

from dashboard.figures import Overview
from dashboard.lists import materials, tranche_1_due, waivers
from dashboard.scope import scope_from
from tests.funding.stages import agreement_signed, tranche_1_paid
from tests.review.stages import approved_application


def overview(user, today, query="cycle=2026"):
    return Overview(user, scope_from(QueryDict(query)), today=today)


def test_materials_due_within_seven_days(year, reviewer):
    # A ends 2026-09-20: materials due 2026-10-04 (三（五）, two weeks).
    soon, overdue = materials(overview(reviewer, date(2026, 9, 30)))
    assert [(r.application.pk, r.due, r.days_left) for r in soon] == [(year.a.pk, date(2026, 10, 4), 4)]
    assert overdue == []
    assert materials(overview(reviewer, date(2026, 9, 26))) == ([], [])


def test_materials_overdue_from_the_day_after_the_deadline(year, reviewer):
    assert materials(overview(reviewer, date(2026, 10, 4)))[1] == []
    soon, overdue = materials(overview(reviewer, date(2026, 10, 6)))
    assert soon == []
    assert [(r.application.pk, r.days_overdue) for r in overdue] == [(year.a.pk, 2)]


def test_materials_lists_follow_the_filters(year, reviewer):
    assert materials(overview(reviewer, date(2026, 10, 6), "cycle=2026&union_role=host")) == ([], [])


def test_tranche_1_due_before_an_event_that_starts_within_fourteen_days(year, reviewer):
    # B (signed, unpaid) starts 2026-08-01; C (no agreement) starts 2026-09-01; A is paid.
    rows = tranche_1_due(overview(reviewer, date(2026, 7, 20)))
    assert [(r.application.pk, r.days_to_start, r.amount, r.agreement_number) for r in rows] == [
        (year.b.pk, 12, Decimal("174000.00"), "HDZGH-2026-008")]
    assert tranche_1_due(overview(reviewer, date(2026, 7, 17))) == []
    later = tranche_1_due(overview(reviewer, date(2026, 8, 25)))
    assert [(r.application.pk, r.days_to_start, r.amount, r.agreement_number) for r in later] == [
        (year.b.pk, -24, Decimal("174000.00"), "HDZGH-2026-008"),
        (year.c.pk, 7, Decimal("30000.00"), ""),
    ]


def test_waivers_granted_in_review_are_listed_with_both_reasons(year, reviewer):
    rows = waivers(overview(reviewer, date(2026, 11, 1)))
    by_project = {}
    for r in rows:
        by_project.setdefault(r.application_id, []).append(r)
    assert year.a.pk not in by_project
    assert sorted(r.clause_label for r in by_project[year.b.pk]) == ["一（七）", "一（四）", "二（四）"]
    assert [r.clause_label for r in by_project[year.c.pk]] == ["二（一）1"]
    assert year.d.pk in by_project  # pending, but its waiver was already granted in review
    first = by_project[year.b.pk][0]
    assert first.source == "可行性审核"
    assert first.reason == "理由充分，同意豁免。"
    assert first.justification.startswith("该项目具有行业特殊性")
    assert first.decided_by == "陈静"


def test_party_group_waivers_and_a_late_first_tranche_are_listed(street_organizer, reviewer, approver, finance):
    # C approved without the cut: 中式烹调师 at 50% is the group's own waiver (二（一）1, with the meeting's note).
    app = approved_application(street_organizer, reviewer, approver, "C", union_role="support")
    app = agreement_signed(app, reviewer, signed_on=date(2026, 8, 20))
    app = tranche_1_paid(app, finance, paid_on=date(2026, 9, 2), late_reason="协议签订较晚，开赛后第二天拨付。")
    rows = waivers(overview(reviewer, date(2026, 11, 1)))
    group = [r for r in rows if r.source == "2026年第15次党组会"]
    # C alone is also 3 traditional of 3 trades for the year: the group's portfolio waiver (二（一）1).
    assert [(r.clause_label, r.subject, r.reason) for r in group] == [
        ("二（一）1", "中式烹调师", "经党组会研究，同意立项。"), ("二（一）1", "2026年度计划", "经党组会研究，同意立项。")]
    late = [r for r in rows if r.source == "资金拨付"]
    assert [(r.clause_label, r.reason, r.decided_by) for r in late] == [("二（三）", "协议签订较晚，开赛后第二天拨付。", "孙丽")]
