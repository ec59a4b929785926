"""check --deploy: the app must not connect to PostgreSQL as a role that can rewrite the append-only records
(haidian_contest/db_roles.py). Run by the release step, which connects as the owner and asks about the
role of DATABASE_URL."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection

HINT = ("Connect web, worker and beat as a role of their own (DATABASE_URL) and the release step as the owner "
        "(DATABASE_OWNER_URL), which runs manage.py grant_app_role after migrate (README: Production mode).")


def check_database_roles(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if connection.vendor != "postgresql":
        return []
    from . import db_roles

    try:
        found = db_roles.problems(settings.DATABASE_APP_ROLE)
    except DatabaseError as exc:
        return [checks.Warning(f"Could not check the app's database role: {exc}", id="db_roles.W000")]
    return [checks.Warning(problem.message, hint=HINT, id=f"db_roles.{problem.id}") for problem in found]
