"""Settings from the environment, run in a fresh interpreter each (settings are read once per process)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRINT_DB = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','haidian_contest.settings'); django.setup();"
    "from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
)


def run_python(code, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_ROLE", "REDIS_URL", "DEBUG", "HTTPS"}}
    base.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, check=True)


def test_settings_without_environment_use_sqlite_eager_celery_console_mail():
    out = run_python(PRINT_DB).stdout.split()
    assert out == ["django.db.backends.sqlite3", "True", "django.core.mail.backends.console.EmailBackend"]


def test_settings_with_database_and_redis_urls_use_postgresql_and_real_workers():
    out = run_python(PRINT_DB, DATABASE_URL="postgres://u:p@db.local:5432/contest", REDIS_URL="redis://r.local:6379/0")
    assert out.stdout.split()[:2] == ["django.db.backends.postgresql", "False"]


PRINT_DB_USER = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','haidian_contest.settings'); django.setup();"
    "from django.conf import settings as s; print(s.DATABASES['default']['USER'], s.DATABASE_APP_ROLE)"
)
TWO_ROLES = {"DATABASE_URL": "postgres://contest_app:a@db.local:5432/contest",
             "DATABASE_OWNER_URL": "postgres://contest:o@db.local:5432/contest"}


def test_every_process_but_the_release_step_connects_as_the_app_role():
    assert run_python(PRINT_DB_USER, **TWO_ROLES).stdout.split() == ["contest_app", "contest_app"]


def test_the_release_step_connects_as_the_owner_and_knows_the_app_role():
    out = run_python(PRINT_DB_USER, DATABASE_ROLE="owner", **TWO_ROLES).stdout.split()
    assert out == ["contest", "contest_app"]


def test_without_an_owner_url_the_release_step_connects_as_database_url():
    out = run_python(PRINT_DB_USER, DATABASE_ROLE="owner", DATABASE_URL=TWO_ROLES["DATABASE_URL"]).stdout.split()
    assert out == ["contest_app", "contest_app"]


def test_check_deploy_on_production_settings_is_clean():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY="x7#Gq!2pL9@vR4$wT8%zY1^bN6&mK3*jH5(dF0)sA-c_e+iU=oP~" * 2,
        ALLOWED_HOSTS="contest.hdzgh.local",
        STATIC_MANIFEST="false",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_hashes_passwords_with_pbkdf2_not_the_tests_fast_hasher():
    out = run_python(
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','haidian_contest.settings'); django.setup();"
        "from django.conf import settings as s; print(s.PASSWORD_HASHERS[0])",
        DEBUG="true",
    )
    assert out.stdout.strip() == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
