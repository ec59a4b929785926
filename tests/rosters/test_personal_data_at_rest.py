"""PIPL art. 51: ID and phone numbers encrypted in the database, roster files encrypted on disk, every
release of full numbers (reveal, full export, original file, annotated copy) a security event, files named
by the system, and no file left behind by a rolled-back upload."""

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from openpyxl import load_workbook

from accounts.models import SecurityEvent
from haidian_contest import crypto
from rosters import services
from rosters.identity import id_hash
from rosters.models import FirstPrizeRecord, FullIdView, Participant, RosterVersion
from tests.rosters.stages import (
    make_roster_rows, run_pending, upload_file, upload_roster, workbook_bytes, wrong_check_digit,
)

pytestmark = pytest.mark.django_db
KEY_A, KEY_B = crypto.generate_key(), crypto.generate_key()


@pytest.fixture
def roster(project, organizer):
    rows = make_roster_rows(project, 12)
    upload_roster(project, organizer, rows)
    return rows


@pytest.fixture
def refused(project, organizer):
    """A roster refused for one bad check digit: its annotated copy holds every ID of the file."""
    rows = make_roster_rows(project, 6)
    rows[2]["id_number"] = wrong_check_digit(rows[2]["id_number"])
    version = upload_roster(project, organizer, rows)
    assert version.status == RosterVersion.Status.FAILED and version.error_file
    return version, rows


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "rosters"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def raw_participant_rows(project) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Participant._meta.db_table} WHERE application_id = %s", [project.pk])
        return repr(cursor.fetchall())


def test_the_database_holds_no_full_id_or_phone_number_in_clear(project, roster):
    raw = raw_participant_rows(project)
    for row in roster:
        assert row["id_number"] not in raw
        assert row["phone"] not in raw
    participant = Participant.objects.get(application=project, row_number=2)
    assert participant.id_number == roster[0]["id_number"] and participant.phone == roster[0]["phone"]


def test_matching_still_works_by_keyed_hash(project, roster):
    assert Participant.objects.filter(application=project, id_hash=id_hash(roster[3]["id_number"])).count() == 1


def test_the_uploaded_workbook_is_stored_encrypted(settings, project, organizer):
    rows = make_roster_rows(project, 5)
    content = workbook_bytes(rows)
    version = run_pending(
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(content), kind=RosterVersion.Kind.ROSTER
        )
    )
    assert version.status == RosterVersion.Status.ACCEPTED
    on_disk = Path(version.file.path).read_bytes()
    assert crypto.is_encrypted_file(on_disk)
    assert not zipfile.is_zipfile(BytesIO(on_disk)) and content not in on_disk
    with version.file.open("rb") as handle:
        assert handle.read() == content


def test_the_annotated_error_copy_is_stored_encrypted(refused):
    version, rows = refused
    on_disk = Path(version.error_file.path).read_bytes()
    assert crypto.is_encrypted_file(on_disk) and not zipfile.is_zipfile(BytesIO(on_disk))
    ws = load_workbook(BytesIO(version.error_file.read())).worksheets[0]
    assert rows[0]["id_number"] in [c.value for c in ws[2]]


def test_no_plain_copy_of_the_workbook_is_left_after_the_import(settings, project, organizer, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    upload_roster(project, organizer, make_roster_rows(project, 5))
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("which", ["original", "errors"])
def test_downloading_a_roster_file_is_a_logged_full_id_release(client, refused, reviewer, which):
    version, rows = refused
    client.force_login(reviewer)
    url = f"/rosters/project/{version.application_id}/versions/{version.pk}/file/{which}/"
    response = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert zipfile.is_zipfile(BytesIO(body))  # the decrypted workbook, not the ciphertext
    event = SecurityEvent.objects.get(kind="full_id_view")
    assert (event.user, event.ip_address, event.path) == (reviewer, "10.1.2.3", url)
    assert version.original_name in event.detail
    assert FullIdView.objects.filter(user=reviewer, version=version).exists()


def test_revealing_and_exporting_full_numbers_log_ip_and_path(client, project, roster, reviewer):
    participant = Participant.objects.get(application=project, row_number=2)
    client.force_login(reviewer)
    reveal = f"/rosters/project/{project.pk}/participants/{participant.pk}/full-id/"
    assert roster[0]["id_number"] in client.post(reveal, REMOTE_ADDR="10.9.8.7").content.decode()
    export = f"/rosters/project/{project.pk}/export/roster/"
    assert client.get(export, {"full": "1"}, REMOTE_ADDR="10.9.8.7").status_code == 200
    events = {e.kind: e for e in SecurityEvent.objects.filter(user=reviewer)}
    assert (events["full_id_view"].ip_address, events["full_id_view"].path) == ("10.9.8.7", reveal)
    assert (events["export"].ip_address, events["export"].path) == ("10.9.8.7", export)


def test_stored_file_names_never_contain_the_uploaders_name(project, organizer):
    rows = make_roster_rows(project, 3)
    version = services.start_import(
        application=project,
        actor=organizer,
        uploaded_file=upload_file(workbook_bytes(rows), "../../x/名单 v1.xlsx"),
        kind=RosterVersion.Kind.ROSTER,
    )
    assert version.original_name == "名单 v1.xlsx"
    folder, _, stored = version.file.name.rpartition("/")
    assert folder == f"rosters/{project.pk}/roster" and len(stored) == len("0" * 32 + ".xlsx")
    assert stored.endswith(".xlsx") and ".." not in version.file.name and "名单" not in version.file.name


def test_an_upload_whose_service_fails_after_saving_leaves_no_file(settings, project, organizer, monkeypatch):
    def broken_queue(version_id):
        raise RuntimeError("broker refused")

    monkeypatch.setattr(services, "_enqueue", broken_queue)
    with pytest.raises(RuntimeError):
        services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 3))),
            kind=RosterVersion.Kind.ROSTER,
        )
    assert media_files(settings) == []
    assert not RosterVersion.objects.exists()


