"""Part 1 of issue 14: with the password alone a sensitive role reaches nothing but sign-in, sign-out,
verification and its first enrolment; the enrolled phone cannot be replaced without it."""

import base64
import time

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from accounts.roles import Role
from tests.factories import PASSWORD
from tests.test_access_matrix import verify_second_factor

from .test_security import current_token, login

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]


@pytest.fixture
def enrolled_admin(admin_user):
    TOTPDevice.objects.create(user=admin_user, name="身份验证器", confirmed=True)
    return admin_user


@pytest.fixture
def enrolled_finance(finance):
    TOTPDevice.objects.create(user=finance, name="身份验证器", confirmed=True)
    return finance


def test_admin_with_password_only_cannot_export_the_security_log(client, enrolled_admin):
    client.force_login(enrolled_admin)
    response = client.get(reverse("accounts:security_events"), {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_admin_with_password_only_cannot_deactivate_a_user(client, enrolled_admin, organizer):
    client.force_login(enrolled_admin)
    response = client.post(reverse("accounts:set_user_active", args=[organizer.pk]), {"active": "0"})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    organizer.refresh_from_db()
    assert organizer.is_active


def test_admin_with_password_only_cannot_open_the_django_admin(client, enrolled_admin):
    client.force_login(enrolled_admin)
    response = client.get("/admin/accounts/user/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_finance_with_password_only_cannot_change_the_password(client, enrolled_finance):
    client.force_login(enrolled_finance)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Stolen-Pass-2026", "new_password2": "Stolen-Pass-2026"})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    enrolled_finance.refresh_from_db()
    assert enrolled_finance.check_password(PASSWORD)
    assert not SecurityEvent.objects.filter(kind="password_changed", path=reverse("accounts:password_change")).exists()


def test_finance_with_password_only_cannot_enrol_a_second_authenticator(client, enrolled_finance):
    client.force_login(enrolled_finance)
    response = client.get(reverse("accounts:otp_setup"), {"next": reverse("funding:queue")})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert TOTPDevice.objects.filter(user=enrolled_finance).count() == 1
    assert client.get(reverse("funding:queue"))["Location"].startswith(reverse("accounts:otp_verify"))


def test_verified_user_cannot_enrol_another_authenticator_either(client, enrolled_finance):
    client.force_login(enrolled_finance)
    verify_second_factor(client, enrolled_finance)
    response = client.get(reverse("accounts:otp_setup"), follow=True)
    assert "请联系系统管理员重置" in response.content.decode()
    assert TOTPDevice.objects.filter(user=enrolled_finance).count() == 1


def test_first_enrolment_then_the_code_is_asked_at_every_sign_in(client, finance):
    login(client, finance.username)
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=finance)
    client.post(reverse("accounts:otp_setup"), {"token": current_token(device)})
    assert client.get(reverse("funding:queue")).status_code == 200
    client.logout()
    login(client, finance.username)
    assert client.get(reverse("funding:queue"))["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:otp_setup"))["Location"].startswith(reverse("accounts:otp_verify"))


def _code_for(secret: str) -> str:
    """What an authenticator app shows for the secret printed on the enrolment page."""
    return f"{totp(base64.b32decode(secret)):06d}"


def test_each_showing_of_the_enrolment_page_is_a_new_secret(client, finance):
    login(client, finance.username)
    first = client.get(reverse("accounts:otp_setup")).context["secret"]
    second = client.get(reverse("accounts:otp_setup")).context["secret"]
    assert first != second
    assert TOTPDevice.objects.filter(user=finance).count() == 1
    refused = client.post(reverse("accounts:otp_setup"), {"token": _code_for(first)})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    with time_machine.travel(time.time() + 5):  # django-otp's pause after a wrong code
        client.post(reverse("accounts:otp_setup"), {"token": _code_for(second)})
    assert TOTPDevice.objects.get(user=finance).confirmed


def test_whoever_saw_the_secret_first_does_not_keep_a_working_copy(client, finance):
    """Someone holding the password opens the enrolment page before its owner does."""
    intruder = type(client)()
    login(intruder, finance.username, ip="10.9.9.9")
    seen = intruder.get(reverse("accounts:otp_setup")).context["secret"]
    login(client, finance.username)
    own = client.get(reverse("accounts:otp_setup")).context["secret"]
    client.post(reverse("accounts:otp_setup"), {"token": _code_for(own)})
    device = TOTPDevice.objects.get(user=finance, confirmed=True)
    assert not device.verify_token(_code_for(seen))
    assert base64.b32encode(device.bin_key).decode() == own != seen


def test_the_enrolment_page_creates_no_device_for_a_role_that_does_not_need_one(client, organizer):
    client.force_login(organizer)
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and "开始设置" in page.content.decode() and "secret" not in page.context
    assert not TOTPDevice.objects.filter(user=organizer).exists()
    started = client.post(reverse("accounts:otp_setup"), {"start": "1"})
    assert started.status_code == 302 and TOTPDevice.objects.filter(user=organizer, confirmed=False).count() == 1
    secret = client.get(started["Location"]).context["secret"]
    client.post(reverse("accounts:otp_setup"), {"token": _code_for(secret)})
    assert TOTPDevice.objects.get(user=organizer).confirmed


def test_verified_admin_resets_a_lost_phone_and_the_user_enrols_again(client, enrolled_admin, enrolled_finance):
    client.force_login(enrolled_admin)
    verify_second_factor(client, enrolled_admin)
    response = client.post(reverse("accounts:reset_two_factor", args=[enrolled_finance.pk]), follow=True)
    assert "已重置账号" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=enrolled_finance).exists()
    event = SecurityEvent.objects.get(kind="otp_reset")
    assert event.user == enrolled_admin and enrolled_finance.username in event.detail
    other = type(client)()
    other.force_login(enrolled_finance)
    assert other.get(reverse("funding:queue"))["Location"].startswith(reverse("accounts:otp_setup"))


