"""Grant the back-office roles what they need on requests (依申请公开).

The groups are fetched or created by name (the names of `responsibility.access.ROLE_*`), so
this works whichever app's migration creates them first. Permissions are added, never
replaced. Which *requests* a permission reaches is decided by
`disclosure.requests.selectors.requests_visible_to`: a unit's own, or all for the office."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

UNIT_STAFF = (
    "view_informationrequest", "add_informationrequest", "change_informationrequest",
    "view_requestevent", "view_consultation", "view_holidaycalendarday",
)
GRANTS = {
    "信息员": UNIT_STAFF,
    "审核员": UNIT_STAFF,
    "区政务公开办": UNIT_STAFF + ("add_holidaycalendarday", "change_holidaycalendarday", "delete_holidaycalendarday"),
}


def _permissions(apps):
    # On a fresh database Django creates permissions only after the last migration;
    # create this app's now so that they can be granted.
    app_config = apps.get_app_config("requests")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return {p.codename: p for p in Permission.objects.filter(content_type__app_label="requests")}


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
            group.permissions.remove(*Permission.objects.filter(content_type__app_label="requests", codename__in=codenames))


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("requests", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke, elidable=False)]
