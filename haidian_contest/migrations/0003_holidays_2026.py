"""The 2026 holiday arrangement: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, Xinhua).

Later years are entered by the administrator (节假日与调休日 in the admin) when the State Council
publishes them; none is guessed here.
"""

from datetime import date, timedelta

from django.db import migrations


def _days(first, last):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


HOLIDAYS_2026 = [
    ("元旦", date(2026, 1, 1), date(2026, 1, 3)),
    ("春节", date(2026, 2, 15), date(2026, 2, 23)),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
]
WORKDAYS_2026 = [
    ("元旦", date(2026, 1, 4)),
    ("春节", date(2026, 2, 14)),
    ("春节", date(2026, 2, 28)),
    ("劳动节", date(2026, 5, 9)),
    ("国庆节", date(2026, 9, 20)),
    ("国庆节", date(2026, 10, 10)),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("haidian_contest", "CalendarDay")
    rows = [CalendarDay(date=d, kind="holiday", name=name) for name, a, b in HOLIDAYS_2026 for d in _days(a, b)]
    rows += [CalendarDay(date=d, kind="workday", name=f"{name}调休") for name, d in WORKDAYS_2026]
    existing = set(CalendarDay.objects.filter(date__year=2026).values_list("date", flat=True))
    CalendarDay.objects.bulk_create([r for r in rows if r.date not in existing])


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("haidian_contest", "CalendarDay")
    dates = [d for _n, a, b in HOLIDAYS_2026 for d in _days(a, b)] + [d for _n, d in WORKDAYS_2026]
    CalendarDay.objects.filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [("haidian_contest", "0002_calendar_day")]
    operations = [migrations.RunPython(seed, unseed)]
