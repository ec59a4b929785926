"""Participants imported before 0009 were all recorded as 居民身份证, but the old check let two other
cards through by their first two digits: 港澳台居民居住证 (810000, 820000) and the 2023 外国人永久居留身份证
('9' and a province code read as “91”). Their numbers were validated when imported, so the first six
characters, kept in clear in the mask, say which card they are: no number is decrypted.
"""

from django.db import migrations
from django.db.models import Q

BATCH = 2000


def _type_of(first6: str) -> str | None:
    from haidian_contest.rules.id_numbers import (
        FOREIGN_PR,
        HMT_ADDRESS_CODES,
        HMT_PERMIT,
        MAINLAND_PROVINCES,
        NATIONALITY_NUMERIC,
    )

    if first6 in HMT_ADDRESS_CODES:
        return HMT_PERMIT
    if first6[:1] == "9" and first6[1:3].isdigit() and int(first6[1:3]) in MAINLAND_PROVINCES \
            and first6[3:6] in NATIONALITY_NUMERIC:
        return FOREIGN_PR
    return None


def set_types(apps, schema_editor):
    Participant = apps.get_model("rosters", "Participant")
    candidates = Participant.objects.filter(
        Q(id_masked__startswith="8") | Q(id_masked__startswith="9"), id_type="resident_card"
    ).order_by("pk").values_list("pk", "id_masked")
    by_type: dict[str, list[int]] = {}
    for pk, masked in candidates.iterator(chunk_size=BATCH):
        kind = _type_of(masked[:6])
        if kind:
            by_type.setdefault(kind, []).append(pk)
    for kind, pks in by_type.items():
        for start in range(0, len(pks), BATCH):
            Participant.objects.filter(pk__in=pks[start:start + BATCH]).update(id_type=kind)


class Migration(migrations.Migration):

    dependencies = [
        ("rosters", "0009_participant_id_type"),
    ]

    operations = [
        migrations.RunPython(set_types, migrations.RunPython.noop),
    ]
