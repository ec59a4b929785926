"""Exactly one Celery beat in the whole installation.

Two beats would send every periodic task twice (two reminder e-mails, two resends of a deferred
task). A sentence in README does not stop an operator from starting a second machine with the same
unit files, so beat takes a lock in Redis (the broker every node already shares) when it starts and
keeps renewing it; a second beat finds it taken and exits with status 3. If the holder dies without
releasing it, the lock expires after BEAT_LOCK_TTL_SECONDS and the next beat to start takes over.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import sys
import threading
import uuid

logger = logging.getLogger(__name__)

LOCK_KEY = "haidian_contest:celery-beat-lock"
EXIT_STATUS_LOCK_TAKEN = 3

# Renew only while we still hold it; release only our own token (compare-and-act, atomically in Redis).
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class BeatLock:
    def __init__(self, client, ttl_seconds: int, key: str = LOCK_KEY):
        self.client = client
        self.key = key
        self.ttl_ms = int(ttl_seconds * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"

    def acquire(self) -> bool:
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def renew(self) -> bool:
        return bool(self.client.eval(_RENEW, 1, self.key, self.token, self.ttl_ms))

    def release(self) -> None:
        self.client.eval(_RELEASE, 1, self.key, self.token)

    def holder(self) -> str:
        value = self.client.get(self.key)
        return value.decode() if isinstance(value, bytes) else str(value or "")


def hold_or_exit(broker_url: str, ttl_seconds: int) -> BeatLock | None:
    """Take the lock or end this process; then keep it renewed from a daemon thread."""
    if not broker_url.startswith(("redis://", "rediss://")):
        return None  # no shared broker (development, tasks run eagerly): there is nobody to clash with
    import redis

    lock = BeatLock(redis.Redis.from_url(broker_url), ttl_seconds)
    if not lock.acquire():
        message = (
            f"another celery beat holds the lock ({lock.holder()}); exactly one beat may run per installation. "
            f"This one exits. If that beat is gone, its lock expires within {ttl_seconds} s."
        )
        logger.critical(message)
        print(message, file=sys.stderr, flush=True)
        raise SystemExit(EXIT_STATUS_LOCK_TAKEN)
    logger.warning("celery beat lock taken (%s)", lock.token)
    atexit.register(lock.release)
    stop = threading.Event()

    def keep_renewed():
        while not stop.wait(ttl_seconds / 3):
            try:
                still_ours = lock.renew()
            except Exception:  # Redis briefly away: try again next round; the TTL leaves two more tries
                logger.exception("could not renew the celery beat lock")
                continue
            if not still_ours:
                logger.critical("celery beat lost its lock (it expired and another beat took it); stopping")
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=keep_renewed, name="beat-lock", daemon=True).start()
    return lock
