"""Two PostgreSQL roles, as financial systems on PostgreSQL are run (README: Production mode).

The owner of the tables runs the migrations and nothing else: only the release step connects as it.
The application's role (DATABASE_URL, which web, worker and beat connect as) owns nothing, may read and
write the rows of ordinary tables, may only read and append to the append-only records
(haidian_contest.records), and holds no TRUNCATE, TRIGGER or REFERENCES right and no CREATE on the
schema. Whoever takes the app's connection can then neither rewrite the ledger or the security log nor
drop, disable or replace the triggers that guard them: every one of those needs the owner.

`grant` (manage.py grant_app_role, run by the release step after migrate) sets exactly those rights on
every table and sequence, and default privileges so that a table a later migration creates is, until the
next grant, at most readable and appendable. `problems` is what check --deploy reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from haidian_contest.records import append_only_models, row_trigger, truncate_trigger

APPEND_ONLY_RIGHTS = "SELECT, INSERT"
ROW_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
# Which migrations ran is the owner's record: the app only reads it.
READ_ONLY_TABLES = frozenset({"django_migrations"})
# Rights on a table the app role must never hold (the owner holds them all implicitly).
FORBIDDEN_TABLE_RIGHTS = ("TRUNCATE", "TRIGGER", "REFERENCES")
_QUALIFIED = "(quote_ident(schemaname) || '.' || quote_ident(tablename))"


class RoleRefused(Exception):
    """The role cannot be made the app role (it does not exist, is a superuser or owns the tables)."""


def append_only_tables() -> set[str]:
    return {model._meta.db_table for model in append_only_models()}


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _role(cursor, role: str):
    cursor.execute("SELECT rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone()


def _owned_tables(cursor, role: str) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tableowner = %s ORDER BY tablename",
        [role],
    )
    return [row[0] for row in cursor.fetchall()]


def rights_of(table: str, append_only: set[str]) -> str:
    if table in READ_ONLY_TABLES:
        return "SELECT"
    return APPEND_ONLY_RIGHTS if table in append_only else ROW_RIGHTS


def grant(role: str) -> list[str]:
    """Give `role` exactly the app's rights on the current schema; returns the statements it ran.

    Run as the owner of the tables, in one transaction: revoke everything, then grant, so a re-run leaves
    exactly these rights whatever was granted before.
    """
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        flags = _role(cursor, role)
        if flags is None:
            raise RoleRefused(f"数据库角色 {role} 不存在：请先由 postgres 创建（README：Production mode）。")
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            raise RoleRefused(f"{role} 正是本次连接的角色（表的所有者）：应用角色须是另一个角色。")
        if flags[0] or flags[2]:
            raise RoleRefused(f"{role} 是超级用户或可绕过行级安全：应用角色不得有这些权限。")
        if owned := _owned_tables(cursor, role):
            raise RoleRefused(f"{role} 拥有数据表（{', '.join(owned[:5])}…）：应用角色不得是表的所有者。")
        cursor.execute("SELECT current_schema(), current_database()")
        schema, database = (q(name) for name in cursor.fetchone())
        grantee = q(role)
        append_only = append_only_tables()
        statements = [
            f"GRANT CONNECT ON DATABASE {database} TO {grantee}",
            f"REVOKE ALL ON SCHEMA {schema} FROM {grantee}",
            f"GRANT USAGE ON SCHEMA {schema} TO {grantee}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {grantee}",
            *(f"GRANT {rights_of(table, append_only)} ON {schema}.{q(table)} TO {grantee}" for table in _tables(cursor)),
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {grantee}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {grantee}",
            # A table a later migration creates: readable and appendable only, until the release step's grant.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {APPEND_ONLY_RIGHTS} ON TABLES TO {grantee}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {grantee}",
        ]
        for statement in statements:
            cursor.execute(statement)
    return statements


@dataclass(frozen=True)
class Problem:
    id: str
    message: str


def problems(role: str) -> list[Problem]:
    """What stands between `role` and the app role described above (empty: none). PostgreSQL only."""
    found = []
    with connection.cursor() as cursor:
        flags = _role(cursor, role)
        if flags is None:
            return [Problem("W001", f"The app's database role {role!r} does not exist.")]
        if flags[0] or flags[1] or flags[2]:
            found.append(Problem("W002", f"The app's database role {role!r} is a superuser or may create roles "
                                         "or bypass row security."))
        if owned := _owned_tables(cursor, role):
            found.append(Problem("W003", f"The app's database role {role!r} owns {len(owned)} tables (e.g. "
                                         f"{owned[0]}): it may truncate them and drop or disable their triggers."))
        cursor.execute("SELECT has_schema_privilege(%s, current_schema(), 'CREATE')", [role])
        if cursor.fetchone()[0]:
            found.append(Problem("W004", f"The app's database role {role!r} may CREATE in the schema "
                                         "(functions, tables)."))
        append_only = sorted(append_only_tables())
        cursor.execute(
            f"SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND ("
            f"has_table_privilege(%s, {_QUALIFIED}, %s) "
            f"OR (tablename = ANY(%s) AND has_table_privilege(%s, {_QUALIFIED}, 'UPDATE, DELETE'))) ORDER BY tablename",
            [role, ", ".join(FORBIDDEN_TABLE_RIGHTS), append_only, role],
        )
        forbidden = [row[0] for row in cursor.fetchall()]
        if forbidden and not owned:
            found.append(Problem("W005", f"The app's database role {role!r} may TRUNCATE, UPDATE or DELETE "
                                         f"where it must not ({', '.join(forbidden[:5])})."))
        cursor.execute(
            f"SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(%s) "
            f"AND (SELECT count(*) FROM pg_trigger WHERE tgrelid = {_QUALIFIED}::regclass AND tgenabled <> 'D' "
            f"AND tgname IN (tablename || %s, tablename || %s)) < 2 ORDER BY tablename",
            [append_only, row_trigger(""), truncate_trigger("")],
        )
        if unguarded := [row[0] for row in cursor.fetchall()]:
            found.append(Problem("W006", f"Append-only tables without their triggers: {', '.join(unguarded)}."))
    return found

