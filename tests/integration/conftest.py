import threading

import pytest

from haidian_contest.celery import app


def _reset_connections():
    # Celery caches the broker pools and the result backend (per thread) for the old URLs.
    app._after_fork()
    app._local = threading.local()


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Overrides tests/conftest.py's MD5 hasher: the web nodes here are separate processes with
    production settings, and the users they sign in must carry production's hash."""


@pytest.fixture
def use_broker():
    """Point the Celery app at another broker for one test (eager mode off), then restore it."""
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}

    def use(url, result_backend=None):
        app.conf.update(broker_url=url, result_backend=result_backend or saved["result_backend"], task_always_eager=False)
        _reset_connections()

    yield use
    app.conf.update(saved)
    _reset_connections()


def postgres_params(dbname: str | None = None) -> dict:
    """psycopg connection parameters of the test database's server (the test database by default)."""
    from django.db import connection

    s = connection.settings_dict
    return dict(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"],
                dbname=dbname or s["NAME"])


def postgres_url(params: dict) -> str:
    """The same as a DATABASE_URL, for a process started by the test."""
    return f"postgres://{params['user']}:{params['password']}@{params['host']}:{params['port']}/{params['dbname']}"
