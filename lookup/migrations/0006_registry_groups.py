from django.contrib.auth.management import create_permissions
from django.db import migrations

from lookup.permissions import ensure_registry_groups


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations have run; make lookup's now.
    app_config = apps.get_app_config("lookup")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ensure_registry_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("lookup", "0005_load_regions"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
