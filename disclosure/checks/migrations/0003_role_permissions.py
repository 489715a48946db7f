"""Grant the district office (区政务公开办) the pre-publication checks: it keeps the 错敏词
list and the check settings, and reads the check log and the link checker's results.
A frozen copy of `responsibility.roles.ROLE_GRANTS` for this app."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "区政务公开办": (
        "view_sensitiveterm", "add_sensitiveterm", "change_sensitiveterm", "delete_sensitiveterm",
        "view_checkpolicy", "change_checkpolicy", "view_checkrun", "view_linkstatus",
    ),
}  # fmt: skip


def _permissions(apps):
    # On a fresh database Django creates permissions only after the last migration;
    # create this app's now so that they can be granted.
    app_config = apps.get_app_config("checks")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {p.codename: p for p in Permission.objects.filter(content_type__app_label="checks")}


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
                *Permission.objects.filter(content_type__app_label="checks", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("checks", "0002_check_policies"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
