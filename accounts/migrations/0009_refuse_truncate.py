# The append-only tables protected before ProtectAppendOnly refused TRUNCATE too (issue 25).

from django.db import migrations

from haidian_contest.records import RefuseTruncate


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_append_only_triggers"),
    ]

    operations = [
        RefuseTruncate("SecurityEvent"),
    ]
