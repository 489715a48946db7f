"""Joins two migrations that landed on main at the same time (unit code shape; the
audit chain); neither touches the other's tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("responsibility", "0004_unit_code_shape"),
        ("responsibility", "0005_audit_chain_append_only"),
    ]

    operations = []
