"""The per-user limit across addresses, on top of django-axes' lock-out per user name and address.

Axes alone lets an attacker with many addresses guess a user's password without limit (5 tries per
address), while a lock-out per user name alone would let anyone lock a named user out for good. So:
after LOGIN_USER_FAILURE_LIMIT wrong passwords for one user name, from any addresses, within
LOGIN_USER_WINDOW_MINUTES, each further attempt for that name is refused until
LOGIN_USER_COOLOFF_MINUTES have passed since the last wrong password — a guesser gets one try per
cool-off — except from an address where that user signed in successfully within
LOGIN_KNOWN_ADDRESS_DAYS: the real user at their usual desk is never held up by someone else's
guessing (and is still subject to axes' own per-address lock-out). Counts come from the security
log, which records every wrong password with the client's address; an administrator's 解除锁定
(lockout_lifted) starts the count afresh.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .security import lockout_target


def seconds_to_wait(username: str, ip: str) -> int:
    """0 when the attempt may go ahead; otherwise how long until this user name may try again."""
    from .models import SecurityEvent

    limit = settings.LOGIN_USER_FAILURE_LIMIT
    if not username or limit <= 0:
        return 0
    now = timezone.now()
    since = now - timedelta(minutes=settings.LOGIN_USER_WINDOW_MINUTES)
    lifted = (SecurityEvent.objects.filter(kind="lockout_lifted", detail=lockout_target(username), at__gte=since)
              .order_by("-at").values_list("at", flat=True).first())
    failures = SecurityEvent.objects.filter(kind="login_failed", username=username, at__gte=lifted or since)
    recent = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(recent) < limit:
        return 0
    wait = recent[0] + timedelta(minutes=settings.LOGIN_USER_COOLOFF_MINUTES) - now
    if wait.total_seconds() <= 0:
        return 0
    if ip and SecurityEvent.objects.filter(
        kind="login", username=username, ip_address=ip,
        at__gte=now - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS),
    ).exists():
        return 0
    return int(wait.total_seconds()) + 1


def hits(key: str) -> int:
    """How many times `key` was counted in its current window (add_hit), from the cache."""
    return cache.get(key, 0)


def add_hit(key: str, *, seconds: int) -> int:
    """Count one more for `key`; the window starts with the first count and lasts `seconds`."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between the two calls
        cache.set(key, 1, seconds)
        return 1
