"""The roles a fresh install needs: 信息员, 审核员, 区政务公开办 (auth groups with their
permissions, defined in `responsibility.access.ROLE_PERMISSIONS`)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from responsibility.access import roles_sync

    roles_sync(apps=apps)


def remove_roles(apps, schema_editor):
    from responsibility.access import roles_remove

    roles_remove(apps=apps)


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
