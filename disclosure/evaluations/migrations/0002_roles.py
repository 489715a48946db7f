"""Let the district office read the 社会评议 (units have no grants here).
A frozen copy of `responsibility.roles.ROLE_GRANTS` as it stood when this migration was written (a migration never imports live code)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APP = "evaluations"
GRANTS = {"区政务公开办": ("view_evaluation", "view_sectionscore")}


def _permissions(apps):
    # On a fresh database Django creates permissions only after the last migration.
    app_config = apps.get_app_config(APP)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {p.codename: p for p in Permission.objects.filter(content_type__app_label=APP)}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for role, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(permissions[codename] for codename in codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is not None:
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=APP, codename__in=codenames))


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("evaluations", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
