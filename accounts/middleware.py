"""Account policy on every request: two-factor sign-in for sensitive roles, expired passwords.

Before the second factor a user who needs one reaches nothing but sign-in, sign-out, verification
and, while they have no confirmed device, their first enrolment: not the password change, not the
staff pages under /accounts/, not the Django admin. The list below is the whole exception.
"""

import time
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .security import _current_request, from_trusted_proxy

STATIC_PREFIXES = ("/static/", "/favicon.ico")
# Pages for the public, signed in or not (the winners' public notice): no account policy applies.
PUBLIC_PREFIXES = ("/public/",)
BEFORE_SECOND_FACTOR = ("accounts:login", "accounts:logout", "accounts:otp_verify")
FIRST_ENROLMENT = "accounts:otp_setup"
# With an expired password a user may still sign out, verify and change it.
BEFORE_PASSWORD_CHANGE = BEFORE_SECOND_FACTOR + (FIRST_ENROLMENT, "accounts:password_change")


class ProxyHeadersMiddleware:
    """X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) counts only when a trusted proxy sent it, as
    X-Forwarded-For does: a client talking to gunicorn directly over plain HTTP must not pass for one that
    came through TLS (its session cookie would be sent in clear and the HTTPS redirect skipped)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)


@lru_cache(maxsize=None)
def _paths(names: tuple) -> frozenset:
    return frozenset(reverse(n) for n in names)


def has_device(user) -> bool:
    """Whether the user has a confirmed device, asked once per user object (the policy and the menu
    both need it on every page)."""
    cached = getattr(user, "_has_confirmed_device", None)
    if cached is None:
        from django_otp import user_has_device

        cached = user_has_device(user)
        user._has_confirmed_device = cached
    return cached


def needs_two_factor(user) -> bool:
    if user.role is not None and user.role.value in settings.REQUIRE_2FA_ROLES:
        return True
    # Offered to everyone: once a user has enrolled, the device is required.
    return has_device(user)


def second_factor_missing(user) -> bool:
    """A user object not from a request (a service called from a task or a test) was never verified."""
    verified = getattr(user, "is_verified", None)
    return user.is_authenticated and needs_two_factor(user) and not (verified is not None and verified())


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self._policy(request) or self.get_response(request)
        finally:
            _current_request.reset(token)

    def _policy(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if user is None or not user.is_authenticated or path.startswith(STATIC_PREFIXES + PUBLIC_PREFIXES):
            return None
        if second_factor_missing(user):
            enrolled = has_device(user)
            if path in _paths(BEFORE_SECOND_FACTOR) or (path in _paths((FIRST_ENROLMENT,)) and not enrolled):
                return None
            target = "accounts:otp_verify" if enrolled else FIRST_ENROLMENT
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        if user.password_expired and path not in _paths(BEFORE_PASSWORD_CHANGE):
            messages.warning(request, f"您的密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码。")
            return redirect(reverse("accounts:password_change"))
        return None


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
