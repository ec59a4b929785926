"""The whole shipped catalogue: the 2022 classification (public-comment draft, 1,636 occupations) and
the 2024/2025 new occupations, from applications/data/, so a fresh database always has the full list."""

from django.db import migrations


def load(apps, schema_editor):
    from applications.catalogue import load_shipped

    load_shipped(apps.get_model("applications", "Occupation"))


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_application_list_order")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
