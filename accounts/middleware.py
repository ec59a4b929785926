"""Account policy on every request: expired passwords and two-factor sign-in for sensitive roles."""

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
