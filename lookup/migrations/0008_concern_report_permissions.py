from django.contrib.auth.management import create_permissions
from django.db import migrations

# Reports from the public are read and followed up by these two groups only.
GROUPS = ("Market supervision editors", "Administrators")
CODENAMES = ("view_concernreport", "change_concernreport")


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations have run; make lookup's now.
    app_config = apps.get_app_config("lookup")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="lookup", codename__in=CODENAMES
    )
    for name in GROUPS:
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="lookup", codename__in=CODENAMES
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("lookup", "0007_concern_reports"),
        ("security", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
