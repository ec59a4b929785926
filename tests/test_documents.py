"""haidian_contest.documents: 大写金额 and dates in Chinese numerals, as the union's documents write them.

The capitals follow 《支付结算办法》附件一 (正确填写票据和结算凭证的基本规定): 元 then 整 when there is no 角/分,
one 零 for a run of zeros, and where the 元 digit is 0 but 角 is not, 零 after 元 (the tamper-proof form).
"""

from datetime import date
from decimal import Decimal

import pytest

from haidian_contest.documents import (
    capital_amount,
    chinese_numeral_date,
    percent,
    tranche_schedule,
)


@pytest.mark.parametrize(("amount", "words"), [
    ("128000.00", "壹拾贰万捌仟元整"),
    ("0.01", "壹分"),
    ("0.10", "壹角"),
    ("100000.10", "壹拾万元零壹角"),
    ("100000.01", "壹拾万元零壹分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("10.00", "壹拾元整"),
    ("100100.00", "壹拾万零壹佰元整"),
    ("100010000.00", "壹亿零壹万元整"),
    ("257999.99", "贰拾伍万柒仟玖佰玖拾玖元玖角玖分"),
    ("0", "零元整"),
])
def test_capital_amount(amount, words):
    assert capital_amount(Decimal(amount)) == words


def test_capital_amount_takes_a_decimal_with_fewer_places():
    assert capital_amount(Decimal("120003.4")) == "壹拾贰万零叁元肆角"


def test_capital_amount_of_an_integer():
    assert capital_amount(128000) == "壹拾贰万捌仟元整"


@pytest.mark.parametrize(("day", "text"), [
    (date(2026, 12, 1), "二〇二六年十二月一日"),
    (date(2026, 1, 10), "二〇二六年一月十日"),
    (date(2026, 6, 20), "二〇二六年六月二十日"),
    (date(2026, 7, 31), "二〇二六年七月三十一日"),
    (date(2030, 11, 15), "二〇三〇年十一月十五日"),
])
def test_chinese_numeral_date(day, text):
    assert chinese_numeral_date(day) == text


def test_tranche_schedule_gives_the_odd_fen_to_the_first_tranche():
    first, second = tranche_schedule(Decimal("268000.11"))
    assert (first["amount"], second["amount"]) == ("134,000.06", "134,000.05")
    assert first["capital"] == "壹拾叁万肆仟元零陆分"
    assert first["label"] == "首笔资金（50%）"


def test_percent_is_written_without_exponent():
    assert percent(Decimal("0.40")) == "40%" and percent(Decimal("0.305")) == "30.5%"
