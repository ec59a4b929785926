"""Plain-SQL values read as the ORM reads them, on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.db import connection

from haidian_contest.sql import db_date, db_datetime


def test_sqlite_text_becomes_a_date_and_an_aware_utc_datetime():
    assert db_date("2026-12-20") == date(2026, 12, 20)
    assert db_datetime("2026-12-01 09:00:00.123456") == datetime(2026, 12, 1, 9, 0, 0, 123456, tzinfo=UTC)


def test_objects_and_none_pass_through():
    aware = datetime(2026, 12, 1, 17, 0, tzinfo=timezone(timedelta(hours=8)))
    assert db_datetime(aware) is aware and db_date(date(2026, 1, 2)) == date(2026, 1, 2)
    assert db_date(None) is None and db_datetime(None) is None


@pytest.mark.django_db
def test_a_stored_datetime_reads_back_equal_to_the_orms(organizer):
    _same(organizer)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_stored_datetime_reads_back_equal_to_the_orms_on_postgresql(organizer):
    _same(organizer)


def _same(organizer):
    from accounts.models import Notification

    note = Notification.objects.create(user=organizer, text="通知")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT created_at FROM {Notification._meta.db_table} WHERE id = %s", [note.pk])
        (raw,) = cursor.fetchone()
    assert db_datetime(raw) == Notification.objects.get(pk=note.pk).created_at
