"""Values read with plain SQL (a cursor), as the ORM would have given them.

A few reads that every page repeats are plain SQL, where Django's compiling cost more than the query
(issue 19). SQLite hands dates and datetimes back as ISO text, datetimes naive in UTC; PostgreSQL as
date and aware datetime objects. These turn either into what a model field would hold.
"""

from datetime import UTC, date, datetime

from django.utils.dateparse import parse_datetime


def db_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def db_datetime(value) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
