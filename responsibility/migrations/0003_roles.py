"""The roles a fresh install needs: 信息员, 审核员, 区政务公开办 (auth groups with their
permissions on disclosure, responsibility and accounts; `tasks` and `requests` grant theirs
in their own migrations).

The grants are a frozen copy of the declaration as it stood when this migration was written
(today's declaration is `responsibility.roles.ROLE_GRANTS`); a migration never imports live
code, which changes after it has run."""

from django.db import migrations

CRUD = ("view", "add", "change", "delete")
ROLE_PERMISSIONS = {
    "信息员": (
        ("disclosure", "item", CRUD),
        ("disclosure", "attachment", CRUD),
        ("disclosure", "itemrevision", ("view",)),
    ),
    "审核员": (
        ("disclosure", "item", ("view", "review")),
        ("disclosure", "attachment", ("view",)),
        ("disclosure", "itemrevision", ("view",)),
    ),
    "区政务公开办": (
        ("disclosure", "item", (*CRUD, "review")),
        ("disclosure", "attachment", CRUD),
        ("disclosure", "itemrevision", ("view",)),
        ("disclosure", "indexsequence", ("view",)),
        ("responsibility", "unit", CRUD),
        ("responsibility", "collective", CRUD),
        ("responsibility", "alias", CRUD),
        ("responsibility", "column", CRUD),
        ("responsibility", "duty", CRUD),
        ("responsibility", "staffprofile", CRUD),
        ("responsibility", "auditevent", ("view",)),
        ("tasks", "plandocument", CRUD),
        ("tasks", "section", CRUD),
        ("tasks", "workpoint", CRUD),
        ("tasks", "workpointparty", CRUD),
        ("auth", "user", ("view", "add", "change")),
        ("auth", "group", ("view",)),
    ),
}
CUSTOM_PERMISSION_NAMES = {("disclosure", "review_item"): "Can review 政府信息（审核、发布、退回、撤回）"}


def create_roles(apps, schema_editor):
    # Content types and permissions are created when missing: on a fresh install they
    # would otherwise only appear after the last migration.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for role, grants in ROLE_PERMISSIONS.items():
        permissions = []
        for app_label, model, actions in grants:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            verbose_name = apps.get_model(app_label, model)._meta.verbose_name_raw
            for action in actions:
                codename = f"{action}_{model}"
                name = CUSTOM_PERMISSION_NAMES.get((app_label, codename), f"Can {action} {verbose_name}")
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type, codename=codename, defaults={"name": name}
                )
                permissions.append(permission)
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("responsibility", "0002_audit_event"),
        ("disclosure", "0002_search_index"),
        ("tasks", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles, elidable=False),
    ]
