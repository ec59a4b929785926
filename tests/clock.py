"""Days of the scenario (SCENARIO.md, project A) and travel to them, in Beijing local time.

The date gates (haidian_contest.workflow.DATE_GATES) and 2.3b judge the day a step is taken, so the
stage helpers take each step on a day it could really happen, whatever day the tests run on.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
APPLIED = date(2026, 5, 20)      # A, B and C are drafted and submitted before any of them starts
AFTER_EVENT = date(2026, 9, 28)  # A ended 2026-09-20; materials due 2026-10-04


def travel(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI), tick=True)


@contextmanager
def on_or_before(day: date):
    """Travel to `day` only when today is later (a step that must happen by then)."""
    if timezone.localdate() > day:
        with travel(day):
            yield
    else:
        yield


@contextmanager
def on_or_after(day: date):
    """Travel to `day` only when today is earlier (a step that must wait for it)."""
    if timezone.localdate() < day:
        with travel(day):
            yield
    else:
        yield


def between(first: date, last: date):
    """Today if it lies in [first, last], else travel to the nearer end."""
    today = timezone.localdate()
    if today < first:
        return travel(first)
    if today > last:
        return travel(last)
    return _stay()


@contextmanager
def _stay():
    yield


def day_before(day: date) -> date:
    return day - timedelta(days=1)
