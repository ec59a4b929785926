"""The overview's figures on the fixed year equal hand-computed values and the stages' own records."""

from decimal import Decimal

from django.http import QueryDict
from django.utils import timezone

from dashboard.charts import plan_chart, subsidy_chart
from dashboard.figures import Overview
from dashboard.scope import scope_from
from funding.selectors import year_ledger
from haidian_contest.workflow import State
from review.selectors import portfolio


def overview(user, query="cycle=2026", **kw):
    return Overview(user, scope_from(QueryDict(query)), **kw)


def test_headline_figures_equal_the_hand_computed_values(year, approver):
    h = overview(approver).headline()
    assert h["submitted"] == 4
    assert h["approved"] == 3
    assert h["trades_declared"] == 13
    assert h["trades_approved"] == 10
    assert h["participants_planned"] == 770 + 890 + 830
    assert h["participants_actual"] == 60
    assert h["budget"] == Decimal("1110000.00")
    assert h["approved_subsidy"] == Decimal("256000.00") + Decimal("348000.00") + Decimal("60000.00")
    assert h["scheduled"] == Decimal("604000.00")
    assert h["paid_tranche_1"] == Decimal("128000.00")
    assert h["paid_tranche_2"] == Decimal("0.00")
    assert h["paid"] == Decimal("128000.00")
    assert h["outstanding"] == Decimal("476000.00")
    assert h["unsigned_subsidy"] == Decimal("60000.00")


def test_status_counts_list_each_project_once_by_its_state(year, approver):
    counts = dict(overview(approver).status_rows)
    assert counts == {State.AGREEMENT_SIGNED: 1, State.IN_PROGRESS: 1, State.APPROVED: 1, State.PENDING_PARTY: 1}


def test_money_equals_the_funding_ledger(year, approver):
    h = overview(approver).headline()
    ledger = year_ledger(2026)
    assert (h["scheduled"], h["paid"], h["outstanding"]) == (
        ledger.total.scheduled, ledger.total.paid, ledger.total.outstanding)


def test_three_approved_projects_put_traditional_trades_exactly_on_the_forty_percent_line(year, approver):
    plan = overview(approver).plan
    assert (plan.before.total, plan.before.traditional) == (10, 4)
    assert plan.before.traditional_share == Decimal("0.4000")
    assert plan.before.innovative_share == Decimal("0.6000")
    assert plan.before.certifiable_share == Decimal("0.6000")
    assert plan.findings == ()
    assert plan.on_the_line


def test_the_plan_is_the_review_portfolio_of_the_year(year, approver):
    ov = overview(approver, f"cycle=2026&include={year.d.pk}")
    expected = portfolio(2026, [year.d])
    assert (ov.plan.before, ov.plan.after) == (expected.before, expected.after)
    assert ov.budget == expected.before.budget and ov.approved_subsidy == expected.before.subsidy


def test_including_the_pending_application_moves_the_share_over_the_line(year, approver):
    data = plan_chart(overview(approver, f"cycle=2026&include={year.d.pk}"))
    assert data["before"]["traditional_pct"] == "40.00%"
    assert (data["after"]["traditional"], data["after"]["total"]) == (7, 13)
    assert data["after"]["traditional_pct"] == "53.85%"
    assert data["after"]["breach"] is True
    assert [f["clause_label"] for f in data["findings"]] == ["二（一）1"]
    assert data["findings"][0]["waivable_label"] == "可豁免"


def test_include_counts_only_pending_projects_of_the_scope(year, approver):
    # A draft, an approved project and an unknown id in the URL change nothing.
    ov = overview(approver, f"cycle=2026&include={year.a.pk}&include=999999&include=abc")
    assert ov.included_ids == ()
    assert ov.plan.after == ov.plan.before


def test_every_subsidy_share_is_on_its_side_of_the_line_and_forty_percent_is_allowed(year, approver):
    trades = {t["name"]: t for t in subsidy_chart(overview(approver))["trades"]}
    assert trades["中式烹调师"]["share"] == "40.00"
    assert trades["中式烹调师"]["off_line"] is False
    assert trades["人工智能训练师"]["share"] == "70.00"
    assert trades["集成电路工程技术人员"]["share"] == "60.00"
    assert not any(t["off_line"] for t in trades.values())


def test_funnel_payments_and_fields(year, approver):
    ov = overview(approver)
    assert ov.funnel() == [("已提交", 4), ("已立项", 3), ("首笔已拨付", 1), ("绩效审核通过", 0), ("剩余已拨付", 0)]
    assert ov.payments_by_month() == [("2026-06", Decimal("128000.00"), Decimal("0.00"))]
    counts = {key: n for key, _label, n, _subsidy in ov.fields()}
    assert counts == {"ai": 2, "emerging": 3, "tech_services": 1}


def test_filters_by_organization_type_and_union_role(year, approver):
    streets = overview(approver, "cycle=2026&org_type=subdistrict")
    assert streets.headline()["submitted"] == 2  # C and the pending D
    assert streets.headline()["trades_approved"] == 3
    assert streets.plan.whole_year is False
    assert streets.plan.before.traditional_share == Decimal("1.0000")
    assert streets.plan.findings == ()  # a part of the year is not judged against 二（一）

    hosts = overview(approver, "cycle=2026&union_role=host")
    h = hosts.headline()
    assert (h["approved"], h["budget"], h["scheduled"], h["paid"]) == (1, Decimal("530000.00"),
                                                                      Decimal("348000.00"), Decimal("0.00"))
    co_hosts = overview(approver, "cycle=2026&union_role=co_host").headline()
    assert co_hosts["paid_tranche_1"] == Decimal("128000.00")


def test_another_cycle_is_empty(year, approver):
    h = overview(approver, "cycle=2025").headline()
    assert (h["submitted"], h["trades_approved"], h["paid"]) == (0, 0, Decimal("0.00"))


def test_unknown_filter_values_fall_back_to_all(year, approver):
    ov = overview(approver, "cycle=abc&org_type=<script>&union_role=boss")
    assert (ov.scope.org_type, ov.scope.union_role) == ("", "")
    assert ov.scope.cycle == timezone.localdate().year


def test_the_default_cycle_is_this_year_once_it_has_projects_else_the_latest_past_one():
    from dashboard.scope import default_cycle

    this_year = timezone.localdate().year
    assert default_cycle([this_year + 1, this_year, this_year - 1]) == this_year
    assert default_cycle([this_year + 1, this_year - 1, this_year - 2]) == this_year - 1
    assert default_cycle([this_year + 1]) == this_year + 1
    assert default_cycle([]) == this_year
