"""Issue 14, part 6: every password message in Chinese; the new password must differ."""

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _change(client, new):
    return client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password1": new, "new_password2": new})


def test_new_password_equal_to_the_current_one_is_refused(client, organizer):
    client.force_login(organizer)
    response = _change(client, PASSWORD)
    assert response.status_code == 200
    assert "新密码不能与当前密码相同" in response.content.decode()


@pytest.mark.parametrize("password", ["Ab1!", "1234567890", "password123", "sunli-Sunli-1"])
def test_every_password_error_is_in_chinese(organizer, password):
    organizer.username = "sunli-sunli"
    with pytest.raises(ValidationError) as caught:
        validate_password(password, organizer)
    for message in caught.value.messages:
        assert not re.search(r"[A-Za-z]{3,}", message.replace(organizer.username, "")), message


def test_too_short_password_is_refused_in_chinese_on_the_page(client, organizer):
    client.force_login(organizer)
    body = _change(client, "Ab1!").content.decode()
    assert "密码太短，至少需要 10 个字符" in body
    assert "too short" not in body


def test_password_help_texts_are_in_chinese():
    for text in password_validators_help_texts():
        assert not re.search(r"[A-Za-z]{3,}", text), text


def test_account_services_take_the_acting_user_and_address_as_keywords(admin_user, organizer):
    from accounts.models import SecurityEvent
    from accounts.services import set_user_active

    with pytest.raises(TypeError):
        set_user_active(admin_user, organizer, False)  # the old (request, target, active) call
    set_user_active(target=organizer, actor=admin_user, active=False, ip="10.3.3.3")
    event = SecurityEvent.objects.get(kind="user_deactivated")
    assert (event.user, event.ip_address) == (admin_user, "10.3.3.3")
