"""Grant the back-office roles what they need on the annual report. A frozen copy of the
grants `responsibility.roles.ROLE_GRANTS` declares for this app (migrations never import it)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

UNIT_STAFF = (
    "view_unitreturn", "add_unitreturn", "change_unitreturn",
    "view_appealcase", "add_appealcase", "change_appealcase",
    "view_annualreport", "add_annualreport", "change_annualreport",
)  # fmt: skip
GRANTS = {
    "信息员": UNIT_STAFF,
    "审核员": ("view_unitreturn", "view_appealcase", "view_annualreport"),
    "区政务公开办": UNIT_STAFF + ("delete_appealcase",),
}


def _permissions(apps):
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {p.codename: p for p in Permission.objects.filter(content_type__app_label="reports")}


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
            group.permissions.remove(*Permission.objects.filter(content_type__app_label="reports", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
