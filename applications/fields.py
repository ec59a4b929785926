"""MoneyField: yuan typed the way people type them, refused with a reason when it is not an amount.

A browser's number input silently drops what it cannot parse ("3千元abc" arrives as "3", or as
nothing), so money is a text input (numeric keyboard on phones) checked here: full-width digits
and thousands separators are accepted, anything else is refused with the text quoted back.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

MAX_DIGITS = 14
PLACES = 2
# After NFKC (full-width → ASCII): optional sign, digits with optional comma grouping, optional fraction.
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+")


def parse_money(text: str) -> Decimal | None:
    """"１２３.４５" → 123.45, "12,345.67" → 12345.67, "" → None; anything else raises ValidationError."""
    raw = "" if text is None else str(text)
    value = unicodedata.normalize("NFKC", raw).strip().replace("，", ",").replace("。", ".")
    value = value.replace(" ", "")
    if not value:
        return None
    if not _AMOUNT.fullmatch(value):
        raise ValidationError(
            "“%(text)s”不是有效的金额：只能填写数字（可带小数点和千位分隔逗号），不能含文字或单位，如 12,345.67。",
            code="invalid", params={"text": raw.strip()})
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern above admits only decimals
        raise ValidationError("“%(text)s”不是有效的金额。", code="invalid", params={"text": raw.strip()}) from None
    if -amount.as_tuple().exponent > PLACES and amount != amount.quantize(Decimal(1).scaleb(-PLACES)):
        raise ValidationError("“%(text)s”超过两位小数：金额只能精确到分。", code="max_decimal_places",
                              params={"text": raw.strip()})
    amount = amount.quantize(Decimal("0.01"))
    if len(amount.as_tuple().digits) > MAX_DIGITS:
        raise ValidationError("金额过大：整数部分最多 %(n)s 位。", code="max_digits", params={"n": MAX_DIGITS - PLACES})
    return amount


class MoneyInput(forms.TextInput):
    def __init__(self, attrs=None):
        base = {"inputmode": "decimal", "autocomplete": "off", "class": "money"}
        super().__init__({**base, **(attrs or {})})


class MoneyField(forms.DecimalField):
    """A DecimalField (min/max validators, two places) whose input is parsed by ``parse_money``."""

    widget = MoneyInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", PLACES)
        kwargs.setdefault("localize", False)
        super().__init__(**kwargs)
        self.error_messages.setdefault("min_value", "")
        self.error_messages["min_value"] = "金额不能小于 %(limit_value)s 元。"
        self.error_messages["max_value"] = "金额不能大于 %(limit_value)s 元。"
        # DecimalField adds step/min to the widget for a number input; a text input has no use for them.
        for attr in ("step", "min", "max"):
            self.widget.attrs.pop(attr, None)

    def widget_attrs(self, widget):
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        return parse_money(value)

    def validate(self, value):
        forms.Field.validate(self, value)
