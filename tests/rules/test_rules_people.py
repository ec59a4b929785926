"""Resident ID numbers, masking, 2.4a/2.4b roster checks, 1.7 winners on roster."""

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from haidian_contest import rules

no_db = settings(database=None)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
             "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
             "61", "62", "63", "64", "65"]


def with_check_char(first17: str) -> str:
    """Test-side MOD 11-2, written independently of the implementation."""
    remainder = sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11
    return first17 + "10X98765432"[remainder]


def make_id(region="110108", born="19900101", seq="123") -> str:
    return with_check_char(region + born + seq)


valid_ids = st.builds(
    lambda province, area, born, seq: with_check_char(f"{province}{area:04d}{born:%Y%m%d}{seq:03d}"),
    st.sampled_from(PROVINCES),
    st.integers(0, 9999),
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.integers(0, 999),
)


def test_published_sample_id_is_valid():
    assert rules.is_valid_id_number("11010519491231002X")


def test_lowercase_x_check_char_is_accepted():
    assert rules.is_valid_id_number("11010519491231002x")


def test_surrounding_whitespace_is_ignored():
    assert rules.is_valid_id_number(" 11010519491231002X ")


FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


@pytest.mark.parametrize("typed", ["11010519491231002X", "11010519491231002x"])
def test_id_number_typed_in_full_width_is_valid(typed):
    assert rules.is_valid_id_number(typed.translate(FULL_WIDTH))


def test_full_width_id_number_normalises_to_the_ascii_one():
    from haidian_contest.rules.people import normalize_id

    assert normalize_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


def test_non_ascii_digits_other_than_full_width_stay_invalid():
    assert not rules.is_valid_id_number("\u0661\u0661010519491231002X")


@pytest.mark.parametrize("value, words", [
    ("1101081990", "应为 18 位"),
    ("110105194912310021", "校验位错误"),
    ("11010819901301123X", "出生日期（第 7–14 位）不正确"),
    ("", "未填写身份证号"),
])
def test_id_number_problem_says_what_is_wrong_and_cites_the_clause(value, words):
    problem = rules.id_number_problem(value)
    assert words in problem and "一（七）" in problem


def test_id_number_problem_is_none_for_a_full_width_valid_number():
    assert rules.id_number_problem("11010519491231002X".translate(FULL_WIDTH)) is None


def test_wrong_check_char_is_rejected():
    assert not rules.is_valid_id_number("110105194912310021")


@pytest.mark.parametrize("value", [None, 11010519491231002, b"11010519491231002X", ["x"]])
def test_non_string_is_not_valid(value):
    assert rules.is_valid_id_number(value) is False


@pytest.mark.parametrize("value", ["", "11010519491231002", "11010519491231002X0", "1101051949123100 X"])
def test_wrong_length_or_format_is_rejected(value):
    assert not rules.is_valid_id_number(value)


# 71, 81, 82 and 91 with a county code were accepted as resident cards: no such card exists. Hong Kong,
# Macao and Taiwan residents hold a 居住证 (810000, 820000, 830000 exactly: tests/rules/test_rules_id_numbers.py).
@pytest.mark.parametrize("province", ["00", "10", "16", "20", "24", "30", "38", "47", "55", "60", "66", "70",
                                      "71", "72", "80", "81", "82", "83", "90", "91", "92", "99"])
def test_unknown_province_is_rejected_even_with_a_correct_check_char(province):
    assert not rules.is_valid_id_number(with_check_char(province + "0108" + "19900101" + "123"))


@pytest.mark.parametrize("province", PROVINCES)
def test_every_province_code_is_accepted(province):
    assert rules.is_valid_id_number(with_check_char(province + "0108" + "19900101" + "123"))


@pytest.mark.parametrize("born", ["19900230", "19901301", "19900001", "20230229", "18991231"])
def test_impossible_or_too_early_birth_date_is_rejected(born):
    assert not rules.is_valid_id_number(make_id(born=born))


def test_earliest_birth_date_is_accepted():
    assert rules.is_valid_id_number(make_id(born="19000101"))


def test_leap_day_birth_is_accepted():
    assert rules.is_valid_id_number(make_id(born="20000229"))


def test_birth_today_is_accepted_and_tomorrow_is_not():
    today = date(2026, 5, 6)
    assert rules.is_valid_id_number(make_id(born="20260506"), today=today)
    assert not rules.is_valid_id_number(make_id(born="20260507"), today=today)


@no_db
@given(valid_ids)
def test_generated_ids_are_valid(number):
    assert rules.is_valid_id_number(number)


@no_db
@given(valid_ids, st.integers(0, 17), st.characters(codec="utf-8"))
def test_any_single_character_change_is_caught(number, position, replacement):
    assume(replacement != number[position])
    # Changing X to x is case, not a different character: both are accepted.
    assume(not (number[position] == "X" and replacement == "x"))
    changed = number[:position] + replacement + number[position + 1:]
    assert not rules.is_valid_id_number(changed)