def test_reset_of_a_device_needs_a_verified_admin(enrolled_admin, enrolled_finance):
    from django.core.exceptions import PermissionDenied

    from accounts.services import reset_two_factor

    with pytest.raises(PermissionDenied):
        reset_two_factor(target=enrolled_finance, actor=enrolled_admin)  # not from a verified session
    assert TOTPDevice.objects.filter(user=enrolled_finance).exists()


def test_the_user_list_offers_the_reset_for_enrolled_users(client, enrolled_admin, enrolled_finance, organizer):
    client.force_login(enrolled_admin)
    verify_second_factor(client, enrolled_admin)
    html = client.get(reverse("accounts:users")).content.decode()
    assert reverse("accounts:reset_two_factor", args=[enrolled_finance.pk]) in html
    assert reverse("accounts:reset_two_factor", args=[organizer.pk]) not in html


def test_admin_site_never_shows_a_totp_secret(client, enrolled_admin, enrolled_finance):
    device = TOTPDevice.objects.get(user=enrolled_finance)
    secrets = (device.key, base64.b32encode(device.bin_key).decode())
    client.force_login(enrolled_admin)
    verify_second_factor(client, enrolled_admin)
    for url in (f"/admin/otp_totp/totpdevice/{device.pk}/config/", f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
                f"/admin/otp_totp/totpdevice/{device.pk}/change/", "/admin/otp_totp/totpdevice/",
                "/admin/otp_totp/totpdevice/add/"):
        response = client.get(url, follow=True)
        body = response.content.decode()
        assert not any(secret in body for secret in secrets), url
        assert "otpauth://" not in body and response["Content-Type"].startswith("text/html"), url
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_totp_totpdevice_config", args=[device.pk])


def test_creating_a_finance_user_in_the_django_admin_is_logged(client, enrolled_admin):
    client.force_login(enrolled_admin)
    verify_second_factor(client, enrolled_admin)
    finance_group = Group.objects.get(name=Role.FINANCE.group_name)
    response = client.post("/admin/accounts/user/add/", {
        "username": "newpayer", "usable_password": "true", "password1": "Pay-Right-Now-9", "password2": "Pay-Right-Now-9",
        "full_name": "新出纳", "phone": "", "organization": "", "groups": [finance_group.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    created = SecurityEvent.objects.get(kind="user_created", detail__contains="newpayer")
    granted = SecurityEvent.objects.get(kind="role_granted", detail__contains="newpayer")
    assert created.user == granted.user == enrolled_admin
    assert "财务" in granted.detail and granted.ip_address == "127.0.0.1"


def test_new_finance_user_must_enrol_before_paying(client, db):
    user = User.objects.create_user("newpayer", password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.FINANCE.group_name))
    client.force_login(user)
    assert client.get(reverse("funding:queue"))["Location"].startswith(reverse("accounts:otp_setup"))


def test_granting_and_removing_a_role_are_logged_however_made(organizer):
    approvers = Group.objects.get(name=Role.APPROVER.group_name)
    organizer.groups.add(approvers)
    approvers.user_set.remove(organizer)
    kinds = list(SecurityEvent.objects.filter(detail__contains=organizer.username, kind__startswith="role_")
                 .order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["role_granted", "role_removed"]


def test_password_change_is_a_security_event(client, organizer):
    client.force_login(organizer)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-New-Pass-2026", "new_password2": "Brand-New-Pass-2026"})
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind="password_changed", path=reverse("accounts:password_change"))
    assert event.user == organizer and "本人修改" in event.detail


def test_before_the_second_factor_the_menu_offers_nothing(client, enrolled_finance):
    client.force_login(enrolled_finance)
    html = client.get(reverse("accounts:otp_verify")).content.decode()
    assert 'data-testid="nav-item"' not in html
    verify_second_factor(client, enrolled_finance)
    assert 'data-testid="nav-item"' in client.get(reverse("funding:queue")).content.decode()


def test_making_a_user_superuser_is_logged_as_a_role_grant(organizer):
    organizer.is_superuser = True
    organizer.save()
    assert SecurityEvent.objects.filter(kind="role_granted", detail__contains="超级用户").exists()
    organizer.last_name = "王"
    organizer.save(update_fields=["last_name"])
    assert SecurityEvent.objects.filter(kind="role_granted", detail__contains="超级用户").count() == 1


def test_a_right_code_during_the_pause_after_a_wrong_one_is_told_it_is_paused_and_for_how_long(client, finance):
    login(client, finance.username)
    secret = client.get(reverse("accounts:otp_setup")).context["secret"]
    wrong = f"{(int(_code_for(secret)) + 1) % 1_000_000:06d}"
    with time_machine.travel(time.time(), tick=False) as clock:
        first = client.post(reverse("accounts:otp_setup"), {"token": wrong}).content.decode()
        assert "验证码不正确" in first
        clock.shift(0.5)
        paused = client.post(reverse("accounts:otp_setup"), {"token": _code_for(secret)}).content.decode()
    assert "验证暂停中：请 1 秒后再输入" in paused and "验证码不正确" not in paused
    assert not TOTPDevice.objects.get(user=finance).confirmed
