"""The identity documents a roster may carry (一（七）, 一（九））: each card's own structure, the passport
as a waivable finding, the 证件类型 a row declares, masking. Pure rules, no database."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haidian_contest import rules
from haidian_contest.rules.id_numbers import (
    FOREIGN_PR,
    HMT_PERMIT,
    PASSPORT,
    RESIDENT_CARD,
    document_problem,
    document_type,
    normalize_id,
    parse_document_type,
    passport_finding,
)

no_db = settings(database=None)
TODAY = date(2026, 5, 6)

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
MAINLAND = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
            "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]
# A few ISO 3166-1 numeric nationality codes: United States, Germany, Japan, Korea, Brazil, Nigeria.
NATIONALITIES = ["840", "276", "392", "410", "076", "566"]
FULL_WIDTH = str.maketrans("0123456789XABCDEFGHIJKLMNOPQRSTUVWYZ",
                           "０１２３４５６７８９ＸＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＹＺ")


def with_check_char(first17: str) -> str:
    """Test-side ISO 7064 MOD 11-2, written independently of the implementation."""
    remainder = sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11
    return first17 + "10X98765432"[remainder]


def resident_card(region="110108", born="19900101", seq="123") -> str:
    return with_check_char(region + born + seq)


def hmt_permit(region="810000", born="19900101", seq="123") -> str:
    return with_check_char(region + born + seq)


def foreign_pr(province="11", nationality="840", born="19850615", seq="001") -> str:
    return with_check_char("9" + province + nationality + born + seq)


def foreign_pr_2017(nationality="USA", digits="110075061501") -> str:
    return nationality + digits


def wrong_check(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(0, 999)
valid_numbers = st.one_of(
    st.builds(lambda p, a, d, s: (RESIDENT_CARD, with_check_char(f"{p}{a:04d}{d:%Y%m%d}{s:03d}")),
              st.sampled_from(MAINLAND), st.integers(0, 9999), dates, seqs),
    st.builds(lambda r, d, s: (HMT_PERMIT, with_check_char(f"{r}{d:%Y%m%d}{s:03d}")),
              st.sampled_from(["810000", "820000", "830000"]), dates, seqs),
    st.builds(lambda p, n, d, s: (FOREIGN_PR, with_check_char(f"9{p}{n}{d:%Y%m%d}{s:03d}")),
              st.sampled_from(MAINLAND), st.sampled_from(NATIONALITIES), dates, seqs),
    st.builds(lambda n, p, rest: (FOREIGN_PR, f"{n}{p}{rest:010d}"),
              st.sampled_from(["USA", "DEU", "JPN", "KOR", "GBR", "FRA"]), st.sampled_from(MAINLAND),
              st.integers(0, 10**10 - 1)),
)


# --- 港澳台居民居住证 -------------------------------------------------------------------------

@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_hmt_residence_permit_is_accepted_as_its_own_type(region):
    number = hmt_permit(region)
    assert rules.is_valid_id_number(number, today=TODAY)
    assert document_type(number, today=TODAY) == HMT_PERMIT


@pytest.mark.parametrize("region", ["811234", "810001", "820100", "830101", "840000", "710000", "910000"])
def test_hk_macao_taiwan_code_other_than_the_three_permit_codes_is_refused(region):
    """The old list let any 81…, 82…, 71… or 91… number through as a resident card."""
    number = hmt_permit(region)
    assert not rules.is_valid_id_number(number, today=TODAY)


def test_a_wrong_hk_address_code_is_explained():
    problem = rules.id_number_problem(hmt_permit("811234"), today=TODAY)
    assert "810000" in problem and "830000" in problem and "一（七）" in problem


def test_hmt_permit_with_a_wrong_check_digit_is_refused_as_such():
    problem = rules.id_number_problem(wrong_check(hmt_permit("820000")), today=TODAY)
    assert "校验位错误" in problem


@pytest.mark.parametrize("born", ["19900230", "19901301", "18991231", "20260507"])
def test_hmt_permit_with_an_impossible_or_future_birth_date_is_refused(born):
    number = hmt_permit("830000", born=born)
    assert not rules.is_valid_id_number(number, today=TODAY)
    assert "出生日期" in rules.id_number_problem(number, today=TODAY)


# --- 外国人永久居留身份证 ------------------------------------------------------------------------

def test_2023_foreign_permanent_residence_card_is_accepted_as_its_own_type():
    number = foreign_pr("11", "840")
    assert rules.is_valid_id_number(number, today=TODAY)
    assert document_type(number, today=TODAY) == FOREIGN_PR


@pytest.mark.parametrize("province", ["00", "10", "16", "71", "81", "99"])
def test_2023_card_with_no_mainland_province_of_issue_is_refused(province):
    number = foreign_pr(province=province)
    assert not rules.is_valid_id_number(number, today=TODAY)
    assert "第 2–3 位" in rules.id_number_problem(number, today=TODAY)


@pytest.mark.parametrize("nationality", ["000", "156", "344", "446", "158", "999"])
def test_2023_card_with_no_foreign_nationality_code_is_refused(nationality):
    """China, Hong Kong, Macao and Taiwan are nobody's foreign nationality; 000 and 999 are no country."""
    number = foreign_pr(nationality=nationality)
    assert not rules.is_valid_id_number(number, today=TODAY)
    assert "第 4–6 位" in rules.id_number_problem(number, today=TODAY)


