"""One row per built-in check, so the office can set each to block, warn or off.

The kinds and their defaults are frozen here (a migration never imports live code)."""

from django.db import migrations

DEFAULTS = {
    "internal_link": "warn",
    "external_link": "warn",
    "unsafe_link": "block",
    "attachment_file": "block",
    "attachment_mentioned": "warn",
}


def create(apps, schema_editor):
    CheckPolicy = apps.get_model("checks", "CheckPolicy")
    for kind, severity in DEFAULTS.items():
        CheckPolicy.objects.get_or_create(kind=kind, defaults={"severity": severity})


def remove(apps, schema_editor):
    apps.get_model("checks", "CheckPolicy").objects.filter(kind__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("checks", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
