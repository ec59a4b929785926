from django.db import migrations


def load(apps, schema_editor):
    from haidian_contest.demo_data import OCCUPATIONS

    Occupation = apps.get_model("applications", "Occupation")
    for code, name, major, medium, minor, marks in OCCUPATIONS:
        Occupation.objects.get_or_create(
            code=code, defaults={"name": name, "major": major, "medium": medium, "minor": minor, "marks": marks}
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
