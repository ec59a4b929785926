"""The cache backend for `CACHE_URL=rediscache://…`: a Redis that is down is a cache that misses.

Everything this project keeps in the cache can be computed again (template fragments, filter options,
the ledger's totals), so an unreachable cache server must cost a page its speed, never the page: a read
answers "not cached", a write is dropped. A dead server would still cost every call its timeout, and a
page makes several, so after a failure the server is left alone for BREAK_SECONDS (one breaker per
server, shared by every alias and thread of the process); then one call tries again. What was answered
as a miss is counted and logged at most once every LOG_SECONDS, and once more when the server is back.

Counting is the exception: `incr`/`decr` raise CacheUnavailable instead of pretending, because a rate
limit that counted nothing would let everything through. A limit must not read its count with `get`
either (a miss looks like zero): a limit that protects anything belongs in the database.
"""

from __future__ import annotations

import logging
import threading
from time import monotonic

from django.conf import settings
from django.core import checks
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

BREAK_SECONDS = 5
LOG_SECONDS = 60
# A Redis on the local network answers in a millisecond: a server that takes longer than these is down
# for the purpose of a cache. (redis-py's defaults wait for the operating system, minutes.)
TIMEOUTS = {"socket_connect_timeout": 0.3, "socket_timeout": 0.5}
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class CacheUnavailable(Exception):
    """The cache server cannot be reached, from a call whose result cannot be made up (a counter).
    Not a ValueError: code that catches "the key is gone" must not take an outage for an empty count."""


class Breaker:
    """The health of one cache server as this process sees it."""

    def __init__(self, server: str):
        self.server = server
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._logged_at: float | None = None
        self.down = False
        self.misses = 0  # calls answered as misses since the last log line
        self.total_misses = 0

    def allows(self) -> bool:
        if monotonic() < self._open_until:
            self._missed(None)
            return False
        return True

    def failed(self, exc: Exception):
        self._open_until = monotonic() + BREAK_SECONDS
        self._missed(exc)

    def succeeded(self):
        if self.down:
            with self._lock:
                if not self.down:
                    return
                self.down, missed, self.misses, self._logged_at = False, self.misses, 0, None
            logger.warning("cache server %s answers again (%d calls answered as misses since the last report)",
                           self.server, missed)

    def _missed(self, exc: Exception | None):
        now = monotonic()
        with self._lock:
            self.down = True
            self.misses += 1
            self.total_misses += 1
            if self._logged_at is not None and now - self._logged_at < LOG_SECONDS:
                return
            self._logged_at, missed, self.misses = now, self.misses, 0
        logger.warning("cache server %s unreachable%s: %d calls answered as misses since the last report; "
                       "pages are served without the cache, the server is tried again every %d s",
                       self.server, f" ({exc})" if exc else "", missed, BREAK_SECONDS)


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker(server: str) -> Breaker:
    with _breakers_lock:
        return _breakers.setdefault(server, Breaker(server))


class ResilientRedisCache(RedisCache):
    """Django's RedisCache with short timeouts, whose calls degrade to a miss while the server is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = {**TIMEOUTS, **self._options}
        self._breaker = breaker(",".join(self._servers))

    def _or_miss(self, miss, call, *args, **kwargs):
        if not self._breaker.allows():
            return miss
        try:
            result = call(*args, **kwargs)
        except UNREACHABLE as exc:
            self._breaker.failed(exc)
            return miss
        self._breaker.succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._or_miss(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._or_miss({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or_miss(False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or_miss(None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or_miss(False, super().add, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or_miss(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or_miss(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or_miss(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._or_miss(None, super().delete_many, keys, version)

    def clear(self):
        return self._or_miss(False, super().clear)

    def incr(self, key, delta=1, version=None):  # decr is incr(-delta)
        if not self._breaker.allows():
            raise CacheUnavailable(f"cache server {self._breaker.server} is down")
        try:
            result = super().incr(key, delta, version)
        except UNREACHABLE as exc:
            self._breaker.failed(exc)
            raise CacheUnavailable(f"cache server {self._breaker.server} is down") from exc
        self._breaker.succeeded()
        return result


PROCESS_LOCAL = {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.filebased.FileBasedCache"}


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """REDIS_URL means real workers and, per README, several web processes or machines: a cache of each
    process's own then serves each process a different view of what should be one (and any limit
    counted in it would be counted once per process)."""
    if not settings.REDIS_URL:
        return []
    local = [alias for alias, config in settings.CACHES.items() if config["BACKEND"] in PROCESS_LOCAL]
    if not local:
        return []
    return [checks.Warning(
        f"缓存（{', '.join(local)}）只在本进程内有效，而 REDIS_URL 已设置（多个进程或多台机器）：各进程的缓存互不相同。",
        hint="在 .env 中设置 CACHE_URL=rediscache://127.0.0.1:6379/1（与 REDIS_URL 同一 Redis 的另一个库），见 README“生产模式”。",
        id="haidian_contest.W001")]
