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

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
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


# --- windowed counters (the survey, registration) -----------------------------------------------
# They live in the database (RateCounter), not the cache: with a per-process cache (no CACHE_URL) each
# gunicorn worker counted alone, and a cache outage would have lifted every limit. A count that cannot
# be read or written refuses the visitor (Unavailable, BUSY) instead of letting them through.

BUSY = "访问过于频繁或系统繁忙，请稍后再试。"


class Unavailable(Exception):
    """The counters could not be read or written: the limit fails closed."""

    def __str__(self):
        return BUSY


@dataclass(frozen=True)
class Window:
    count: int = 0
    last_at: datetime | None = None  # the latest count
    ends: datetime | None = None


def window(key: str) -> Window:
    """`key`'s count in its current window (nothing counted: an empty Window)."""
    from .models import RateCounter

    try:
        row = (RateCounter.objects.filter(key=key, window_ends__gt=timezone.now())
               .values_list("count", "last_at", "window_ends").first())
    except DatabaseError as exc:
        raise Unavailable from exc
    return Window(*row) if row else Window()


def hits(key: str) -> int:
    """How many times `key` was counted in its current window (add_hit)."""
    return window(key).count


def add_hit(key: str, *, seconds: int) -> int:
    """Count one more for `key` and return the new count; the window starts with the first count and
    lasts `seconds`. One statement (an upsert), so that concurrent counts from any process all count."""
    from .models import RateCounter

    now = timezone.now()
    ops = connection.ops
    table, column = ops.quote_name(RateCounter._meta.db_table), ops.quote_name
    at, ends = ops.adapt_datetimefield_value(now), ops.adapt_datetimefield_value(now + timedelta(seconds=seconds))
    key_c, count_c, ends_c, last_c = (column(n) for n in ("key", "count", "window_ends", "last_at"))
    sql = (f"INSERT INTO {table} ({key_c}, {count_c}, {ends_c}, {last_c}) VALUES (%s, 1, %s, %s) "
           f"ON CONFLICT ({key_c}) DO UPDATE SET "
           f"{count_c} = CASE WHEN {table}.{ends_c} <= %s THEN 1 ELSE {table}.{count_c} + 1 END, "
           f"{ends_c} = CASE WHEN {table}.{ends_c} <= %s THEN excluded.{ends_c} ELSE {table}.{ends_c} END, "
           f"{last_c} = excluded.{last_c} RETURNING {count_c}")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [key, ends, at, at, at])
            count = cursor.fetchone()[0]
            # Pruned on write: an ended window counts as nothing, and its row is only clutter.
            RateCounter.objects.filter(window_ends__lte=now).delete()
    except DatabaseError as exc:
        raise Unavailable from exc
    return count
