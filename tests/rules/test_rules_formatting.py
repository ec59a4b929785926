"""Findings state amounts to the fen and never round a breach into equality with the limit."""

from decimal import Decimal as D

from haidian_contest import rules
from haidian_contest.rules.base import percent, yuan
from haidian_contest.rules.ruleset import RULESET_2026 as RS


def test_amounts_are_shown_to_the_fen():
    assert yuan(D(50000)) == "50,000.00 元"
    assert yuan(D("20000.01")) == "20,000.01 元"


def test_a_subsidy_one_fen_over_the_traditional_cap_does_not_read_as_equal():
    [finding] = rules.check_subsidy_share("traditional", D("50000.00"), D("20000.01"), ruleset=RS)
    assert "40.00%" not in finding.message
    assert "40.00002%，高于 40%（超出 0.01 元）" in finding.message
    assert "50,000.00 元" in finding.message


def test_a_subsidy_exactly_at_the_traditional_cap_is_no_finding():
    assert rules.check_subsidy_share("traditional", D("50000.00"), D("20000.00"), ruleset=RS) == []


def test_a_subsidy_one_fen_under_the_innovative_floor_says_how_much_is_missing():
    [finding] = rules.check_subsidy_share("innovative", D("50000.00"), D("29999.99"), ruleset=RS)
    assert "59.99998%，低于 60%（差 0.01 元）" in finding.message


def test_an_odd_fen_budget_over_the_cap_names_the_fen_to_take_off():
    # 40% of 33,333.33 is 13,333.332: 13,333.33 is within, 13,333.34 is one fen over.
    [finding] = rules.check_subsidy_share("traditional", D("33333.33"), D("13333.34"), ruleset=RS)
    assert "（超出 0.01 元）" in finding.message


def test_a_plan_share_just_over_the_line_shows_enough_digits():
    [finding] = rules.check_category_split(40001, 59999, ruleset=RS)
    assert "40.001%" in finding.message and "59.999%" in finding.message


def test_a_share_far_from_the_limit_keeps_two_places():
    assert percent(D(5) / D(11), against=D("0.40")) == "45.45%"


def test_zero_participants_is_a_hard_finding_not_a_waivable_shortfall():
    [finding] = rules.check_participants(0, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("1.7", "participants_missing", False)


def test_one_participant_is_a_waivable_shortfall():
    [finding] = rules.check_participants(1, ruleset=RS)
    assert (finding.code, finding.waivable) == ("too_few_participants", True)
