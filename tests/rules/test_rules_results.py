"""三（二）winners against the plan, and 2.1.1a for one party decision."""

from decimal import Decimal as D

from haidian_contest import rules
from haidian_contest.rules.ruleset import RULESET_2026 as RS

PLAN = [(1, 3, D("5000.00")), (2, 6, D("3000.00")), (3, 9, D("2000.00"))]


def _awarded(first=3, second=6, third=9, amounts=(D("5000.00"), D("3000.00"), D("2000.00"))):
    return [(1, amounts[0])] * first + [(2, amounts[1])] * second + [(3, amounts[2])] * third


def test_exactly_the_planned_winners_and_money_is_no_finding():
    assert rules.check_winners_against_plan("钳工", PLAN, _awarded()) == []


def test_one_winner_more_than_planned_is_a_waivable_3_2_finding():
    # A second prize promoted to first but paid as a second: the money stays within the plan.
    awarded = _awarded(second=5) + [(1, D("3000.00"))]
    [finding] = rules.check_winners_against_plan("钳工", PLAN, awarded)
    assert (finding.clause_label, finding.code, finding.waivable) == ("三（二）", "first_winners_over_plan", True)
    assert "一等奖获奖 4 人，超过竞赛方案设定的 3 人（多 1 人）" in finding.message


def test_prize_money_one_fen_over_the_plan_is_a_finding():
    awarded = _awarded(third=8) + [(3, D("2000.01"))]
    [finding] = rules.check_winners_against_plan("钳工", PLAN, awarded)
    assert finding.code == "prize_money_over_plan"
    assert "51,000.01 元，超过竞赛方案设定的 51,000.00 元（超出 0.01 元）" in finding.message


def test_a_rank_the_plan_does_not_have_is_over_plan():
    [finding] = rules.check_winners_against_plan("钳工", [(1, 1, D("100"))], [(2, D("50"))])
    assert "二等奖获奖 1 人，超过竞赛方案设定的 0 人" in finding.message


def test_a_decision_onto_the_line_is_no_finding():
    assert rules.check_decision_split((1, 6), (4, 6), ruleset=RS) == []


def test_a_decision_past_the_line_is_a_waivable_2_1_1a_finding():
    [finding] = rules.check_decision_split((4, 6), (5, 6), subject="2026年度计划", ruleset=RS)
    assert (finding.clause_label, finding.waivable, finding.subject) == ("二（一）1", True, "2026年度计划")
    assert "45.45%（5/11）" in finding.message and "批准前 40.00%（4/10）" in finding.message


def test_an_innovative_project_in_a_year_already_over_does_not_breach():
    assert rules.check_decision_split((5, 6), (5, 9), ruleset=RS) == []


def test_a_traditional_project_in_a_year_already_over_does():
    assert rules.check_decision_split((5, 6), (6, 6), ruleset=RS) != []