def test_a_rolled_back_outer_transaction_also_removes_the_file(settings, project, organizer):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 3))),
            kind=RosterVersion.Kind.ROSTER,
        )
        assert len(media_files(settings)) == 1
        raise RuntimeError("later step failed")
    assert media_files(settings) == []


def test_a_committed_upload_keeps_its_file(settings, project, organizer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.start_import(
            application=project,
            actor=organizer,
            uploaded_file=upload_file(workbook_bytes(make_roster_rows(project, 3))),
            kind=RosterVersion.Kind.ROSTER,
        )
    assert Path(version.file.path).exists()


def test_rotating_the_encryption_key_reencrypts_rows_and_files(settings, project, organizer, refused):
    old_keys = list(settings.PII_ENCRYPTION_KEYS)  # what the roster below and the refused one were stored under
    rows = make_roster_rows(project, 8)
    version = upload_roster(project, organizer, rows)
    old_file = Path(version.file.path).read_bytes()
    FirstPrizeRecord.objects.create(id_hash=id_hash(rows[0]["id_number"]), id_masked="x", name="往届", trade_code="t",
                                    cycle=2024, source="import", id_number_encrypted=crypto.encrypt(rows[0]["id_number"]))
    old_id = crypto.keyring().primary_id

    settings.PII_ENCRYPTION_KEYS = [KEY_B, *old_keys]  # new key first; the old one still decrypts
    person = Participant.objects.get(version=version, row_number=2)
    assert person.id_number == rows[0]["id_number"]  # before the rotation: read with the old key
    call_command("rotate_pii_keys", "--encryption")
    call_command("rotate_pii_keys", "--encryption")  # idempotent: a second (or resumed) run is harmless

    settings.PII_ENCRYPTION_KEYS = [KEY_B]  # old key gone
    person.refresh_from_db()
    assert not person.personal_encrypted.startswith(old_id)
    assert person.id_number == rows[0]["id_number"] and person.phone == rows[0]["phone"]
    assert crypto.decrypt(FirstPrizeRecord.objects.get(trade_code="t").id_number_encrypted) == rows[0]["id_number"]
    version.refresh_from_db()
    assert Path(version.file.path).read_bytes() != old_file
    ws = load_workbook(BytesIO(version.file.open("rb").read())).worksheets[0]
    assert rows[0]["id_number"] in [c.value for c in ws[2]]
    refused_version, _ = refused
    assert load_workbook(BytesIO(refused_version.error_file.open("rb").read()))  # the error copy too


def test_without_the_old_key_old_values_do_not_decrypt(settings, project, organizer):
    settings.PII_ENCRYPTION_KEYS = [KEY_A]
    version = upload_roster(project, organizer, make_roster_rows(project, 3))
    settings.PII_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError):
        Participant.objects.get(version=version, row_number=2).id_number


def test_rotating_the_hash_key_rehashes_every_row(settings, project, organizer):
    rows = make_roster_rows(project, 6)
    upload_roster(project, organizer, rows)
    FirstPrizeRecord.objects.create(id_hash=id_hash(rows[1]["id_number"]), id_masked="x", name="往届", trade_code="t",
                                    cycle=2024, source="import", id_number_encrypted=crypto.encrypt(rows[1]["id_number"]))
    settings.ID_HASH_KEY = "a-new-id-hash-key-0123456789"
    assert not Participant.objects.filter(id_hash=id_hash(rows[0]["id_number"])).exists()
    call_command("rotate_pii_keys", "--hash")
    assert Participant.objects.filter(id_hash=id_hash(rows[0]["id_number"])).count() == 1
    assert FirstPrizeRecord.objects.get(trade_code="t").id_hash == id_hash(rows[1]["id_number"])


def test_hash_rotation_refuses_while_a_register_record_cannot_be_rehashed(settings):
    from django.core.management.base import CommandError

    FirstPrizeRecord.objects.create(id_hash="0" * 64, id_masked="x", name="往届", trade_code="t", cycle=2020,
                                    source="import")
    with pytest.raises(CommandError, match="无法按新密钥重算"):
        call_command("rotate_pii_keys", "--hash")


def test_importing_the_first_prize_register_keeps_the_number_encrypted(reviewer):
    from tests.rosters.stages import first_prize_workbook, make_id

    number = make_id(4242)
    rows = [{"name": "李四", "id_number": number, "trade": "4-04-05-05", "trade_name": "人工智能训练师",
             "year": 2024}]
    created, problems = services.import_first_prizes(
        actor=reviewer, uploaded_file=upload_file(first_prize_workbook(rows), "名录.xlsx")
    )
    assert created == 1 and not problems
    record = FirstPrizeRecord.objects.get()
    assert number not in record.id_number_encrypted and crypto.decrypt(record.id_number_encrypted) == number
