"""索引号 series are keyed by the 机构代码 rather than the unit, so that units without a code of
their own can share the district government's series without two items getting one number.

Existing series keep the prefix they were issued under: the unit's code, or the placeholder
`FR` + primary key that earlier versions used (the numbers already issued never change)."""

from django.db import migrations, models


def code_from_unit(apps, schema_editor):
    IndexSequence = apps.get_model("disclosure", "IndexSequence")
    for sequence in IndexSequence.objects.select_related("unit"):
        sequence.code = sequence.unit.code or f"FR{sequence.unit_id:07d}"
        sequence.save(update_fields=["code"])


def unit_from_code(apps, schema_editor):
    IndexSequence = apps.get_model("disclosure", "IndexSequence")
    Unit = apps.get_model("responsibility", "Unit")
    for sequence in IndexSequence.objects.all():
        unit = Unit.objects.filter(code=sequence.code).first()
        if unit is None and sequence.code.startswith("FR"):
            unit = Unit.objects.filter(pk=int(sequence.code[2:])).first()
        if unit is None:
            sequence.delete()  # a shared district series has no single unit to go back to
        else:
            sequence.unit = unit
            sequence.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0005_item_review_permission"),
        ("responsibility", "0003_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexsequence", name="code", field=models.CharField("机构代码", max_length=18, default=""),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="indexsequence", name="unit",
            field=models.ForeignKey(
                null=True, on_delete=models.PROTECT, related_name="index_sequences", to="responsibility.unit",
                verbose_name="单位",
            ),
        ),
        migrations.RunPython(code_from_unit, unit_from_code),
        migrations.RemoveConstraint(model_name="indexsequence", name="index_sequence_unique_unit_year"),
        migrations.RemoveField(model_name="indexsequence", name="unit"),
        migrations.AlterModelOptions(
            name="indexsequence",
            options={"ordering": ("code", "year"), "verbose_name": "索引号流水", "verbose_name_plural": "索引号流水"},
        ),
        migrations.AddConstraint(
            model_name="indexsequence",
            constraint=models.UniqueConstraint(fields=("code", "year"), name="index_sequence_unique_code_year"),
        ),
        migrations.AddConstraint(
            model_name="indexsequence",
            constraint=models.CheckConstraint(condition=models.Q(last_serial__lte=99999), name="index_sequence_five_digits"),
        ),
    ]
