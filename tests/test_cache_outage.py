"""haidian_contest.cache: with the cache server down, every read is a miss and every write a no-op, fast;
a counter refuses rather than count nothing; the outage is logged once a minute, not once a call.
No Redis needed: the cache points at a port nothing listens on (tests/integration/test_cache_outage.py
stops a real one under the production settings)."""

import logging
import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from django.template import engines
from django.urls import reverse

from haidian_contest import cache as resilient
from haidian_contest.cache import CacheUnavailable, ResilientRedisCache, check_shared_cache

from .test_settings import run_python

DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(resilient, "monotonic", clock)
    monkeypatch.setattr(resilient, "_breakers", {})  # each test sees the server for the first time
    return clock


@pytest.fixture
def dead(clock):
    return ResilientRedisCache(DEAD, {})


@pytest.fixture
def connections(monkeypatch):
    """How many times the backend asked redis-py for a client (each one a connection attempt when down)."""
    calls = []
    real = RedisCacheClient.get_client

    def counting(self, *args, **kwargs):
        calls.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(RedisCacheClient, "get_client", counting)
    return calls


def test_reads_of_a_dead_cache_are_misses(dead):
    assert dead.get("k") is None
    assert dead.get("k", "fallback") == "fallback"
    assert dead.get_many(["a", "b"]) == {}
    assert dead.has_key("k") is False


def test_writes_to_a_dead_cache_are_dropped(dead):
    assert dead.set("k", "v", 60) is None
    assert dead.add("k", "v", 60) is False
    assert dead.set_many({"a": 1, "b": 2}, 60) == ["a", "b"]  # Django's contract: the keys not stored
    assert dead.delete("k") is False
    assert dead.touch("k", 60) is False
    dead.delete_many(["a", "b"])
    dead.clear()


def test_get_or_set_on_a_dead_cache_computes_the_value(dead):
    assert dead.get_or_set("k", lambda: 42, 60) == 42


def test_a_counter_on_a_dead_cache_raises_cache_unavailable_not_value_error(dead):
    with pytest.raises(CacheUnavailable):
        dead.incr("hits")
    with pytest.raises(CacheUnavailable):
        dead.decr("hits")
    assert not issubclass(CacheUnavailable, ValueError)  # "key expired" handlers must not swallow it


def test_a_counter_refuses_while_the_breaker_is_open_too(dead):
    dead.get("k")  # the failure that opens the breaker
    with pytest.raises(CacheUnavailable):
        dead.incr("hits")


def test_after_a_failure_the_dead_server_is_not_tried_again_for_a_few_seconds(dead, clock, connections):
    dead.get("k")
    assert len(connections) == 1
    for _ in range(50):
        dead.get("k")
        dead.set("k", 1, 60)
    assert len(connections) == 1
    clock.now += resilient.BREAK_SECONDS + 0.1
    dead.get("k")
    assert len(connections) == 2


def test_every_alias_and_thread_of_a_process_shares_the_server_s_breaker(clock, connections):
    first, second = ResilientRedisCache(DEAD, {}), ResilientRedisCache(DEAD, {"KEY_PREFIX": "fragments-x"})
    first.get("k")
    second.get("k")
    assert len(connections) == 1


def test_a_dead_cache_costs_a_page_no_more_than_the_connect_timeout(dead):
    started = time.monotonic()
    for _ in range(100):
        dead.get("k")
        dead.set("k", "v", 60)
    assert time.monotonic() - started < 1.0


def test_the_connection_has_short_timeouts_unless_configured():
    assert ResilientRedisCache(DEAD, {})._options["socket_connect_timeout"] <= 0.5
    assert ResilientRedisCache(DEAD, {"OPTIONS": {"socket_timeout": 2}})._options["socket_timeout"] == 2


def test_an_outage_is_logged_once_a_minute_with_the_number_of_misses(dead, clock, caplog):
    caplog.set_level(logging.WARNING, logger="haidian_contest.cache")
    for _ in range(100):
        dead.get("k")
        clock.now += 0.5  # 50 s of traffic, the breaker retrying every few seconds
    assert len(caplog.records) == 1
    assert "127.0.0.1:1" in caplog.records[0].getMessage()
    clock.now += 11
    dead.get("k")
    assert len(caplog.records) == 2
    assert "100 calls answered as misses" in caplog.records[1].getMessage()
    assert resilient.breaker(",".join(dead._servers)).total_misses == 101


def test_a_template_fragment_renders_while_its_cache_is_down(settings, clock):
    dead = {"BACKEND": "haidian_contest.cache.ResilientRedisCache", "LOCATION": DEAD}
    settings.CACHES = {"default": dead, "template_fragments": {**dead, "KEY_PREFIX": "fragments-x"}}
    template = engines["django"].from_string("{% load cache %}{% cache 60 greeting n %}你好 {{ n }}{% endcache %}")
    assert template.render({"n": 3}) == "你好 3"
    assert caches["template_fragments"].get("anything") is None


@pytest.mark.django_db
def test_the_review_queue_and_the_ledger_answer_while_the_cache_is_down(settings, clock, client, reviewer):
    dead = {"BACKEND": "haidian_contest.cache.ResilientRedisCache", "LOCATION": DEAD}
    settings.CACHES = {"default": dead, "template_fragments": {**dead, "KEY_PREFIX": "fragments-x"}}
    client.force_login(reviewer)
    for url in (reverse("review:queue"), reverse("funding:ledger"), reverse("dashboard:overview"),
                reverse("applications:list")):
        assert client.get(url).status_code == 200, url


def test_a_redis_cache_url_gives_the_resilient_backend_to_every_alias():
    out = run_python(
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','haidian_contest.settings'); django.setup();"
        "from django.conf import settings as s; print(*sorted({c['BACKEND'] for c in s.CACHES.values()}))",
        DEBUG="true", CACHE_URL="rediscache://127.0.0.1:6379/1",
    )
    assert out.stdout.split() == ["haidian_contest.cache.ResilientRedisCache"]


def test_check_deploy_warns_of_a_per_process_cache_when_several_processes_are_expected(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in check_shared_cache()] == ["haidian_contest.W001"]


def test_check_deploy_accepts_a_shared_cache_or_a_single_process(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.CACHES = {"default": {"BACKEND": "haidian_contest.cache.ResilientRedisCache", "LOCATION": DEAD}}
    assert check_shared_cache() == []
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert check_shared_cache() == []
