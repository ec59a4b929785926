"""Working days as the administrator's holiday table (CalendarDay) says: the Django side of
rules.working_days."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .models import CalendarDay
from .rules.working_days import WorkCalendar, add_working_days, next_working_day

# Long enough for any period of PUBLIC_NOTICE_WORKING_DAYS across the Spring Festival.
_SPAN = timedelta(days=120)


def work_calendar(first: date, last: date | None = None) -> WorkCalendar:
    last = last or first + _SPAN
    rows = CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
    return WorkCalendar.of(holidays=[d for d, k in rows if k == CalendarDay.Kind.HOLIDAY],
                           workdays=[d for d, k in rows if k == CalendarDay.Kind.WORKDAY])


def notice_period(published_on: date, working_days: int | None = None) -> tuple[date, date]:
    """(first day, last day) of a public notice published on `published_on`: it starts on the next
    working day and lasts `working_days` working days (settings.PUBLIC_NOTICE_WORKING_DAYS)."""
    n = working_days or settings.PUBLIC_NOTICE_WORKING_DAYS
    calendar = work_calendar(published_on)
    first = next_working_day(calendar, published_on)
    return first, add_working_days(calendar, first, n)


NOTICE_CLOSES_AT = time(17, 0)


def closing_moment(last_day: date) -> datetime:
    """17:00 Beijing time on the period's last day: office hours end there."""
    return timezone.make_aware(datetime.combine(last_day, NOTICE_CLOSES_AT))
