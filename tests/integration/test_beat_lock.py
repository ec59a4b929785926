"""The one-beat lock itself, against a real Redis (the whole beats are in test_multinode.py)."""

import os
import time

import pytest

from haidian_contest.beat_lock import EXIT_STATUS_LOCK_TAKEN, BeatLock, hold_or_exit

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
pytestmark = pytest.mark.redis


@pytest.fixture
def client():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def test_a_second_holder_cannot_take_a_held_lock(client):
    first, second = BeatLock(client, 10), BeatLock(client, 10)
    assert first.acquire()
    assert not second.acquire()
    assert second.holder() == first.token


def test_releasing_someone_elses_lock_leaves_it_held(client):
    first, second = BeatLock(client, 10), BeatLock(client, 10)
    first.acquire()
    second.release()
    assert first.holder() == first.token


def test_an_expired_lock_may_be_taken_and_the_old_holder_cannot_renew_it(client):
    first, second = BeatLock(client, 0.2), BeatLock(client, 10)
    first.acquire()
    time.sleep(0.3)
    assert second.acquire()
    assert not first.renew()
    assert second.renew()


def test_hold_or_exit_ends_the_process_when_the_lock_is_held(client):
    BeatLock(client, 10).acquire()
    with pytest.raises(SystemExit) as exit_info:
        hold_or_exit(REDIS_URL, 10)
    assert exit_info.value.code == EXIT_STATUS_LOCK_TAKEN


def test_without_a_redis_broker_there_is_no_lock_to_take():
    assert hold_or_exit("memory://", 10) is None
