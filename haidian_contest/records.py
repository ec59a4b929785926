"""Append-only records: the ledger, the workflow trail, decisions and the security log.

Such a record is written once and never changed or removed; a mistake is answered by a new row
(a reversal, a superseding agreement, a changed decision). Two layers hold that:

- in the ORM, `AppendOnlyModel` refuses ``save()`` of an existing row and ``delete()``, and its
  queryset refuses ``update()``, ``delete()`` and ``bulk_update()``, so a careless caller (a shell,
  a future view, the admin) gets a clear error;
- on PostgreSQL, `ProtectAppendOnly` (a migration operation) installs a row trigger that refuses
  UPDATE and DELETE and a statement trigger that refuses TRUNCATE (which row triggers never see),
  so raw SQL, cascades and a `TRUNCATE … CASCADE` from another table cannot rewrite the record either;
- on PostgreSQL in production, the app connects as a role that may only SELECT and INSERT these
  tables and owns nothing, so it can neither drop nor disable the triggers
  (`manage.py grant_app_role`, README: Production mode). Only the owner of the tables, used by the
  release step alone, could.
"""

from django.db import models
from django.db.migrations.operations.base import Operation

REFUSE_FUNCTION = "haidian_refuse_record_change"


class ImmutableRecord(Exception):
    """Raised when code tries to change or remove an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord(f"{self.model._meta.verbose_name}不可修改。")

    def delete(self):
        raise ImmutableRecord(f"{self.model._meta.verbose_name}不可删除。")

    # bulk_update is update() in disguise.
    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecord(f"{self.model._meta.verbose_name}不可修改。")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(f"{self._meta.verbose_name}已记录，不可修改；如有错误请登记更正或冲销记录。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"{self._meta.verbose_name}不可删除。")


def row_trigger(table: str) -> str:
    return f"{table}_append_only"


def truncate_trigger(table: str) -> str:
    return f"{table}_no_truncate"


def append_only_models():
    """Every installed model whose rows are written once (the tables the app role may only append to)."""
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, AppendOnlyModel)]


def _install_refuse_function(schema_editor):
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% on %: append-only record (只可追加，不可修改或删除)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        params=None,  # no interpolation: the message's % are PL/pgSQL's placeholders
    )


def _install_truncate_trigger(schema_editor, table: str):
    quoted = schema_editor.quote_name(table)
    trigger = schema_editor.quote_name(truncate_trigger(table))
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quoted}")
    schema_editor.execute(
        f"CREATE TRIGGER {trigger} BEFORE TRUNCATE ON {quoted} FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE_FUNCTION}()"
    )


def _drop_trigger(schema_editor, table: str, trigger: str):
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {schema_editor.quote_name(trigger)} ON {schema_editor.quote_name(table)}")


class _TableOperation(Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, state):
        return state.apps.get_model(app_label, self.model_name)._meta.db_table


class ProtectAppendOnly(_TableOperation):
    """Migration operation: on PostgreSQL, triggers refusing UPDATE, DELETE and TRUNCATE on the model's table.

    Other databases (SQLite in development and most tests) rely on the ORM layer alone.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        _install_refuse_function(schema_editor)
        quoted = schema_editor.quote_name(table)
        trigger = schema_editor.quote_name(row_trigger(table))
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quoted}")
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {quoted} "
            f"FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()"
        )
        _install_truncate_trigger(schema_editor, table)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        _drop_trigger(schema_editor, table, truncate_trigger(table))
        _drop_trigger(schema_editor, table, row_trigger(table))

    def describe(self):
        return f"Refuse UPDATE/DELETE/TRUNCATE on {self.model_name} (PostgreSQL triggers)"

    @property
    def migration_name_fragment(self):
        return f"protect_{self.model_name.lower()}"


class RefuseTruncate(_TableOperation):
    """Migration operation: the TRUNCATE trigger alone, for tables protected before ProtectAppendOnly added it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        _install_refuse_function(schema_editor)
        _install_truncate_trigger(schema_editor, self._table(app_label, to_state))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        _drop_trigger(schema_editor, table, truncate_trigger(table))

    def describe(self):
        return f"Refuse TRUNCATE on {self.model_name} (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self):
        return f"refuse_truncate_{self.model_name.lower()}"
