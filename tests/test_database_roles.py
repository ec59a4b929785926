"""The app's own PostgreSQL role cannot rewrite the ledger or the security log (issue 25 §4).

The test database is migrated by its owner (TEST_DATABASE_URL's role, as the release step migrates);
`manage.py grant_app_role` gives the app's role (TEST_APP_DATABASE_URL's: CI creates `contest_app`) its
rights; then a connection of that role tries what an attacker holding the app's `.env` would.
"""

import os

import environ
import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from psycopg import errors

from accounts.models import SecurityEvent
from funding.models import LedgerEntry
from haidian_contest.checks import check_database_roles
from haidian_contest.records import REFUSE_FUNCTION, row_trigger, truncate_trigger

APP_URL = os.environ.get("TEST_APP_DATABASE_URL", "")
APP = environ.Env.db_url_config(APP_URL) if APP_URL else {}

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not APP_URL, reason="needs the app's database role (TEST_APP_DATABASE_URL; CI creates it)"),
]

LEDGER = LedgerEntry._meta.db_table
SECURITY_LOG = SecurityEvent._meta.db_table
REWRITES = {
    "truncate": "TRUNCATE {t} CASCADE",
    "disable_triggers": "ALTER TABLE {t} DISABLE TRIGGER ALL",
    "disable_row_trigger": "ALTER TABLE {t} DISABLE TRIGGER {row}",
    "drop_row_trigger": "DROP TRIGGER {row} ON {t}",
    "drop_truncate_trigger": "DROP TRIGGER {truncate} ON {t}",
    "replace_refusing_function": (f"CREATE OR REPLACE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger "
                                  "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"),
    "new_function": "CREATE FUNCTION haidian_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "new_table": "CREATE TABLE haidian_probe (id int)",
    "update": "UPDATE {t} SET id = id",
    "delete": "DELETE FROM {t}",
}


@pytest.fixture(scope="module")
def granted(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("grant_app_role", role=APP["USER"])
        yield connection.settings_dict["NAME"]


@pytest.fixture
def as_app_role(granted):
    """A connection to the test database as the app's role; every statement is rolled back."""
    with psycopg.connect(host=APP["HOST"], port=APP["PORT"] or 5432, user=APP["USER"], password=APP["PASSWORD"],
                         dbname=granted) as conn:
        yield conn
        conn.rollback()


def run(conn, sql):
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.rollback()


@pytest.mark.parametrize("table", [LEDGER, SECURITY_LOG], ids=["ledger", "security_log"])
@pytest.mark.parametrize("statement", list(REWRITES), ids=list(REWRITES))
def test_the_app_role_cannot_rewrite_an_append_only_table_or_its_guard(as_app_role, statement, table):
    sql = REWRITES[statement].format(t=table, row=row_trigger(table), truncate=truncate_trigger(table))
    with pytest.raises(errors.InsufficientPrivilege):
        run(as_app_role, sql)


@pytest.mark.parametrize("table", [LEDGER, SECURITY_LOG], ids=["ledger", "security_log"])
def test_the_app_role_reads_and_appends_to_an_append_only_table(as_app_role, table):
    # No row moves (WHERE false), but the rights are checked all the same.
    run(as_app_role, f"INSERT INTO {table} SELECT * FROM {table} WHERE false")


def test_the_app_role_updates_and_deletes_ordinary_rows(as_app_role):
    run(as_app_role, "UPDATE applications_application SET title = title WHERE false")
    run(as_app_role, "DELETE FROM django_session WHERE false")


def test_the_app_role_cannot_record_a_migration(as_app_role):
    with pytest.raises(errors.InsufficientPrivilege):
        run(as_app_role, "INSERT INTO django_migrations SELECT * FROM django_migrations WHERE false")


@pytest.mark.django_db
def test_a_table_created_after_the_grant_is_only_readable_and_appendable(granted):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE haidian_later_table (id int)")
        cursor.execute("SELECT privilege_type FROM information_schema.role_table_grants "
                       "WHERE grantee = %s AND table_name = 'haidian_later_table' ORDER BY 1", [APP["USER"]])
        assert [row[0] for row in cursor.fetchall()] == ["INSERT", "SELECT"]


@pytest.mark.django_db
def test_granting_refuses_the_owner_of_the_tables():
    with pytest.raises(CommandError, match="所有者"):
        call_command("grant_app_role", role=connection.settings_dict["USER"])


@pytest.mark.django_db
def test_check_deploy_is_quiet_for_the_granted_app_role(granted):
    with override_settings(DATABASE_APP_ROLE=APP["USER"]):
        assert check_database_roles() == []


@pytest.mark.django_db
def test_check_deploy_warns_when_the_app_connects_as_the_owner():
    with override_settings(DATABASE_APP_ROLE=connection.settings_dict["USER"]):
        assert "db_roles.W003" in {message.id for message in check_database_roles()}


@pytest.mark.django_db
def test_check_deploy_warns_when_the_app_role_may_truncate(granted):
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(f"GRANT TRUNCATE ON {LEDGER} TO {APP['USER']}")
    with override_settings(DATABASE_APP_ROLE=APP["USER"]):
        assert [message.id for message in check_database_roles()] == ["db_roles.W005"]


@pytest.mark.django_db
def test_check_deploy_warns_when_the_app_role_may_create_in_the_schema(granted):
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT CREATE ON SCHEMA public TO {APP['USER']}")
    with override_settings(DATABASE_APP_ROLE=APP["USER"]):
        assert [message.id for message in check_database_roles()] == ["db_roles.W004"]


@pytest.mark.django_db
def test_check_deploy_warns_when_an_append_only_table_lost_a_trigger(granted):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {LEDGER} DISABLE TRIGGER {truncate_trigger(LEDGER)}")
    with override_settings(DATABASE_APP_ROLE=APP["USER"]):
        messages = check_database_roles()
    assert [message.id for message in messages] == ["db_roles.W006"] and LEDGER in messages[0].msg
