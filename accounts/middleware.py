"""Account policy on every request: idle timeout, expired passwords, two-factor sign-in for sensitive roles."""

import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/favicon.ico")


def needs_two_factor(user) -> bool:
    if user.role is not None and user.role.value in settings.REQUIRE_2FA_ROLES:
        return True
    # Offered to everyone: once a user has enrolled, the device is required.
    from django_otp import user_has_device

    return user_has_device(user)


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            if user.password_expired:
                messages.warning(request, f"您的密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码。")
                return redirect(reverse("accounts:password_change"))
            if needs_two_factor(user) and not user.is_verified():
                from django_otp import user_has_device

                target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Ends sessions idle for SESSION_COOKIE_AGE, without writing the session on every request.

    SESSION_SAVE_EVERY_REQUEST would do it with a database write per page view (on SQLite, one
    writer at a time for the whole site); re-saving at most every SESSION_TOUCH_SECONDS moves the
    expiry forward just the same, give or take that minute. Goes after SessionMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No key: an anonymous visitor without a session, who must not get one from this.
        if session is not None and session.session_key is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get("_touched", 0) >= settings.SESSION_TOUCH_SECONDS:
                session["_touched"] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return response
