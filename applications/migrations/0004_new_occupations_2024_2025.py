"""Once loaded the MOHRSS new occupations of 2024 and 2025; they now ship as
applications/data/occupations-new-2024-2025.csv and 0006_occupation_catalogue loads them with the
2022 list, so this step is kept empty for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_attachment_keep_removed")]
    operations = []
