# The append-only tables protected before ProtectAppendOnly refused TRUNCATE too (issue 25).

from django.db import migrations

from haidian_contest.records import RefuseTruncate


class Migration(migrations.Migration):

    dependencies = [
        ("funding", "0003_append_only_triggers"),
    ]

    operations = [
        RefuseTruncate("Agreement"),
        RefuseTruncate("AgreementLine"),
        RefuseTruncate("Tranche"),
        RefuseTruncate("LedgerEntry"),
    ]