def test_2023_card_with_a_wrong_check_digit_is_refused():
    assert "校验位错误" in rules.id_number_problem(wrong_check(foreign_pr()), today=TODAY)


def test_2023_card_with_an_impossible_birth_date_is_refused():
    assert "出生日期" in rules.id_number_problem(foreign_pr(born="19850230"), today=TODAY)


def test_2017_card_of_three_letters_and_twelve_digits_is_accepted():
    number = foreign_pr_2017()
    assert rules.is_valid_id_number(number, today=TODAY)
    assert document_type(number, today=TODAY) == FOREIGN_PR


@pytest.mark.parametrize("number, words", [
    ("CHN110075061501", "国籍代码"),
    ("ZZZ110075061501", "国籍代码"),
    ("USA990075061501", "受理地"),
    ("USA11007506150A", "12 位数字"),
])
def test_2017_card_with_a_wrong_part_is_refused_and_explained(number, words):
    assert not rules.is_valid_id_number(number, today=TODAY)
    assert words in rules.id_number_problem(number, today=TODAY)


# --- the number as typed ------------------------------------------------------------------------

@no_db
@given(valid_numbers)
def test_every_valid_number_of_each_kind_is_accepted_as_its_kind(kind_and_number):
    kind, number = kind_and_number
    assert document_type(number, today=TODAY) == kind
    assert rules.id_number_problem(number, today=TODAY) is None


@no_db
@given(valid_numbers)
def test_every_valid_number_typed_in_full_width_or_lower_case_is_the_same_number(kind_and_number):
    kind, number = kind_and_number
    for typed in (number.translate(FULL_WIDTH), number.lower(), f" {number.lower()} "):
        assert normalize_id(typed) == number
        assert rules.is_valid_id_number(typed, today=TODAY)


@no_db
@given(valid_numbers)
def test_every_valid_number_is_masked_without_its_middle(kind_and_number):
    _kind, number = kind_and_number
    masked = rules.mask_id_number(number)
    assert masked == rules.mask_id_number(number.lower())
    assert "********" in masked and len(masked) <= 18
    hidden = len(number) - (len(masked) - 8)
    assert hidden >= len(number) // 3


