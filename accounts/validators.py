"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

from django.core.exceptions import ValidationError

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(value: str) -> bool:
    if not isinstance(value, str):
        return False
    value = value.strip().upper()
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARSET for c in value):
        return False
    if not value[2:8].isdigit():  # administrative-division code of the registering authority
        return False
    return credit_code_check_char(value[:17]) == value[17]


def validate_credit_code(value: str) -> None:
    if not is_valid_credit_code(value):
        raise ValidationError(
            "统一社会信用代码无效：应为 18 位（数字或除 I、O、Z、S、V 外的大写字母），且末位校验码须符合 GB 32100-2015。",
            code="invalid_credit_code",
        )
