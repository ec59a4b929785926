import os
from unittest import mock

import environ
import pytest

from accounts.roles import Role

from .factories import OrganizationFactory, user_with_role


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="中关村智造产业园工会联合会", org_type="park")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="海淀区电子信息行业协会", org_type="industry_association")


@pytest.fixture
def organizer(organization):
    return user_with_role(Role.ORGANIZER, organization=organization, full_name="王芳")


@pytest.fixture
def other_organizer(other_organization):
    return user_with_role(Role.ORGANIZER, organization=other_organization, full_name="李强")


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.REVIEWER, full_name="陈静")


@pytest.fixture
def approver(db):
    return user_with_role(Role.APPROVER, full_name="刘洋")


@pytest.fixture
def finance(db):
    return user_with_role(Role.FINANCE, full_name="孙丽")


@pytest.fixture
def auditor(db):
    return user_with_role(Role.AUDITOR, full_name="周涛")


@pytest.fixture
def admin_user(db):
    return user_with_role(Role.ADMIN, full_name="管理员", is_superuser=True, is_staff=True)


@pytest.fixture
def users_by_role(organizer, reviewer, approver, finance, auditor, admin_user):
    return {
        Role.ORGANIZER: organizer,
        Role.REVIEWER: reviewer,
        Role.APPROVER: approver,
        Role.FINANCE: finance,
        Role.AUDITOR: auditor,
        Role.ADMIN: admin_user,
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashes with PBKDF2 at Django's 1,000,000 rounds (0.6 s a password here); every test user
    would pay that. Tests of passwords themselves are about rules and lock-outs, not the hash's cost
    (tests/test_settings.py checks the production hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_only_where_tested(request, settings):
    """Sensitive roles must use TOTP in production; tests of other features log in with a password
    only, and the tests marked `two_factor` switch the requirement back on."""
    if request.node.get_closest_marker("two_factor") is None:
        settings.REQUIRE_2FA_ROLES = set()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Role groups and the shipped occupation catalogue come from data migrations; a transactional
    test (live_server, threads) flushes the database afterwards, so put them back for the tests after it."""
    marker = request.node.get_closest_marker("django_db")
    wants_db = marker is not None or {"db", "transactional_db"} & set(request.fixturenames)
    if not wants_db:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.contrib.auth.models import Group

    from accounts.roles import Role
    from applications.catalogue import load_shipped
    from applications.models import Occupation

    if Group.objects.count() < len(Role):
        for role in Role:
            Group.objects.get_or_create(name=role.group_name)
    _calls_open_all_year()
    if not Occupation.objects.exists():
        load_shipped()  # one bulk insert, after a flush only


# Submitting needs the year's call to be open (applications.calls); tests of other features get a call
# for each year they use, open from the start of the year before to the end of the year after (tests
# travel to the scenario's days, and a 2025 project may be drafted on a 2026 day); the call tests
# replace it through the services.
CALL_YEARS = (2025, 2026, 2027)


def _calls_open_all_year(years=CALL_YEARS):
    from datetime import datetime
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from applications.models import Call

    tz = ZoneInfo("Asia/Shanghai")
    for year in years:
        Call.objects.get_or_create(cycle=year, defaults={
            "title": f"关于开展{year}年度海淀区职工职业技能竞赛申报工作的通知", "notice": "测试用通知正文。",
            "opens_at": datetime(year - 1, 1, 1, tzinfo=tz), "closes_at": datetime(year + 1, 12, 31, 23, 59, tzinfo=tz),
            "planned_competitions": 10, "budget": Decimal("2000000.00"),
            "opening_notice_sent_at": datetime(year, 1, 1, tzinfo=tz)})


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached figures live in the cache (rate limits are in the database): no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path_factory):
    """Uploads written by tests go to a throw-away folder, never the working tree's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


def pytest_runtest_setup(item):
    """The `postgres` and `redis` markers skip their tests where the service is not configured.

    Here rather than in a fixture: it runs before any fixture, module-scoped ones included, so a
    test's set-up never tries to reach a database or broker that is not there.
    """
    from django.conf import settings

    if item.get_closest_marker("postgres") and "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("needs PostgreSQL (set TEST_DATABASE_URL and run make test-postgres)")
    if item.get_closest_marker("redis") and not os.environ.get("TEST_REDIS_URL"):
        pytest.skip("needs Redis (TEST_REDIS_URL; CI starts redis-server)")


def pytest_addoption(parser):
    parser.addoption("--as-app-role", action="store_true",
                     help="after migrating as the owner, connect as the app's database role (TEST_APP_DATABASE_URL)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """With --as-app-role (make test-postgres, on PostgreSQL): the test database is created and migrated by
    the owner (TEST_DATABASE_URL), the app's role is granted its rights by the release step's command, and
    the tests then connect as that role, as web and worker do in production."""
    if not request.config.getoption("--as-app-role"):
        yield
        return
    from django.core.management import call_command
    from django.db import connections

    app = environ.Env.db_url_config(os.environ["TEST_APP_DATABASE_URL"])
    connection = connections["default"]
    with django_db_blocker.unblock():
        call_command("grant_app_role", role=app["USER"])
        connection.close()
    owner = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.settings_dict.update(USER=app["USER"], PASSWORD=app["PASSWORD"])
    yield
    connection.close()
    connection.settings_dict.update(owner)


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_truncate_guard():
    """A transactional test's flush TRUNCATEs every table, which the append-only tables' trigger refuses
    (haidian_contest.records). The test database's owner lifts that trigger for the flush's own
    transaction only; nothing in the app ever truncates."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from haidian_contest.records import append_only_models, truncate_trigger

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if not statements:
            return statements
        q = self.quote_name
        guarded = [model._meta.db_table for model in append_only_models()]

        def toggle(state):
            return [f"ALTER TABLE {q(t)} {state} TRIGGER {q(truncate_trigger(t))}" for t in guarded]

        return [*toggle("DISABLE"), *statements, *toggle("ENABLE")]

    with mock.patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield
