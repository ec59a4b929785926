"""Working days: weekends, public holidays and make-up working days (the 2026 State Council notice)."""

from datetime import date

import pytest

from haidian_contest.rules.working_days import WorkCalendar, add_working_days, next_working_day, working_days_between

# 2026 中秋 9.25–9.27 and 国庆 10.1–10.7, with Sunday 9.20 and Saturday 10.10 worked.
CAL = WorkCalendar.of(
    holidays=[date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)]
    + [date(2026, 10, d) for d in range(1, 8)],
    workdays=[date(2026, 9, 20), date(2026, 10, 10)],
)
PLAIN = WorkCalendar()


def test_five_working_days_from_a_monday_end_on_friday():
    assert add_working_days(PLAIN, date(2026, 11, 2), 5) == date(2026, 11, 6)


def test_a_weekend_is_skipped():
    assert add_working_days(PLAIN, date(2026, 11, 5), 5) == date(2026, 11, 11)


def test_a_period_starting_on_a_saturday_starts_on_monday():
    assert add_working_days(PLAIN, date(2026, 11, 7), 1) == date(2026, 11, 9)


def test_public_holidays_are_not_counted():
    # 9.22–9.24 (3), 9.25–9.27 holiday, 9.28–9.30 (3): five days end on 9.29.
    assert add_working_days(CAL, date(2026, 9, 22), 5) == date(2026, 9, 29)


def test_a_period_over_national_day_resumes_on_the_make_up_saturday():
    # 9.29, 9.30, then 10.1–10.7 off, 10.8 (Thu), 10.9 (Fri), 10.10 (Saturday, worked).
    assert add_working_days(CAL, date(2026, 9, 29), 5) == date(2026, 10, 10)


def test_a_make_up_sunday_is_a_working_day():
    assert CAL.is_working_day(date(2026, 9, 20))
    assert not PLAIN.is_working_day(date(2026, 9, 20))
    assert next_working_day(CAL, date(2026, 9, 19)) == date(2026, 9, 20)


def test_a_holiday_on_a_weekday_is_not_a_working_day():
    assert not CAL.is_working_day(date(2026, 10, 1))
    assert next_working_day(CAL, date(2026, 9, 30)) == date(2026, 10, 8)


def test_working_days_between_counts_both_ends():
    assert working_days_between(CAL, date(2026, 9, 21), date(2026, 10, 11)) == 10
    assert working_days_between(CAL, date(2026, 10, 2), date(2026, 10, 1)) == 0


def test_a_period_of_no_days_is_refused():
    with pytest.raises(ValueError):
        add_working_days(PLAIN, date(2026, 11, 2), 0)
