import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from haidian_contest.records import ImmutableRecord
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, ip="10.1.2.3"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_successful_login_is_logged_with_user_and_ip(client, organizer):
    login(client, organizer.username)
    event = SecurityEvent.objects.get(kind="login")
    assert (event.user, event.ip_address, event.outcome) == (organizer, "10.1.2.3", "success")


def test_failed_login_is_logged_as_failure(client, organizer):
    login(client, organizer.username, password="wrong-Password1")
    event = SecurityEvent.objects.get(kind="login_failed")
    assert (event.username, event.outcome) == (organizer.username, "failure")


def test_five_failures_lock_the_account_even_for_the_right_password(client, organizer):
    for _ in range(5):
        login(client, organizer.username, password="wrong-Password1")
    response = login(client, organizer.username)
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="lockout").exists()


def test_lockout_of_one_address_does_not_lock_the_user_elsewhere(client, organizer):
    for _ in range(5):
        login(client, organizer.username, password="wrong-Password1", ip="10.9.9.9")
    response = login(client, organizer.username, ip="10.1.1.1")
    assert response.status_code == 302


def test_security_events_cannot_be_edited_or_deleted(organizer):
    event = SecurityEvent.objects.create(kind="login", user=organizer, username=organizer.username)
    event.detail = "tampered"
    with pytest.raises(ImmutableRecord):
        event.save()
    with pytest.raises(ImmutableRecord):
        event.delete()


def test_admin_sees_and_exports_security_events(client, admin_user, organizer):
    login(client, organizer.username, password="wrong-Password1")
    client.force_login(admin_user)
    page = client.get(reverse("accounts:security_events"))
    assert organizer.username in page.content.decode()
    export = client.get(reverse("accounts:security_events"), {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert SecurityEvent.objects.filter(kind="export", user=admin_user).exists()


def test_organizer_cannot_see_security_events_and_the_denial_is_logged(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("accounts:security_events")).status_code == 403
    assert SecurityEvent.objects.filter(kind="permission_denied", user=organizer).exists()


def test_deactivated_user_keeps_records_and_cannot_log_in(client, admin_user, organizer):
    SecurityEvent.objects.create(kind="login", user=organizer, username=organizer.username)
    client.force_login(admin_user)
    client.post(reverse("accounts:set_user_active", args=[organizer.pk]), {"active": "0"})
    organizer.refresh_from_db()
    assert not organizer.is_active
    assert SecurityEvent.objects.filter(user=organizer, kind="login").exists()
    assert SecurityEvent.objects.filter(kind="user_deactivated").exists()
    client.logout()
    assert login(client, organizer.username).status_code == 200  # stays on the login form


def test_expired_password_must_be_changed_first(client, organizer):
    User.objects.filter(pk=organizer.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(organizer)
    response = client.get(reverse("applications:list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")


def test_password_needs_three_character_classes(organizer):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="至少 3 类"):
        validate_password("onlylowercaseletters", organizer)
    validate_password("Lower-and-9-Upper", organizer)


@pytest.mark.two_factor
def test_finance_must_enrol_a_second_factor_before_working(client, finance):
    client.force_login(finance)
    response = client.get(reverse("funding:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_setup"))


@pytest.mark.two_factor
def test_finance_with_a_valid_code_gets_through(client, finance):
    client.force_login(finance)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=finance)
    response = client.post(reverse("accounts:otp_setup"), {"token": current_token(device), "next": reverse("funding:queue")})
    assert response["Location"] == reverse("funding:queue")
    assert client.get(reverse("funding:queue")).status_code == 200
    assert SecurityEvent.objects.filter(kind="otp_enrolled", user=finance).exists()


@pytest.mark.two_factor
def test_enrolled_user_must_enter_code_after_password(client, finance):
    TOTPDevice.objects.create(user=finance, confirmed=True, name="app")
    login(client, finance.username)
    response = client.get(reverse("funding:queue"))
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


@pytest.mark.two_factor
def test_organizer_is_not_forced_into_two_factor(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("applications:list")).status_code == 200


def _session_row(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def _last_touch_minutes_ago(client, minutes):
    session = client.session
    session["_touched"] = int(time.time()) - minutes * 60
    session.save()


def test_activity_after_a_minute_pushes_the_session_expiry_forward(client, organizer, settings):
    client.force_login(organizer)
    _last_touch_minutes_ago(client, 2)
    before = _session_row(client).expire_date
    time.sleep(1.1)
    client.get(reverse("applications:list"))
    after = _session_row(client).expire_date
    assert after > before
    assert abs((after - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60


def test_page_views_within_a_minute_do_not_rewrite_the_session(client, organizer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organizer)
    client.get(reverse("applications:list"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("applications:list"))
    assert not [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]


def test_an_idle_session_is_signed_out(client, organizer, settings):
    client.force_login(organizer)
    row = _session_row(client)
    row.expire_date = timezone.now() - timedelta(seconds=1)
    row.save()
    response = client.get(reverse("applications:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_visits_create_no_session(client):
    from django.contrib.sessions.models import Session

    client.get(reverse("healthz"))
    assert not Session.objects.exists()
