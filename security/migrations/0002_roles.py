from django.contrib.auth.management import create_permissions
from django.db import migrations

from security.roles import ensure_roles


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations have run; make those the
    # roles need now.
    for label in ("auth", "security", "lookup", "wagtailimages", "wagtaildocs", "wagtailcore"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_audit_event"),
        ("lookup", "0006_registry_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
