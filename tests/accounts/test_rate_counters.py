"""The rate limits' counters (accounts.throttle): in the database, windowed, pruned, and failing closed."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections
from django.utils import timezone

from accounts import throttle
from accounts.models import RateCounter


def _clock(monkeypatch, start):
    moment = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


@pytest.mark.django_db
def test_counts_add_up_within_the_window_and_start_afresh_after_it(monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    assert [throttle.add_hit("k", seconds=60) for _ in range(3)] == [1, 2, 3]
    assert throttle.hits("k") == 3
    clock["now"] += timedelta(seconds=61)
    assert throttle.hits("k") == 0
    assert throttle.add_hit("k", seconds=60) == 1


@pytest.mark.django_db
def test_the_window_starts_with_the_first_count_not_the_latest(monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    throttle.add_hit("k", seconds=60)
    clock["now"] += timedelta(seconds=50)
    throttle.add_hit("k", seconds=60)
    clock["now"] += timedelta(seconds=11)
    assert throttle.hits("k") == 0


@pytest.mark.django_db
def test_ended_windows_are_pruned_when_anything_is_counted(monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    throttle.add_hit("old", seconds=60)
    clock["now"] += timedelta(seconds=61)
    throttle.add_hit("new", seconds=60)
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_counts_do_not_depend_on_the_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    throttle.add_hit("k", seconds=60)
    throttle.add_hit("k", seconds=60)
    assert throttle.hits("k") == 2


@pytest.mark.django_db
def test_a_store_that_errors_raises_unavailable_with_a_chinese_message():
    def broken(execute, sql, params, many, context):
        raise OperationalError("down")

    with connection.execute_wrapper(broken), pytest.raises(throttle.Unavailable) as exc:
        throttle.add_hit("k", seconds=60)
    with connection.execute_wrapper(broken), pytest.raises(throttle.Unavailable):
        throttle.hits("k")
    assert str(exc.value) == "访问过于频繁或系统繁忙，请稍后再试。"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_counts_from_many_connections_are_all_counted():
    threads, per_thread = 8, 25
    start = threading.Barrier(threads)
    seen: list[int] = []

    def run():
        try:
            start.wait()
            for _ in range(per_thread):
                seen.append(throttle.add_hit("race", seconds=600))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert throttle.hits("race") == threads * per_thread
    assert sorted(seen) == list(range(1, threads * per_thread + 1))


@pytest.mark.django_db
def test_the_registration_page_refuses_politely_when_its_limit_cannot_be_counted(client):
    from django.urls import reverse

    from accounts.models import UnitRegistration
    from tests.accounts.test_registration import form_data, letter

    def broken(execute, sql, params, many, context):
        if RateCounter._meta.db_table in sql:
            raise OperationalError("counter store down")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(broken):
        response = client.post(reverse("accounts:register"), {**form_data(), "letter": letter()})
    assert response.status_code == 200 and throttle.BUSY in response.content.decode()
    assert not UnitRegistration.objects.exists()
