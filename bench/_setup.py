"""What the benchmarks share: Django against a given database, and a scratch PostgreSQL database."""

import os


def setup_django(database_url: str, media: str) -> None:
    """Set Django up once per process against `database_url` (eager Celery, no broker), migrated."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidian_contest.settings")
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
