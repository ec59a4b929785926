# The append-only tables protected before ProtectAppendOnly refused TRUNCATE too (issue 25).

from django.db import migrations

from haidian_contest.records import RefuseTruncate


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0010_merge_ledger_index_and_targets"),
    ]

    operations = [
        RefuseTruncate("ApplicationVersion"),
        RefuseTruncate("StatusChange"),
        RefuseTruncate("ExpectedResults"),
    ]
