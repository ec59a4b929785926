"""Guessing the survey's ID tails: slowed per address, never a switch that closes the survey for everybody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from accounts.models import RateCounter
from performance.survey import services
from performance.survey.models import SurveyAnswer

from .survey_stages import answer_as, answers, refused

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.7"


def _fail(survey, address: str) -> str:
    return refused(survey, name="查无此人", id_tail="123456", answers=answers(), address=address)


def _clock(monkeypatch, start):
    moment = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


def test_three_hundred_failures_from_many_addresses_do_not_stop_a_participant_who_types_the_right_tail(
        survey, with_people):
    for n in range(services.FAILURES_PER_PROJECT + 20):
        assert _fail(survey, f"10.0.{n // 250}.{n % 250}") == services.IDENTITY_REFUSED
    answer_as(survey, with_people.roster_rows[0], address="192.0.2.1")
    assert SurveyAnswer.objects.count() == 1


def test_an_address_that_keeps_failing_is_told_when_to_try_again(survey, with_people):
    for _ in range(services.FREE_FAILURES):
        assert _fail(survey, ADDRESS) == services.IDENTITY_REFUSED
    row = with_people.roster_rows[0]
    # Even the right tail is not checked from there until the wait is over: checking would answer a guesser.
    message = refused(survey, name=row["name"], id_tail=row["id_number"][-6:], answers=answers(), address=ADDRESS)
    assert message.startswith("本网络核验失败次数较多") and f"约 {services.BACKOFF_SECONDS} 秒后" in message
    answer_as(survey, row, address="198.51.100.9")
    assert SurveyAnswer.objects.count() == 1


def test_each_further_failure_from_an_address_doubles_its_wait(survey, with_people, monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    waits = []
    for n in range(1, services.FREE_FAILURES + 4):
        assert _fail(survey, ADDRESS) == services.IDENTITY_REFUSED
        if n >= services.FREE_FAILURES:
            refusal = _fail(survey, ADDRESS)  # owed a wait: refused unchecked, and not counted
            waits.append(int(refusal.split("约 ")[1].split(" 秒")[0]))
            clock["now"] += timedelta(seconds=waits[-1])
    base = services.BACKOFF_SECONDS
    assert waits == [base, 2 * base, 4 * base, 8 * base]


def test_after_the_wait_the_address_is_checked_again(survey, with_people, monkeypatch):
    clock = _clock(monkeypatch, timezone.now())
    for _ in range(services.FREE_FAILURES):
        _fail(survey, ADDRESS)
    clock["now"] += timedelta(seconds=services.BACKOFF_SECONDS + 1)
    answer_as(survey, with_people.roster_rows[0], address=ADDRESS)
    assert SurveyAnswer.objects.count() == 1


def test_past_the_projects_hourly_limit_a_new_address_waits_after_its_first_failure(survey, with_people,
                                                                                      monkeypatch):
    monkeypatch.setattr(services, "FAILURES_PER_PROJECT", 5)
    for n in range(5):
        _fail(survey, f"198.51.100.{n}")
    assert _fail(survey, "192.0.2.1") == services.IDENTITY_REFUSED
    assert "秒后）再试" in _fail(survey, "192.0.2.1")
    answer_as(survey, with_people.roster_rows[0], address="192.0.2.2")
    assert SurveyAnswer.objects.count() == 1


def test_the_counts_are_shared_by_every_process_because_they_are_in_the_database(survey, with_people, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for _ in range(services.FREE_FAILURES):
        _fail(survey, ADDRESS)
    assert "秒后）再试" in _fail(survey, ADDRESS)
    assert RateCounter.objects.get(key__contains=f":{ADDRESS}").count == services.FREE_FAILURES


def test_when_the_counters_cannot_be_read_the_survey_refuses_with_a_chinese_message(survey, with_people):
    def broken(execute, sql, params, many, context):
        if RateCounter._meta.db_table in sql:
            raise OperationalError("counter store down")
        return execute(sql, params, many, context)

    row = with_people.roster_rows[0]
    with connection.execute_wrapper(broken):
        message = refused(survey, name=row["name"], id_tail=row["id_number"][-6:], answers=answers(),
                           address=ADDRESS)
    assert message == "访问过于频繁或系统繁忙，请稍后再试。"
    assert not SurveyAnswer.objects.exists()
