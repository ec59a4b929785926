import pytest
from django.core.exceptions import ValidationError

from accounts.validators import CREDIT_CODE_CHARSET, is_valid_credit_code, validate_credit_code

# Published codes of well-known companies.
REAL_CODES = ["91330100716105852F", "9144030071526726XG", "914403001922038216", "91110000802100433B"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_credit_code_validator_accepts_real_codes(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_credit_code_validator_rejects_every_single_character_alteration(code):
    for pos in range(18):
        for ch in CREDIT_CODE_CHARSET:
            if ch != code[pos]:
                altered = code[:pos] + ch + code[pos + 1 :]
                assert not is_valid_credit_code(altered), altered


def test_credit_code_validator_rejects_wrong_length_and_forbidden_letters():
    assert not is_valid_credit_code("91330100716105852")
    assert not is_valid_credit_code("91330100716105852FF")
    assert not is_valid_credit_code("9133010071610585IF")


def test_validate_credit_code_raises_chinese_message():
    with pytest.raises(ValidationError, match="统一社会信用代码无效"):
        validate_credit_code("91330100716105852A")


def test_organization_type_is_stored_as_key_and_shown_in_chinese(organization):
    assert organization.org_type == "park"
    assert organization.get_org_type_display() == "园区"