@no_db
@given(valid_numbers.filter(lambda kn: len(kn[1]) == 18), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_substitution_in_an_18_character_card_is_caught(kind_and_number, position, replacement):
    _kind, number = kind_and_number
    if replacement == number[position]:
        return
    assert not rules.is_valid_id_number(number[:position] + replacement + number[position + 1:], today=TODAY)


def test_lower_case_x_check_letter_of_a_permit_normalises():
    for seq in range(1000):
        number = hmt_permit("810000", seq=f"{seq:03d}")
        if number.endswith("X"):
            break
    assert number.endswith("X")
    assert rules.is_valid_id_number(number.lower(), today=TODAY)
    assert normalize_id(number.lower()) == number


# --- 证件类型 declared by the row ----------------------------------------------------------------

@pytest.mark.parametrize("typed, key", [
    ("居民身份证", RESIDENT_CARD), ("身份证", RESIDENT_CARD), ("港澳台居民居住证", HMT_PERMIT),
    ("台湾居民居住证", HMT_PERMIT), ("外国人永久居留身份证", FOREIGN_PR), ("永居证", FOREIGN_PR),
    ("护照", PASSPORT), (" passport ", PASSPORT), ("", ""), (None, ""),
])
def test_document_type_cell_is_read_in_the_words_people_type(typed, key):
    assert parse_document_type(typed) == key


def test_an_unknown_document_type_is_not_guessed():
    assert parse_document_type("驾驶证") is None


@pytest.mark.parametrize("number, declared", [
    (resident_card(), HMT_PERMIT),
    (hmt_permit(), RESIDENT_CARD),
    (foreign_pr(), RESIDENT_CARD),
    (resident_card(), PASSPORT),
    (foreign_pr_2017(), PASSPORT),
])
def test_a_declared_type_that_contradicts_the_number_blames_the_type(number, declared):
    found, problem, wrong_type = document_problem(number, declared, today=TODAY)
    assert found is None and wrong_type
    assert rules.DOCUMENT_LABELS[declared] in problem and "一（七）" in problem


@pytest.mark.parametrize("number, kind", [
    (resident_card(), RESIDENT_CARD), (hmt_permit("830000"), HMT_PERMIT), (foreign_pr(), FOREIGN_PR),
])
def test_a_declared_type_that_matches_is_accepted(number, kind):
    assert document_problem(number, kind, today=TODAY) == (kind, None, False)


def test_without_a_declared_type_the_number_says_what_it_is():
    assert document_problem(hmt_permit(), "", today=TODAY) == (HMT_PERMIT, None, False)


@pytest.mark.parametrize("number", ["E12345678", "G1234567", "123456789", "AB1234567890"])
def test_a_passport_number_is_accepted_only_when_declared(number):
    assert document_problem(number, PASSPORT, today=TODAY) == (PASSPORT, None, False)
    found, problem, _ = document_problem(number, "", today=TODAY)
    assert found is None and problem
    assert not rules.is_valid_id_number(number, today=TODAY)


def test_an_undeclared_passport_number_is_told_how_to_be_entered():
    assert "“证件类型”列填写“护照”" in rules.id_number_problem("E12345678", today=TODAY)


@pytest.mark.parametrize("number", ["E12", "E1234-5678", "护照E123456", "A" * 21])
def test_a_declared_passport_number_must_look_like_one(number):
    found, problem, wrong_type = document_problem(normalize_id(number), PASSPORT, today=TODAY)
    assert found is None and not wrong_type and "一（七）" in problem


def test_a_mistyped_resident_card_is_not_taken_for_a_passport():
    found, problem, _ = document_problem(wrong_check(resident_card()), PASSPORT, today=TODAY)
    assert found is None and "校验位错误" in problem


def test_a_passport_is_a_waivable_finding_of_clause_1_7():
    finding = passport_finding("第 3 行 John Smith（********）")
    assert finding.waivable and finding.clause == "1.7" and finding.clause_label == "一（七）"
    assert finding.message.startswith("一（七）") and "第 3 行 John Smith" in finding.message
    assert finding.key == "passport_instead_of_id:第 3 行 John Smith（********）"


# --- masking of the shorter numbers -----------------------------------------------------------

def test_a_2017_card_shows_three_characters_at_each_end():
    assert rules.mask_id_number("USA110075061501") == "USA********501"


def test_a_short_passport_number_shows_nothing():
    assert rules.mask_id_number("e12345678") == "********"


def test_a_long_passport_number_shows_no_more_than_a_quarter_at_each_end():
    assert rules.mask_id_number("AB1234567890") == "AB1********890"
