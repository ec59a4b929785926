"""Part 4 of issue 14: the client's real address behind the proxy, and a lock-out that neither lets
many addresses guess without limit nor lets anyone lock a named user out for good."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
WRONG = "wrong-Password1"


@pytest.fixture
def user(organizer):
    organizer.set_password(PASSWORD)
    organizer.save()
    return organizer


def attempt(client, username, password=PASSWORD, remote="10.1.2.3", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    attempt(client, user.username, remote="10.1.2.3", forwarded="203.0.113.7")
    assert SecurityEvent.objects.get(kind="login").ip_address == "10.1.2.3"


def test_spoofed_forwarded_for_does_not_escape_the_lockout(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        attempt(client, user.username, WRONG, forwarded=f"198.51.100.{n}")
    assert attempt(client, user.username, forwarded="198.51.100.99").status_code == 429


def test_behind_one_proxy_the_client_is_the_address_nginx_appended(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote 203.0.113.7 itself; nginx appended the address it saw.
    attempt(client, user.username, remote="127.0.0.1", forwarded="203.0.113.7, 10.8.8.8")
    assert SecurityEvent.objects.get(kind="login").ip_address == "10.8.8.8"


def test_behind_the_proxy_one_office_does_not_lock_out_another(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        attempt(client, user.username, WRONG, remote="127.0.0.1", forwarded="10.9.9.9")
    assert attempt(client, user.username, remote="127.0.0.1", forwarded="10.9.9.9").status_code == 429
    assert attempt(client, user.username, remote="127.0.0.1", forwarded="10.1.1.1").status_code == 302
    lockout = SecurityEvent.objects.filter(kind="lockout").first()
    assert lockout.ip_address == "10.9.9.9"


def test_many_addresses_cannot_guess_without_limit(client, user, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 20
    for n in range(20):  # 4 per address: under the per-address limit of 5
        attempt(client, user.username, WRONG, remote=f"198.51.100.{n // 4}")
    response = attempt(client, user.username, PASSWORD, remote="198.51.100.200")
    assert response.status_code == 429
    assert f"{settings.LOGIN_USER_COOLOFF_MINUTES}</strong> 分钟后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The refusal is logged as a lock-out, not as one more wrong password.
    assert SecurityEvent.objects.filter(kind="login_failed").count() == 20
    assert SecurityEvent.objects.filter(kind="lockout", detail__contains="各地址累计").exists()


def test_guessing_from_many_addresses_never_holds_up_the_user_at_a_known_address(client, user, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 20
    assert attempt(client, user.username, remote="10.20.0.5").status_code == 302
    client.logout()
    for n in range(25):
        attempt(client, user.username, WRONG, remote=f"198.51.100.{n // 4}")
    assert attempt(client, user.username, remote="10.20.0.5").status_code == 302


def test_after_the_cooloff_one_more_attempt_is_allowed(client, user, settings, monkeypatch):
    """Nobody can lock a named user out for good: after the short cool-off the next try goes ahead."""
    import accounts.throttle

    settings.LOGIN_USER_FAILURE_LIMIT = 20
    for n in range(20):
        attempt(client, user.username, WRONG, remote=f"198.51.100.{n // 4}")
    assert attempt(client, user.username, remote="192.0.2.1").status_code == 429
    later = timezone.now() + timedelta(minutes=settings.LOGIN_USER_COOLOFF_MINUTES, seconds=5)
    monkeypatch.setattr(accounts.throttle.timezone, "now", lambda: later)
    assert attempt(client, user.username, remote="192.0.2.1").status_code == 302


def test_an_admin_lifts_every_lockout_of_a_user(client, user, admin_user, settings):
    settings.LOGIN_USER_FAILURE_LIMIT = 6
    for n in range(6):
        attempt(client, user.username, WRONG, remote=f"198.51.100.{n // 5}")
    assert attempt(client, user.username, remote="198.51.100.0").status_code == 429
    staff = type(client)()
    staff.force_login(admin_user)
    staff.post(reverse("accounts:lift_lockout", args=[user.pk]), REMOTE_ADDR="10.0.0.1")
    event = SecurityEvent.objects.get(kind="lockout_lifted")
    assert event.user == admin_user and user.username in event.detail and event.ip_address == "10.0.0.1"
    assert attempt(client, user.username, remote="198.51.100.0").status_code == 302


def test_lockout_message_states_the_configured_time(client, user, settings):
    settings.LOGIN_LOCKOUT_MINUTES = 30
    settings.AXES_COOLOFF_TIME = 0.5
    for _ in range(5):
        attempt(client, user.username, WRONG)
    body = attempt(client, user.username).content.decode()
    assert "锁定 <strong data-testid=\"cooloff-minutes\">30</strong> 分钟" in body
    assert "15 分钟" not in body


def test_attempts_during_a_lockout_are_logged_as_refused_not_as_wrong_passwords(client, user):
    for _ in range(5):
        attempt(client, user.username, WRONG)
    attempt(client, user.username, WRONG)
    attempt(client, user.username)
    assert SecurityEvent.objects.filter(kind="login_failed").count() == 5
    assert SecurityEvent.objects.filter(kind="lockout", detail__contains="未核对密码").count() == 2


def test_deleting_an_attempt_in_the_django_admin_is_a_logged_lift(client, user, admin_user):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, user.username, WRONG)
    record = AccessAttempt.objects.get(username=user.username)
    staff = type(client)()
    staff.force_login(admin_user)
    assert staff.get(f"/admin/axes/accessattempt/{record.pk}/change/").status_code == 200  # read-only view
    staff.post(f"/admin/axes/accessattempt/{record.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    event = SecurityEvent.objects.get(kind="lockout_lifted")
    assert event.user == admin_user and user.username in event.detail
    assert attempt(client, user.username).status_code == 302
