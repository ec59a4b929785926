"""Encrypts the clear-text ID and phone numbers already stored, and the roster workbooks already on disk.

Batched; safe to run again (rows already encrypted are skipped, files are recognised by their header).
Reverse: decrypts into the clear-text columns (re-added by reversing 0005) and decrypts the files.
Uses the keys in settings at the time it runs (PII_ENCRYPTION_KEYS).
"""

import os

from django.conf import settings
from django.db import migrations

BATCH = 2000
SEPARATOR = "\n"  # as rosters.models.PERSONAL_SEPARATOR: ID and phone are encrypted as one value


def _keyring():
    from haidian_contest import crypto

    return crypto.keyring()


def _version_files(RosterVersion):
    for file, error_file in RosterVersion.objects.values_list("file", "error_file").iterator(chunk_size=BATCH):
        for name in (file, error_file):
            if name:
                path = os.path.join(settings.MEDIA_ROOT, name)
                if os.path.isfile(path):
                    yield path


def encrypt(apps, schema_editor):
    from haidian_contest import crypto
    from haidian_contest.private_files import replace_file

    ring = _keyring()
    Participant = apps.get_model("rosters", "Participant")
    pending = Participant.objects.filter(personal_encrypted="").exclude(id_number="").order_by("pk")
    while batch := list(pending.only("pk", "id_number", "phone")[:BATCH]):
        for p in batch:
            p.personal_encrypted = ring.encrypt(f"{p.id_number}{SEPARATOR}{p.phone}")
            p.id_number, p.phone = "", ""
        Participant.objects.bulk_update(batch, ["personal_encrypted", "id_number", "phone"])
    # The register gets the encrypted number where a roster row of the same person has it, so that a
    # rotation of ID_HASH_KEY can re-hash these records too.
    FirstPrizeRecord = apps.get_model("rosters", "FirstPrizeRecord")
    for record in FirstPrizeRecord.objects.filter(id_number_encrypted="").iterator(chunk_size=BATCH):
        token = (Participant.objects.filter(id_hash=record.id_hash).exclude(personal_encrypted="")
                 .values_list("personal_encrypted", flat=True).first())
        if token:
            number = ring.decrypt(token).partition(SEPARATOR)[0]
            FirstPrizeRecord.objects.filter(pk=record.pk).update(id_number_encrypted=ring.encrypt(number))
    for path in _version_files(apps.get_model("rosters", "RosterVersion")):
        with open(path, "rb") as handle:
            data = handle.read()
        if not crypto.is_encrypted_file(data):
            replace_file(path, ring.encrypt_bytes(data))


def decrypt(apps, schema_editor):
    from haidian_contest import crypto
    from haidian_contest.private_files import replace_file

    ring = _keyring()
    Participant = apps.get_model("rosters", "Participant")
    pending = Participant.objects.filter(id_number="").exclude(personal_encrypted="").order_by("pk")
    while batch := list(pending.only("pk", "personal_encrypted")[:BATCH]):
        for p in batch:
            p.id_number, _, p.phone = ring.decrypt(p.personal_encrypted).partition(SEPARATOR)
            p.personal_encrypted = ""
        Participant.objects.bulk_update(batch, ["personal_encrypted", "id_number", "phone"])
    for path in _version_files(apps.get_model("rosters", "RosterVersion")):
        with open(path, "rb") as handle:
            data = handle.read()
        if crypto.is_encrypted_file(data):
            replace_file(path, ring.decrypt_bytes(data))


class Migration(migrations.Migration):

    dependencies = [
        ('rosters', '0005_encrypted_personal_data'),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
