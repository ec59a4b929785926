# The append-only tables protected before ProtectAppendOnly refused TRUNCATE too (issue 25).

from django.db import migrations

from haidian_contest.records import RefuseTruncate


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0003_approval_notice"),
    ]

    operations = [
        RefuseTruncate("WaiverDecision"),
        RefuseTruncate("CollectiveDecision"),
        RefuseTruncate("ApprovalNotice"),
    ]
