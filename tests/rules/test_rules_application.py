"""evaluate_application and evaluate_plan, plus one check per clause id."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from haidian_contest import rules

RS = rules.RULESET_2026
D = Decimal

AI_TRAINER = rules.TradeInput(
    name="人工智能训练师", category="innovative", certifiable=True, planned_participants=300,
    judges=5, budget=D(200000), subsidy=D(120000), occupation_code="4-04-05-05", field="ai",
    prizes=(rules.PrizeTier(1, 3, D(5000)), rules.PrizeTier(2, 6, D(3000)), rules.PrizeTier(3, 9, D(2000))),
)
FITTER = rules.TradeInput(
    name="钳工", category="traditional", certifiable=False, planned_participants=250,
    judges=3, budget=D(100000), subsidy=D(40000), occupation_code="6-18-01-01",
)
GOOD = rules.ApplicationInput(trades=(AI_TRAINER, FITTER), organization_type="park")


def codes(findings):
    return [f.code for f in findings]


def test_compliant_application_has_no_findings():
    assert rules.evaluate_application(GOOD, RS) == []


def test_application_without_trades_is_hard():
    [finding] = rules.evaluate_application(rules.ApplicationInput(trades=()), RS)
    assert (finding.clause, finding.code, finding.waivable) == ("3.1a", "no_trades", False)
    assert "至少申报一个职业（工种）" in finding.message


def test_social_organization_lead_is_reported():
    app = replace(GOOD, organization_type="social_org", co_applicant_count=1)
    assert codes(rules.evaluate_application(app, RS)) == ["social_org_cannot_lead"]


def test_empty_organization_type_skips_the_lead_check():
    assert rules.evaluate_application(replace(GOOD, organization_type=""), RS) == []


def test_missing_plan_sections_are_one_hard_finding():
    app = replace(GOOD, missing_plan_sections=("评比办法", "资金来源"))
    [finding] = rules.evaluate_application(app, RS)
    assert (finding.clause, finding.code, finding.waivable) == ("3.1a", "plan_sections_missing", False)
    assert "评比办法" in finding.message and "资金来源" in finding.message


def test_certifiable_share_is_checked_over_the_trades():
    app = replace(GOOD, trades=(replace(AI_TRAINER, certifiable=False), FITTER, FITTER, FITTER))
    assert codes(rules.evaluate_application(app, RS)) == ["certifiable_share_low"]


def test_trade_findings_carry_the_trade_name_as_subject():
    app = replace(GOOD, trades=(AI_TRAINER, replace(FITTER, judges=2)))
    [finding] = rules.evaluate_application(app, RS)
    assert (finding.subject, finding.key) == ("钳工", "too_few_judges:钳工")


def test_each_trade_rule_is_applied():
    bad = replace(AI_TRAINER, occupation_code="", field="", judges=1, planned_participants=80,
                  subsidy=D(100000))
    found = rules.evaluate_application(replace(GOOD, trades=(bad, FITTER)), RS)
    assert codes(found) == ["standard_missing", "field_missing", "too_few_judges",
                            "too_few_participants", "innovative_subsidy_low"]


def test_prize_tiers_over_the_cap_get_distinct_keys():
    trade = replace(FITTER, prizes=(rules.PrizeTier(1, 1, D(6000)), rules.PrizeTier(2, 2, D(3500))))
    found = rules.evaluate_application(replace(GOOD, trades=(AI_TRAINER, trade)), RS)
    assert [f.key for f in found] == ["first_prize_over_cap:钳工", "second_prize_over_cap:钳工"]
    assert "一等奖" in found[0].message and "二等奖" in found[1].message


def test_negative_prize_count_is_hard():
    trade = replace(FITTER, prizes=(rules.PrizeTier(3, -1, D(1000)),))
    [finding] = rules.evaluate_application(replace(GOOD, trades=(AI_TRAINER, trade)), RS)
    assert (finding.clause, finding.code, finding.waivable) == ("2.4c", "third_prize_count_negative", False)


def test_empty_prize_tier_is_not_checked_against_the_cap():
    trade = replace(FITTER, prizes=(rules.PrizeTier(1, 0, D(9000)),))
    assert rules.evaluate_application(replace(GOOD, trades=(AI_TRAINER, trade)), RS) == []


def test_findings_keep_input_order():
    app = replace(GOOD, organization_type="social_org",
                  trades=(replace(AI_TRAINER, judges=1), replace(FITTER, judges=1)))
    assert [(f.code, f.subject) for f in rules.evaluate_application(app, RS)] == [
        ("social_org_cannot_lead", ""), ("too_few_judges", "人工智能训练师"), ("too_few_judges", "钳工")]


def test_application_uses_the_ruleset_in_force_on_submission(monkeypatch):
    later = replace(RS, effective_from=date(2028, 1, 1), min_judges=5)
    monkeypatch.setattr(rules.ruleset, "RULESETS", (RS, later))
    old = replace(GOOD, trades=(AI_TRAINER, replace(FITTER, judges=3)), submitted_on=date(2027, 5, 1))
    new = replace(old, submitted_on=date(2028, 5, 1))
    assert rules.evaluate_application(old) == []
    assert codes(rules.evaluate_application(new)) == ["too_few_judges"]


def test_explicit_ruleset_wins_over_submission_date():
    strict = replace(RS, min_judges=10)
    app = replace(GOOD, submitted_on=date(2026, 5, 1))
    assert codes(rules.evaluate_application(app, strict)) == ["too_few_judges", "too_few_judges"]


# evaluate_plan

def plan(*categories, certifiable=True):
    return [rules.PlanTrade(c, certifiable, D(100), D(50)) for c in categories]


def test_plan_summary_counts_shares_and_totals():
    summary = rules.evaluate_plan(plan("traditional") * 4 + plan("innovative") * 6, RS)
    assert (summary.total, summary.traditional, summary.innovative, summary.certifiable) == (10, 4, 6, 10)
    assert (summary.traditional_share, summary.innovative_share) == (D("0.4000"), D("0.6000"))
    assert (summary.budget, summary.subsidy) == (D(1000), D(500))
    assert summary.findings == ()


def test_plan_shares_are_rounded_to_four_places():
    summary = rules.evaluate_plan(plan("traditional") + plan("innovative") * 2, RS)
    assert (summary.traditional_share, summary.innovative_share) == (D("0.3333"), D("0.6667"))


def test_plan_with_too_many_traditional_trades_reports_2_1_1a():
    summary = rules.evaluate_plan(plan("traditional") * 5 + plan("innovative") * 6, RS)
    assert [f.clause for f in summary.findings] == ["2.1.1a"]


def test_empty_plan_has_zero_shares_and_no_findings():
    summary = rules.evaluate_plan([], RS)
    assert (summary.total, summary.traditional_share, summary.certifiable_share) == (0, D(0), D(0))
    assert summary.findings == ()


def test_plan_with_unknown_category_is_an_error():
    with pytest.raises(ValueError):
        rules.evaluate_plan(plan("modern"), RS)


# One producer per clause id, so a renumbering cannot slip through silently.

CLAUSE_PRODUCERS = {
    "1.1": lambda: rules.check_lead_organization("social_org", 0),
    "1.2": lambda: rules.check_trade_standard("", ""),
    "1.4": lambda: rules.check_certifiable_share(0, 1),
    "1.6": lambda: rules.check_judges(0),
    "1.7": lambda: rules.check_participants(0),
    "1.8": lambda: rules.check_retention(date(2026, 5, 1), date(2026, 6, 1)),
    "2.1.1a": lambda: rules.check_category_split(1, 0),
    "2.1.1b": lambda: rules.check_subsidy_share("traditional", D(10), D(5)),
    "2.1.2b": lambda: rules.check_subsidy_share("innovative", D(10), D(5)),
    "2.2": lambda: rules.check_innovative_field("innovative", ""),
    "2.3a": lambda: rules.check_tranche_release(1, agreement_signed=False, release_date=date(2026, 5, 1),
                                                competition_start=None, audit_passed=False),
    "2.3b": lambda: rules.check_tranche_release(2, agreement_signed=True, release_date=date(2026, 5, 1),
                                                competition_start=None, audit_passed=False),
    "2.4a": lambda: rules.check_entries([("11010519491231002X", 1, "A"), ("11010519491231002X", 1, "B")], []),
    "2.4b": lambda: rules.check_entries([("11010519491231002X", 1, "A")], [("11010519491231002X", "A")]),
    "2.4c": lambda: rules.check_prize("traditional", 1, D(5001)),
    "3.1a": lambda: rules.evaluate_application(rules.ApplicationInput(trades=())),
    "4.1": lambda: rules.check_report(1500, ["name"]),
    "4.2a": lambda: rules.check_photos([]),
    "4.2b": lambda: rules.check_video(0),
}


@pytest.mark.parametrize("clause", CLAUSE_PRODUCERS)
def test_finding_cites_its_clause(clause):
    findings = CLAUSE_PRODUCERS[clause]()
    assert [f.clause for f in findings] == [clause]
    assert findings[0].message.startswith(findings[0].clause_label)


def test_prize_money_totalling_more_than_the_trades_budget_is_a_hard_finding():
    # 20 first prizes of 5,000 (within the per-person cap) = 100,000.00 on a 100,000.00 budget passes;
    # one more fen-worth of prize does not.
    at_budget = replace(FITTER, prizes=(rules.PrizeTier(1, 20, D(5000)),))
    assert rules.evaluate_application(replace(GOOD, trades=(AI_TRAINER, at_budget)), RS) == []
    over = replace(FITTER, prizes=(rules.PrizeTier(1, 20, D(5000)), rules.PrizeTier(3, 1, D("0.01"))))
    [finding] = rules.evaluate_application(replace(GOOD, trades=(AI_TRAINER, over)), RS)
    assert (finding.key, finding.clause_label, finding.waivable) == ("prizes_exceed_budget:钳工", "三（一）", False)