@no_db
@given(valid_ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_digit_substitution_is_caught(number, position, replacement):
    assume(replacement != number[position])
    assert not rules.is_valid_id_number(number[:position] + replacement + number[position + 1:])


def test_mask_id_keeps_first_six_and_last_four():
    assert rules.mask_id_number("110108199001011234") == "110108********1234"


def test_mask_id_normalises_case_and_whitespace():
    assert rules.mask_id_number(" 11010519491231002x ") == "110105********002X"


def test_mask_of_a_short_value_reveals_nothing():
    assert rules.mask_id_number("12345") == "********"


def test_mask_phone():
    assert rules.mask_phone("13812345678") == "138****5678"


# 2.4a / 2.4b

ALICE = make_id(seq="001")
BOB = make_id(seq="002")


def test_one_trade_per_person_per_cycle_passes():
    entries = [(ALICE, "2026", "钳工"), (BOB, "2026", "电工"), (ALICE, "2027", "电工")]
    assert rules.check_entries(entries, []) == []


def test_same_trade_twice_in_a_cycle_is_not_a_2_4a_finding():
    assert rules.check_entries([(ALICE, "2026", "钳工"), (ALICE, "2026", "钳工")], []) == []


def test_two_trades_in_one_cycle_is_hard():
    [finding] = rules.check_entries([(ALICE, "2026", "钳工"), (ALICE, "2026", "电工")], [])
    assert (finding.clause, finding.code, finding.waivable) == ("2.4a", "multiple_trades_in_cycle", False)


def test_2_4a_finding_names_the_masked_person_and_the_trades():
    [finding] = rules.check_entries([(ALICE, "2026", "钳工"), (ALICE, "2026", "电工")], [])
    masked = rules.mask_id_number(ALICE)
    assert finding.subject == masked
    assert masked in finding.message and "钳工" in finding.message and "电工" in finding.message
    assert ALICE not in finding.message


def test_ids_are_normalised_before_comparing():
    entries = [(ALICE, "2026", "钳工"), (" " + ALICE.lower() + " ", "2026", "电工")]
    assert len(rules.check_entries(entries, [])) == 1


def test_first_prize_winner_reentering_the_same_trade_is_hard():
    [finding] = rules.check_entries([(ALICE, "2027", "钳工")], [(ALICE, "钳工")])
    assert (finding.clause, finding.code, finding.waivable) == ("2.4b", "first_prize_winner_reentered", False)
    assert finding.subject == rules.mask_id_number(ALICE)
    assert "钳工" in finding.message


def test_first_prize_winner_may_enter_another_trade():
    assert rules.check_entries([(ALICE, "2027", "电工")], [(ALICE, "钳工")]) == []


def test_blank_ids_are_not_paired_with_each_other():
    assert rules.check_entries([("", "2026", "钳工"), ("  ", "2026", "电工")], []) == []


def test_entries_accept_generators():
    entries = ((pid, "2026", "钳工") for pid in (ALICE, BOB))
    history = ((pid, "电工") for pid in (ALICE,))
    assert rules.check_entries(entries, history) == []


def test_large_roster_reports_exactly_the_offenders():
    people = [make_id(region=f"11{n // 1000 % 100:04d}", seq=f"{n % 1000:03d}") for n in range(100_000)]
    entries = [(pid, "2026", f"T{n % 50}") for n, pid in enumerate(people)]
    entries += [(people[n], "2026", "EXTRA") for n in range(0, 100_000, 1000)]  # 100 double-entrants
    history = [(people[n], f"T{n % 50}") for n in range(5, 100_000, 2000)]      # 50 re-entering winners
    findings = rules.check_entries(entries, history)
    assert sum(f.clause == "2.4a" for f in findings) == 100
    assert sum(f.clause == "2.4b" for f in findings) == 50


# 1.7 winners on roster

def test_winners_all_on_roster_pass():
    assert rules.check_winners_on_roster([ALICE], [ALICE, BOB]) == []


def test_each_winner_missing_from_roster_is_one_hard_finding():
    carol = make_id(seq="003")
    findings = rules.check_winners_on_roster([ALICE, carol, BOB, carol], [ALICE])
    assert [f.subject for f in findings] == [rules.mask_id_number(carol), rules.mask_id_number(BOB)]
    assert all((f.clause, f.code, f.waivable) == ("1.7", "winner_not_on_roster", False) for f in findings)


def test_winner_roster_comparison_ignores_case():
    assert rules.check_winners_on_roster(["11010519491231002x"], ["11010519491231002X"]) == []


def test_a_superscript_or_circled_digit_is_not_read_as_a_digit():
    number = make_id()
    assert rules.is_valid_id_number("１" + number[1:]) == rules.is_valid_id_number(number)
    assert not rules.is_valid_id_number("¹" + number[1:])
    assert not rules.is_valid_id_number("①" + number[1:])
