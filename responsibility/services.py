"""Writes to units, collectives and the column tree's duties."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Alias, Collective, Column, Duty, Unit

# Separators the responsibility table uses between names: 、 or a line break/space.
_NAME_SEPARATORS = re.compile(r"[、，,\s]+")


def party_resolve(name: str) -> Unit | Collective:
    """The unit or collective a document means by `name` (canonical name or alias)."""
    name = name.strip()
    unit = Unit.objects.filter(name=name).first()
    if unit:
        return unit
    collective = Collective.objects.filter(name=name).first()
    if collective:
        return collective
    alias = Alias.objects.select_related("unit", "collective").filter(name=name).first()
    if alias:
        return alias.unit or alias.collective
    raise ValidationError(f"未知的单位或集合称谓“{name}”：请先在“责任单位”或“别称”中登记。")


def party_reference(name: str) -> dict:
    """The fields a row naming a party stores: the printed name and the unit or collective it means."""
    party = party_resolve(name)
    return {
        "printed_name": name,
        "unit": party if isinstance(party, Unit) else None,
        "collective": party if isinstance(party, Collective) else None,
    }


def responsibility_text_split(text: str) -> list[str]:
    """Names in the order printed. "区民政局等各相关部门" names a unit and then a collective."""
    names = []
    for token in filter(None, _NAME_SEPARATORS.split(text.strip())):
        names.extend(part for part in token.split("等") if part)
    return names


@transaction.atomic
def column_duties_replace(*, column: Column, responsibility_text: str) -> list[Duty]:
    """Set the column's printed responsibility text and rebuild its duties from it."""
    references = [party_reference(name) for name in responsibility_text_split(responsibility_text)]
    column.responsibility_text = responsibility_text.strip()
    column.save(update_fields=["responsibility_text"])
    column.duties.all().delete()
    return Duty.objects.bulk_create(
        Duty(column=column, position=position, **reference) for position, reference in enumerate(references, 1)
    )
