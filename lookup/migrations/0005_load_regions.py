from django.db import migrations

from lookup.regions import load_regions


def load(apps, schema_editor):
    load_regions(apps.get_model("lookup", "Region"))


class Migration(migrations.Migration):
    dependencies = [("lookup", "0004_accounts_and_imports")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
