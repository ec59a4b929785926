# The append-only tables protected before ProtectAppendOnly refused TRUNCATE too (issue 25).

from django.db import migrations

from haidian_contest.records import RefuseTruncate


class Migration(migrations.Migration):

    dependencies = [
        ("performance", "0004_merge_survey_and_self_evaluation"),
    ]

    operations = [
        RefuseTruncate("AuditDecision"),
        RefuseTruncate("ScoreAdjustment"),
    ]
