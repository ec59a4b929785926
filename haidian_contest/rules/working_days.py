"""Working days in mainland China: weekends, the State Council's public holidays (法定节假日) and
the make-up working days (调休上班日) on a weekend that the same notice declares.

Pure arithmetic; the dates come from the table the administrator keeps
(haidian_contest.models.CalendarDay), passed in by the caller. A day is a working day when it is a
make-up working day, or a weekday that is not a public holiday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)  # 调休上班日 (on a Saturday or Sunday)

    @classmethod
    def of(cls, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> WorkCalendar:
        return cls(frozenset(holidays), frozenset(workdays))

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def next_working_day(calendar: WorkCalendar, day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(calendar: WorkCalendar, first: date, n: int) -> date:
    """The last day of a period of `n` working days whose first counted day is the first working
    day on or after `first` (n >= 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day = first
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    counted = 1
    while counted < n:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def working_days_between(calendar: WorkCalendar, first: date, last: date) -> int:
    """Working days in [first, last] (0 when last is before first)."""
    count, day = 0, first
    while day <= last:
        count += calendar.is_working_day(day)
        day += timedelta(days=1)
    return count
