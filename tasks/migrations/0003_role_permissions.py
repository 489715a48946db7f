"""Grant the three back-office roles what they need on the work-point tasks.

The groups are fetched or created by name, so this works whichever app's migration
creates them first. Permissions are added, never replaced: other apps grant theirs
to the same groups. (Who may act on *which* task is decided by `tasks.access`.)"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "信息员": (
        "view_task", "view_progressreport", "add_progressreport", "view_evidencefile", "add_evidencefile",
        "view_taskreview",
    ),
    "审核员": (
        "view_task", "view_progressreport", "add_progressreport", "view_evidencefile", "add_evidencefile",
        "view_taskreview",
    ),
    "区政务公开办": (
        "view_task", "change_task", "view_progressreport", "view_evidencefile", "view_taskreview",
        "add_taskreview", "view_workpointsetting", "change_workpointsetting", "view_reminder",
    ),
}


def _permissions(apps):
    # On a fresh database Django creates permissions only after the last migration;
    # create this app's now so that they can be granted.
    app_config = apps.get_app_config("tasks")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {p.codename: p for p in Permission.objects.filter(content_type__app_label="tasks")}


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
                *Permission.objects.filter(content_type__app_label="tasks", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tasks", "0002_tracking"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
