"""Once loaded the scenario's ten occupations; 0006_occupation_catalogue now loads the whole shipped
catalogue (which holds them), so this step is kept empty for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = []
