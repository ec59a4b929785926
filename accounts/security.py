"""Security events (MLPS 2.0 audit): logins, failures, lock-outs, denials, full-ID views, exports.

Append-only: the model refuses updates and deletes, and the admin offers neither.
"""

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver


def client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:45]


def log_event(kind: str, *, request=None, user=None, username: str = "", outcome: str = "success", detail: str = ""):
    from .models import SecurityEvent

    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) or None,
        outcome=outcome,
        detail=detail[:500],
        path=(request.path[:300] if request is not None else ""),
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    log_event("login", request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        log_event("logout", request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    log_event("login_failed", request=request, username=credentials.get("username", ""), outcome="failure")


def connect_axes_signal():
    from axes.signals import user_locked_out

    @receiver(user_locked_out, weak=False)
    def _locked_out(sender, request, username, ip_address, **kwargs):
        log_event("lockout", request=request, username=username or "", outcome="failure",
                  detail=f"连续登录失败，已锁定（IP {ip_address}）")
