"""Upgrading a database that holds clear-text ID numbers: rosters 0005–0007 encrypt the rows and the
workbooks on disk and drop the clear-text columns; going back restores them."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from haidian_contest import crypto

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("rosters", "0004_full_id_view_keeps_targets")]
NUMBER, PHONE = "11010819900307123X", "13912345678"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "rosters"]


def test_existing_clear_text_rows_and_files_are_encrypted_and_the_column_dropped(settings, tmp_path, organizer):
    from tests.lifecycle import submitted_application

    settings.MEDIA_ROOT = str(tmp_path)
    application = submitted_application(organizer, "A")
    apps = migrate(BEFORE)
    Version = apps.get_model("rosters", "RosterVersion")
    Participant = apps.get_model("rosters", "Participant")
    (tmp_path / "rosters").mkdir()
    (tmp_path / "rosters" / "v1_名单.xlsx").write_bytes(b"PK clear workbook " + NUMBER.encode())
    version = Version.objects.create(application_id=application.pk, kind="roster", number=1, file="rosters/v1_名单.xlsx",
                                     original_name="名单.xlsx", uploaded_by_id=organizer.pk, status="accepted")
    trade = application.trades.first()
    Participant.objects.create(version_id=version.pk, application_id=application.pk, cycle=2026, trade_id=trade.pk,
                               trade_code="x", row_number=2, name="张三", id_hash="h", id_masked="110108********123X",
                               id_number=NUMBER, phone=PHONE, phone_masked="139****5678", employer="单位",
                               is_member=True)
    migrate(latest())

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM rosters_participant")
        raw = repr(cursor.fetchall())
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "rosters_participant")]
    assert NUMBER not in raw and PHONE not in raw and "id_number" not in columns and "phone" not in columns
    from rosters.models import Participant as Current, RosterVersion

    person = Current.objects.get()
    assert (person.id_number, person.phone) == (NUMBER, PHONE)
    on_disk = (tmp_path / "rosters" / "v1_名单.xlsx").read_bytes()
    assert crypto.is_encrypted_file(on_disk) and NUMBER.encode() not in on_disk
    assert RosterVersion.objects.get().file.open("rb").read() == b"PK clear workbook " + NUMBER.encode()

    back = migrate(BEFORE)  # reversible
    assert back.get_model("rosters", "Participant").objects.get().id_number == NUMBER
    assert Path(tmp_path / "rosters" / "v1_名单.xlsx").read_bytes().startswith(b"PK clear")
    migrate(latest())
