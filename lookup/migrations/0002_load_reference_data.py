from django.db import migrations

from lookup.reference_data import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("lookup", "ProductGroup"),
        apps.get_model("lookup", "ProductCategory"),
        apps.get_model("lookup", "CertificationBody"),
    )


class Migration(migrations.Migration):
    dependencies = [("lookup", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
