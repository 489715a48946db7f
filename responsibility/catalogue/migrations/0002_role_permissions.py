"""Grant the district office (区政务公开办) the 标准目录: 国办发〔2019〕54号 makes the
government office responsible for compiling and keeping it.

A frozen copy of that part of the declaration (`responsibility.roles.ROLE_GRANTS`) as it
stood when this migration was written; migrations never import live code. The group is
fetched or created by name, permissions are added, never replaced."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"区政务公开办": ("view_catalogueentry", "add_catalogueentry", "change_catalogueentry", "delete_catalogueentry")}


def _permissions(apps):
    # On a fresh database Django creates permissions only after the last migration.
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {p.codename: p for p in Permission.objects.filter(content_type__app_label="catalogue")}


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
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="catalogue", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
