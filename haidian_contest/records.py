"""Append-only records: the ledger, the workflow trail, decisions and the security log.

Such a record is written once and never changed or removed; a mistake is answered by a new row
(a reversal, a superseding agreement, a changed decision). Two layers hold that:

- in the ORM, `AppendOnlyModel` refuses ``save()`` of an existing row and ``delete()``, and its
  queryset refuses ``update()``, ``delete()`` and ``bulk_update()``, so a careless caller (a shell,
  a future view, the admin) gets a clear error;
- on PostgreSQL, `ProtectAppendOnly` (a migration operation) installs a row trigger that refuses
  UPDATE and DELETE, so raw SQL and cascades cannot rewrite the record either. TRUNCATE is left
  alone: it is what Django's test flush uses, and no request path issues it.
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


class ProtectAppendOnly(Operation):
    """Migration operation: on PostgreSQL, a trigger refusing UPDATE and DELETE on the model's table.

    Other databases (SQLite in development and most tests) rely on the ORM layer alone.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}

    def state_forwards(self, app_label, state):
        pass

    def _table(self, app_label, to_state):
        return to_state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
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
        quoted = schema_editor.quote_name(table)
        trigger = schema_editor.quote_name(f"{table}_append_only")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {quoted}")
        schema_editor.execute(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {quoted} "
            f"FOR EACH ROW EXECUTE FUNCTION {REFUSE_FUNCTION}()"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {schema_editor.quote_name(table + '_append_only')} "
            f"ON {schema_editor.quote_name(table)}"
        )

    def describe(self):
        return f"Refuse UPDATE/DELETE on {self.model_name} (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self):
        return f"protect_{self.model_name.lower()}"
