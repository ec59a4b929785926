"""Writing an accepted version: bulk inserts in the caller's transaction, never a query per row."""

import sqlite3
from itertools import islice

from django.db import connection
from django.utils import timezone

from haidian_contest import crypto, rules

from .models import PERSONAL_SEPARATOR as SEPARATOR
from .models import Participant, RosterVersion, Winner

BATCH = 2000
Status = RosterVersion.Status

PARTICIPANT_FIELDS = (
    "version_id", "application_id", "cycle", "trade_id", "trade_code", "row_number", "name", "id_hash",
    "id_masked", "id_type", "personal_encrypted", "phone_masked", "employer", "is_member", "is_current",
)


def _batches(iterable, size=BATCH):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def bulk_insert(model, fields, rows) -> int:
    """INSERT many rows given as tuples in ``fields`` order, inside the caller's transaction.

    A 100,000-row roster through Model() and bulk_create spends most of its time building model
    instances, and Django's cursor wrapper rewrites every placeholder of every statement; the rows
    here are validated already, so they go to the driver as tuples: COPY on PostgreSQL, multi-row
    INSERT statements on SQLite (the same connection, so the same transaction).
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    count = 0
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    if connection.vendor != "sqlite":
        for batch in _batches(rows):
            model.objects.bulk_create([model(**dict(zip(fields, row))) for row in batch])
            count += len(batch)
        return count
    raw = connection.connection
    # The default 2 MB page cache makes index inserts hit the disk long before 100,000 rows.
    raw.execute("PRAGMA cache_size = -131072")
    per_statement = max(1, min(BATCH // 2, _sqlite_max_variables(raw) // len(fields)))
    one = "(" + ", ".join(["?"] * len(fields)) + ")"
    full_sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * per_statement)
    for batch in _batches(rows, per_statement):
        sql = full_sql if len(batch) == per_statement else (
            f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one] * len(batch)))
        raw.execute(sql, [value for row in batch for value in row])
        count += len(batch)
    return count


def _sqlite_max_variables(raw) -> int:
    try:
        return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python < 3.11
        return 999


def _participant_rows(version, people):
    application = version.application
    mask_id, mask_phone = rules.mask_id_number, rules.mask_phone
    encrypt = crypto.keyring().encrypter()  # the full numbers never reach the database in clear
    base = (version.pk, application.pk, application.cycle)
    for p in people:
        yield base + (
            p.trade_id, p.trade_code, p.row, p.name, p.id_hash, mask_id(p.id_number), p.id_type,
            encrypt(f"{p.id_number}{SEPARATOR}{p.phone}"), mask_phone(p.phone) if p.phone else "", p.employer,
            p.is_member, True,
        )


def _accept(version: RosterVersion, **extra) -> None:
    RosterVersion.objects.filter(application=version.application, kind=version.kind, is_current=True).update(
        is_current=False
    )
    version.status = Status.ACCEPTED
    version.is_current = True
    version.progress = 100
    version.finished_at = timezone.now()
    version.errors, version.error_count, version.pending_waivers = [], 0, []
    for name, value in extra.items():
        setattr(version, name, value)
    version.save()


def store_people(version: RosterVersion, people, *, plan_waivers=()) -> None:
    application = version.application
    previous = RosterVersion.objects.filter(application=application, kind=version.kind, is_current=True).first()
    Participant.objects.filter(application=application, is_current=True).update(is_current=False)
    bulk_insert(Participant, PARTICIPANT_FIELDS, _participant_rows(version, people))
    _relink_winners(application, version)
    _accept(version, row_count=len(people),
            count_justifications=previous.count_justifications if previous else {}, plan_waivers=list(plan_waivers))


def _relink_winners(application, version) -> None:
    """Winners point at the person's row in the roster now in force (checked present beforehand)."""
    winners = list(Winner.objects.filter(application=application, is_current=True)
                   .select_related("participant").only("id", "participant__id_hash"))
    if not winners:
        return
    new_rows = dict(Participant.objects.filter(version=version, id_hash__in=[w.participant.id_hash for w in winners])
                    .values_list("id_hash", "pk"))
    for winner in winners:
        winner.participant_id = new_rows[winner.participant.id_hash]
    Winner.objects.bulk_update(winners, ["participant"], batch_size=BATCH)


def store_winners(version: RosterVersion, winners, *, plan_waivers=()) -> None:
    application = version.application
    Winner.objects.filter(application=application, is_current=True).update(is_current=False)
    Winner.objects.bulk_create(
        [
            Winner(version=version, application=application, participant_id=w.participant_id, trade_id=w.trade_id,
                   row_number=w.row, rank=w.rank, amount=w.amount, note=w.note, waiver_reason=w.waiver_reason)
            for w in winners
        ],
        batch_size=BATCH,
    )
    _accept(version, row_count=len(winners), plan_waivers=list(plan_waivers))
