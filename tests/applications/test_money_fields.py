"""Money typed into the application forms: full-width digits and commas accepted, letters refused."""

from decimal import Decimal

import pytest

from applications.fields import parse_money
from applications.forms import BudgetLineForm, PrizeForm, TradeForm


def _budget(amount):
    form = BudgetLineForm(data={"item": BudgetLineForm.base_fields["item"].choices[0][0], "amount": amount})
    form.is_valid()
    return form


def test_letters_in_an_amount_are_refused_with_the_text_quoted():
    form = _budget("3千元abc")
    assert not form.is_valid()
    assert "“3千元abc”不是有效的金额" in form.errors["amount"][0]


def test_the_amount_field_is_a_text_input_so_the_browser_cannot_drop_letters():
    html = str(_budget("1")["amount"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html


def test_full_width_digits_are_read_as_the_amount():
    assert _budget("１２３.４５").cleaned_data["amount"] == Decimal("123.45")


def test_thousands_separators_are_accepted():
    assert _budget("12,345.67").cleaned_data["amount"] == Decimal("12345.67")
    assert parse_money("１２，３４５.６７") == Decimal("12345.67")


def test_more_than_two_decimals_are_refused():
    form = _budget("1.234")
    assert "超过两位小数" in form.errors["amount"][0]


def test_trailing_zeros_beyond_the_fen_are_not_extra_decimals():
    assert _budget("1.230").cleaned_data["amount"] == Decimal("1.23")


def test_misplaced_commas_are_refused():
    assert not _budget("12,34.5").is_valid()


def test_a_negative_amount_is_refused_in_chinese():
    assert _budget("-0.01").errors["amount"] == ["金额不能小于 0 元。"]


@pytest.mark.django_db
def test_a_prize_amount_with_letters_is_refused():
    form = PrizeForm(data={"prize1-count": "3", "prize1-amount": "5000元"}, rank=1)
    assert not form.is_valid()
    assert "不是有效的金额" in form.errors["amount"][0]


@pytest.mark.django_db
def test_the_subsidy_requested_accepts_full_width_and_commas():
    form = TradeForm(data={"category": "innovative", "certifiable": "1", "custom_name": "测试工种",
                           "planned_participants": "200", "subsidy_requested": "１２,３４５.６７"})
    form.is_valid()
    assert form.cleaned_data["subsidy_requested"] == Decimal("12345.67")


@pytest.mark.django_db
def test_the_live_panel_reads_money_as_the_form_does():
    from applications.live import trade_from_post

    typed = {"category": "innovative", "certifiable": "1", "custom_name": "测试工种", "planned_participants": "200"}
    assert trade_from_post({**typed, "subsidy_requested": "１２，３４５.６７"}).subsidy == Decimal("12345.67")
    # Refused by the form, so not counted as 3 either.
    assert trade_from_post({**typed, "subsidy_requested": "3千元abc"}).subsidy == Decimal("0.00")
