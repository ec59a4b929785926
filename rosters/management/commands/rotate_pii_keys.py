"""Rotate the personal-information keys: re-encrypt under a new PII_ENCRYPTION_KEYS key, or re-hash under a
new ID_HASH_KEY. Batches of BATCH rows, each batch one transaction; an interrupted run is simply run again
(the encryption pass skips what is already under the first key; the hash pass recomputes every hash from
the decrypted number, so it never depends on what an earlier run left).

Encryption key:  PII_ENCRYPTION_KEYS=new,old  manage.py rotate_pii_keys --encryption   (then drop old)
Hash key:        stop the app, set the new ID_HASH_KEY, manage.py rotate_pii_keys --hash, start the app.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from haidian_contest import crypto
from haidian_contest.rules.people import normalize_id
from rosters.identity import hasher
from rosters.models import FirstPrizeRecord, Participant, RosterVersion

BATCH = 2000


def _batches(queryset):
    """Primary-key windows, so each batch is its own short transaction and rows are never read twice."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return
        yield ids
        last = ids[-1]


def reencrypt_rows() -> int:
    ring = crypto.keyring()
    changed = 0
    for model, fields in ((Participant, ("personal_encrypted",)),
                          (FirstPrizeRecord, ("id_number_encrypted",))):
        for ids in _batches(model.objects.all()):
            with transaction.atomic():
                rows = list(model.objects.select_for_update().filter(pk__in=ids).only("pk", *fields))
                stale = [r for r in rows if not all(ring.is_current(getattr(r, f)) for f in fields)]
                for row in stale:
                    for field in fields:
                        setattr(row, field, ring.rotate(getattr(row, field)))
                model.objects.bulk_update(stale, fields)
                changed += len(stale)
    return changed


def reencrypt_files() -> int:
    changed = 0
    for version in RosterVersion.objects.only("pk", "file", "error_file").iterator(chunk_size=BATCH):
        for field in (version.file, version.error_file):
            if field and field.storage.exists(field.name) and field.storage.rotate(field.name):
                changed += 1
    return changed


def unrecoverable_records() -> int:
    """First-prize records entered before numbers were kept encrypted, of people on no roster: their
    hash cannot be recomputed."""
    return FirstPrizeRecord.objects.filter(id_number_encrypted="").count()


def rehash() -> int:
    hash_of = hasher()
    changed = 0
    numbers = {
        Participant: ("personal_encrypted", lambda token: Participant.unseal(token)[0]),
        FirstPrizeRecord: ("id_number_encrypted", crypto.decrypt),
    }
    for model, (field, number_of) in numbers.items():
        for ids in _batches(model.objects.exclude(**{field: ""})):
            with transaction.atomic():
                rows = list(model.objects.select_for_update().filter(pk__in=ids).only("pk", "id_hash", field))
                stale = []
                for row in rows:
                    new = hash_of(normalize_id(number_of(getattr(row, field))))
                    if new != row.id_hash:
                        row.id_hash = new
                        stale.append(row)
                model.objects.bulk_update(stale, ["id_hash"])
                changed += len(stale)
    return changed


class Command(BaseCommand):
    help = "轮换个人信息密钥：--encryption 用 PII_ENCRYPTION_KEYS 的第一个密钥重新加密；--hash 用当前 ID_HASH_KEY 重算摘要。"

    def add_arguments(self, parser):
        parser.add_argument("--encryption", action="store_true", help="重新加密数据库中的身份证号、手机号和名单文件")
        parser.add_argument("--hash", action="store_true", help="按当前 ID_HASH_KEY 重算全部身份证号摘要（须先停止应用）")

    def handle(self, *args, encryption=False, hash=False, **options):
        if not (encryption or hash):
            raise CommandError("请指定 --encryption 或 --hash（或两者）。")
        if encryption:
            rows = reencrypt_rows()
            files = reencrypt_files()
            self.stdout.write(f"已重新加密 {rows} 行、{files} 个文件（当前密钥编号 {crypto.keyring().primary_id}）。")
        if hash:
            missing = unrecoverable_records()
            if missing:
                raise CommandError(
                    f"一等奖名录中有 {missing} 条记录没有加密保存的身份证号（启用加密前导入，且不在任何名单中），"
                    "无法按新密钥重算摘要。请先删除这些记录并在轮换后重新导入历年一等奖名录，再运行本命令。"
                )
            changed = rehash()
            self.stdout.write(f"已按新的 ID_HASH_KEY 重算 {changed} 条身份证号摘要。")
