"""Performance targets and the self-evaluation score (2.3b 达到预期效果)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from haidian_contest import rules
from haidian_contest.rules import performance_targets as pt

RS = rules.RULESET_2026
PLAN = pt.PlanFigures(planned_participants=770, trades=3, certifiable_trades=2, certifiable_winner_places=36,
                      subsidy=Decimal("256000.00"))


def by_key(indicators):
    return {i.key: i for i in indicators}


def test_2026_ruleset_holds_the_form_weights_and_the_threshold():
    assert dict(RS.performance_weights) == {"budget": 10, "output": 50, "effect": 30, "satisfaction": 10}
    assert RS.expected_results_score == Decimal("80")


def test_weights_that_do_not_sum_to_100_are_refused():
    with pytest.raises(ValueError):
        replace(RS, performance_weights={"budget": 10, "output": 50, "effect": 30, "satisfaction": 5})


def test_proposed_targets_follow_the_application():
    targets = by_key(pt.propose_targets(PLAN, ruleset=RS))
    assert targets["participants"].target == Decimal(770)
    assert targets["trades_held"].target == Decimal(3)
    assert targets["certifiable_share"].target == Decimal("66.67")
    assert targets["certified_winners"].target == Decimal(36)
    assert targets["materials_days"].target == Decimal(14)
    assert targets["materials_days"].comparison == pt.LE
    assert targets["subsidy_per_participant"].target == Decimal("332.47")
    assert targets["satisfaction"].target == Decimal(90)


def test_participants_target_is_never_below_the_measures_minimum():
    targets = by_key(pt.propose_targets(replace(PLAN, planned_participants=150), ruleset=RS))
    assert targets["participants"].target == Decimal(200)


def test_certifiable_share_target_is_never_below_30_percent():
    targets = by_key(pt.propose_targets(replace(PLAN, certifiable_trades=0), ruleset=RS))
    assert targets["certifiable_share"].target == Decimal("30.00")


def test_proposed_points_follow_the_category_weights():
    proposed = pt.propose_targets(PLAN, ruleset=RS)
    assert pt.points_problems([(i.category_1, i.category_2, i.points) for i in proposed], ruleset=RS) == []
    assert sum(i.points for i in proposed) == 100


def test_a_revision_with_other_weights_rescales_the_proposed_points():
    later = replace(RS, effective_from=date(2028, 1, 1),
                    performance_weights={"budget": 20, "output": 40, "effect": 30, "satisfaction": 10})
    proposed = pt.propose_targets(PLAN, ruleset=later)
    assert pt.points_problems([(i.category_1, i.category_2, i.points) for i in proposed], ruleset=later) == []
    assert by_key(proposed)["execution_rate"].points == 20


def test_points_not_matching_a_category_weight_are_named_in_chinese():
    rows = [("budget", "execution", 10), ("output", "quantity", 45), ("effect", "social", 35),
            ("satisfaction", "users", 10)]
    problems = pt.points_problems(rows, ruleset=RS)
    assert "“产出指标”各项分值合计应为 50 分，现为 45 分。" in problems
    assert "“效益指标”各项分值合计应为 30 分，现为 35 分。" in problems


def test_a_level_2_category_under_the_wrong_level_1_is_refused():
    rows = [("budget", "social", 10), ("output", "quantity", 50), ("effect", "social", 30),
            ("satisfaction", "users", 10)]
    assert any("不属于一级指标“预算执行率”" in p for p in pt.points_problems(rows, ruleset=RS))


def test_an_empty_target_table_is_refused():
    assert pt.points_problems([], ruleset=RS) == ["请填写绩效目标（至少包括系统建议的各项指标）。"]


@pytest.mark.parametrize(("comparison", "target", "actual", "points", "score"), [
    (pt.GE, Decimal(200), Decimal(200), 20, Decimal("20.00")),   # met exactly
    (pt.GE, Decimal(200), Decimal(250), 20, Decimal("20.00")),   # exceeded: never more than the points
    (pt.GE, Decimal(200), Decimal(180), 20, Decimal("18.00")),   # 10 % under: proportional
    (pt.GE, Decimal(36), Decimal(0), 20, Decimal("0.00")),       # no certificates
    (pt.LE, Decimal(14), Decimal(14), 5, Decimal("5.00")),
    (pt.LE, Decimal(14), Decimal(21), 5, Decimal("3.33")),       # inverse proportional
    (pt.LE, Decimal(0), Decimal(3), 5, Decimal("0.00")),
    (pt.EQ, Decimal(1), Decimal(1), 5, Decimal("5.00")),
    (pt.EQ, Decimal(1), Decimal(0), 5, Decimal("0.00")),
    (pt.GE, Decimal(90), None, 10, Decimal("0.00")),             # not filled in
])
def test_score_line(comparison, target, actual, points, score):
    assert pt.score_line(comparison, target, actual, points) == score


def test_score_refuses_a_float_actual():
    with pytest.raises(TypeError):
        pt.score_line(pt.GE, Decimal(200), 180.0, 20)


def test_the_rule_text_states_the_threshold_of_the_ruleset():
    text = pt.scoring_rule(RS)
    assert "实际完成值÷指标值×分值" in text and "达到 80 分的，视为达到预期效果" in text


def test_a_total_below_the_threshold_is_a_waivable_2_3b_finding():
    [finding] = pt.check_expected_results(Decimal("79.99"), ruleset=RS)
    assert finding.clause == "2.3b" and finding.waivable
    assert "79.99 分，低于达到预期效果的 80 分" in finding.message


def test_a_total_at_the_threshold_reaches_the_expected_results():
    assert pt.check_expected_results(Decimal("80.00"), ruleset=RS) == []
    assert pt.expected_results_reached(Decimal("80"), ruleset=RS)


def test_a_later_revision_may_raise_the_threshold():
    later = replace(RS, effective_from=date(2028, 1, 1), expected_results_score=Decimal("85"))
    assert pt.check_expected_results(Decimal("82"), ruleset=later)
    assert pt.check_expected_results(Decimal("82"), ruleset=RS) == []
