"""二、经费补助标准: 2.1.*, 2.3, 2.4c."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haidian_contest import rules

RS = rules.RULESET_2026
D = Decimal
no_db = settings(database=None)


# 2.1.1a / 2.1.2a

@pytest.mark.parametrize("traditional, innovative", [(4, 6), (0, 10), (2, 3), (0, 0)])
def test_traditional_share_at_or_below_40_percent_passes(traditional, innovative):
    assert rules.check_category_split(traditional, innovative, ruleset=RS) == []


@pytest.mark.parametrize("traditional, innovative", [(5, 6), (41, 59), (1, 0)])
def test_traditional_share_above_40_percent_is_waivable(traditional, innovative):
    [finding] = rules.check_category_split(traditional, innovative, ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("2.1.1a", "traditional_share_high", True)


def test_category_split_message_names_both_shares():
    [finding] = rules.check_category_split(5, 6, ruleset=RS)
    assert "45.45%" in finding.message and "54.55%" in finding.message
    assert "超过 40%" in finding.message and "低于 60%" in finding.message


# 2.1.1b / 2.1.2b

def test_traditional_subsidy_exactly_40_percent_passes():
    assert rules.check_subsidy_share("traditional", D("100.00"), D("40.00"), ruleset=RS) == []


def test_traditional_subsidy_one_fen_over_40_percent_is_waivable():
    [finding] = rules.check_subsidy_share("traditional", D("100.00"), D("40.01"), ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("2.1.1b", "traditional_subsidy_high", True)
    assert finding.clause_label == "二（一）1"


def test_innovative_subsidy_exactly_60_percent_passes():
    assert rules.check_subsidy_share("innovative", D("100.00"), D("60.00"), ruleset=RS) == []


def test_innovative_subsidy_one_fen_under_60_percent_is_waivable():
    [finding] = rules.check_subsidy_share("innovative", D("100.00"), D("59.99"), ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("2.1.2b", "innovative_subsidy_low", True)
    assert finding.clause_label == "二（一）2"


def test_innovative_subsidy_of_the_whole_budget_passes():
    assert rules.check_subsidy_share("innovative", D(100), D(100), ruleset=RS) == []


def test_subsidy_one_fen_over_budget_is_hard():
    [finding] = rules.check_subsidy_share("innovative", D("100.00"), D("100.01"), ruleset=RS)
    assert (finding.code, finding.waivable) == ("subsidy_exceeds_budget", False)


def test_negative_subsidy_is_hard():
    [finding] = rules.check_subsidy_share("traditional", D(100), D("-0.01"), ruleset=RS)
    assert (finding.code, finding.waivable) == ("subsidy_negative", False)


@pytest.mark.parametrize("budget", [D(0), D("-1")])
def test_non_positive_budget_is_hard(budget):
    [finding] = rules.check_subsidy_share("traditional", budget, D(0), ruleset=RS)
    assert (finding.code, finding.waivable) == ("budget_not_positive", False)


def test_subsidy_share_message_states_amounts_and_share():
    [finding] = rules.check_subsidy_share("traditional", D(100000), D(50000), ruleset=RS)
    assert "50,000.00 元" in finding.message and "100,000.00 元" in finding.message
    assert "50.00%" in finding.message and "高于 40%" in finding.message


def test_unknown_category_is_an_error():
    with pytest.raises(ValueError):
        rules.check_subsidy_share("modern", D(100), D(50), ruleset=RS)


# 2.4c

@pytest.mark.parametrize("rank, cap", [(1, "5000"), (2, "3000"), (3, "2000")])
@pytest.mark.parametrize("category", ["traditional", "innovative"])
def test_prize_at_the_cap_passes(category, rank, cap):
    assert rules.check_prize(category, rank, D(cap), ruleset=RS) == []


@pytest.mark.parametrize("rank, over, code", [
    (1, "5000.01", "first_prize_over_cap"),
    (2, "3000.01", "second_prize_over_cap"),
    (3, "2000.01", "third_prize_over_cap"),
])
def test_prize_one_fen_over_the_cap_is_waivable(rank, over, code):
    [finding] = rules.check_prize("traditional", rank, D(over), ruleset=RS)
    assert (finding.clause, finding.code, finding.waivable) == ("2.4c", code, True)


def test_prize_message_names_the_tier():
    [finding] = rules.check_prize("traditional", 2, D(3500), ruleset=RS)
    assert "二等奖" in finding.message and "3,000.00 元" in finding.message


def test_innovative_prize_over_cap_says_it_may_be_raised():
    [finding] = rules.check_prize("innovative", 1, D(8000), ruleset=RS)
    assert finding.waivable
    assert "创新类可适当提高" in finding.message


def test_negative_prize_is_hard():
    [finding] = rules.check_prize("innovative", 3, D("-1"), ruleset=RS)
    assert (finding.clause, finding.waivable) == ("2.4c", False)


@pytest.mark.parametrize("rank", [0, 4, True])
def test_prize_rank_outside_one_to_three_is_an_error(rank):
    with pytest.raises(ValueError):
        rules.check_prize("traditional", rank, D(100), ruleset=RS)


def test_prize_with_unknown_category_is_an_error():
    with pytest.raises(ValueError):
        rules.check_prize("other", 1, D(100), ruleset=RS)


# 2.3b tranches

def test_first_tranche_takes_the_odd_fen():
    assert rules.split_tranches(D("12345.67"), ruleset=RS) == (D("6172.84"), D("6172.83"))


def test_even_total_splits_equally():
    assert rules.split_tranches(D("100000"), ruleset=RS) == (D("50000.00"), D("50000.00"))


def test_single_fen_goes_to_the_first_tranche():
    assert rules.split_tranches(D("0.01"), ruleset=RS) == (D("0.01"), D("0.00"))


def test_total_with_fractions_of_a_fen_is_an_error():
    with pytest.raises(ValueError):
        rules.split_tranches(D("100.005"), ruleset=RS)


def test_total_with_trailing_zero_places_is_accepted():
    assert rules.split_tranches(D("1.000"), ruleset=RS) == (D("0.50"), D("0.50"))


def test_negative_total_is_an_error():
    with pytest.raises(ValueError):
        rules.split_tranches(D("-2.00"), ruleset=RS)


fen_totals = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@no_db
@given(fen_totals)
def test_tranches_always_sum_to_the_total(total):
    first, second = rules.split_tranches(total, ruleset=RS)
    assert first + second == total


@no_db
@given(fen_totals)
def test_tranches_differ_by_at_most_one_fen_and_first_is_larger(total):
    first, second = rules.split_tranches(total, ruleset=RS)
    assert D(0) <= first - second <= D("0.01")


@no_db
@given(fen_totals)
def test_tranches_are_whole_fen(total):
    for part in rules.split_tranches(total, ruleset=RS):
        assert part == part.quantize(D("0.01"))


# 2.3a / 2.3b release

def _release(number, **overrides):
    kwargs = dict(agreement_signed=True, release_date=date(2026, 6, 1),
                  competition_start=date(2026, 6, 10), audit_passed=False, ruleset=RS)
    kwargs.update(overrides)
    return rules.check_tranche_release(number, **kwargs)


def test_first_tranche_before_the_start_passes():
    assert _release(1) == []


def test_release_without_agreement_is_hard():
    [finding] = _release(1, agreement_signed=False)
    assert (finding.clause, finding.code, finding.waivable) == ("2.3a", "agreement_not_signed", False)


def test_first_tranche_on_the_start_day_is_waivable():
    [finding] = _release(1, release_date=date(2026, 6, 10))
    assert (finding.clause, finding.code, finding.waivable) == ("2.3b", "first_tranche_late", True)


def test_first_tranche_without_known_start_passes():
    assert _release(1, competition_start=None) == []


def test_second_tranche_without_passed_audit_is_hard():
    [finding] = _release(2, release_date=date(2026, 8, 1))
    assert (finding.clause, finding.code, finding.waivable) == ("2.3b", "audit_not_passed", False)


def test_second_tranche_after_passed_audit_passes():
    assert _release(2, release_date=date(2026, 8, 1), audit_passed=True) == []


def test_tranche_number_other_than_one_or_two_is_an_error():
    with pytest.raises(ValueError):
        _release(3)


# Approving more than requested (三（一）: the plan states the money needed)

def test_approving_the_request_or_less_is_no_finding():
    assert rules.check_approved_above_request(D("20000.00"), D("20000.00")) == []
    assert rules.check_approved_above_request(D("20000.00"), D("19999.99")) == []


def test_approving_above_the_request_is_a_waivable_finding_naming_the_difference():
    [finding] = rules.check_approved_above_request(D("20000.00"), D("25000.00"))
    assert (finding.clause_label, finding.code, finding.waivable) == ("三（一）", "approved_above_request", True)
    assert "25,000.00 元" in finding.message and "高出 5,000.00 元" in finding.message


# Prize money against the trade's budget (三（一）: an itemised budget that holds)

def test_prizes_within_the_trade_budget_are_no_finding():
    assert rules.check_prize_budget(D("50000.00"), D("50000.00")) == []


def test_prizes_totalling_more_than_the_trade_budget_are_a_hard_finding():
    [finding] = rules.check_prize_budget(D("50000.01"), D("50000.00"))
    assert (finding.clause_label, finding.code, finding.waivable) == ("三（一）", "prizes_exceed_budget", False)
    assert "超出 0.01 元" in finding.message


# 2.3b after the fact: a first tranche paid on or after the start as it now stands

def test_a_first_tranche_paid_the_day_before_the_start_is_no_finding():
    assert rules.check_first_tranche_paid_before_start(date(2026, 12, 9), date(2026, 12, 10), ruleset=RS) == []


def test_a_first_tranche_paid_on_the_moved_start_is_a_2_3b_finding():
    [finding] = rules.check_first_tranche_paid_before_start(date(2026, 12, 10), date(2026, 12, 10), ruleset=RS)
    assert (finding.clause_label, finding.code) == ("二（三）", "first_tranche_after_start")
    assert "2026-12-10" in finding.message
