"""What the benchmarks share: Django against a given database, and a scratch PostgreSQL database."""

import base64
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


def setup_django(database_url: str, media: str) -> None:
    """Set Django up once per process against `database_url` (eager Celery, no broker), migrated."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidian_contest.settings")
    # Production-like: DEBUG off, so the personal-information keys are required (encryption on).
    os.environ.setdefault("ID_HASH_KEY", "bench-id-hash-key-" + os.urandom(16).hex())
    os.environ.setdefault("PII_ENCRYPTION_KEYS", base64.urlsafe_b64encode(os.urandom(32)).decode())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def scratch_postgres(url: str, prefix: str):
    """A fresh database on the server of `url`, and the function that drops it afterwards."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    name = f"{prefix}_{os.getpid()}"
    admin = url.replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"{base}/{name}", drop


def run_each_database(script: str) -> int:
    """Run `script` again with the same arguments once per database: SQLite always, PostgreSQL when
    DATABASE_URL names one. A process each, since Django is set up once per process."""
    targets = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])
    status = 0
    for target in targets:
        status |= subprocess.call([sys.executable, script, *sys.argv[1:], "--database", target])
    return status


@contextmanager
def django_on(database: str, prefix: str):
    """Django set up on a temporary SQLite file or a scratch PostgreSQL database, dropped afterwards;
    yields the temporary folder (media lives in it)."""
    with tempfile.TemporaryDirectory(prefix=f"{prefix}_") as tmp:
        tmp = Path(tmp)
        drop = None
        if database == "sqlite":
            url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        else:
            url, drop = scratch_postgres(os.environ["DATABASE_URL"], prefix)
        print(f"{database}:", flush=True)
        try:
            setup_django(url, str(tmp / "media"))
            yield tmp
        finally:
            if drop:
                drop()
