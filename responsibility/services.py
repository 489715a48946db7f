"""Writes to units, collectives and the column tree's duties."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction

from furong_portal.pagecache import public_pages_changed

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
    public_pages_changed()
    return Duty.objects.bulk_create(
        Duty(column=column, position=position, **reference) for position, reference in enumerate(references, 1)
    )


# --- Names a new document uses that the register does not know yet ---------------------


class NameMapping(models.TextChoices):
    """What the office says an unknown printed name is, when a document is imported."""

    ALIAS = "alias", "另一名称（登记为别称）"
    RENAME = "rename", "单位更名（新名称为规范名称，原名称保留为别称）"
    NEW_UNIT = "new_unit", "新增单位"


@dataclass(frozen=True)
class NameChoice:
    """The office's answer for one unknown printed name: a NameMapping and its target
    (none for a new unit, which takes `kind`)."""

    mapping: str
    party: Unit | Collective | None = None
    kind: str = ""


@transaction.atomic
def printed_name_register(
    *, name: str, mapping: str, party: Unit | Collective | None = None, kind: str = "", reason: str = ""
) -> Unit | Collective:
    """Make `name` resolve (party_resolve) to what the office chose, and return that party.

    An alias keeps the register's names and adds one; a rename makes `name` the unit's
    canonical name and keeps the old one as an alias, so earlier documents' printed
    names still resolve; a new unit is created under `name`."""
    name = name.strip()
    if not name:
        raise ValidationError("名称不能为空。")
    if _name_taken(name):
        raise ValidationError(f"“{name}”已是登记的单位、集合称谓或别称。")
    if mapping == NameMapping.NEW_UNIT:
        unit = Unit(name=name, kind=kind, order=(Unit.objects.aggregate(models.Max("order"))["order__max"] or 0) + 1)
        unit.full_clean()
        unit.save()
        return unit
    if party is None:
        raise ValidationError(f"请为“{name}”选择对应的单位或集合称谓。")
    if mapping == NameMapping.RENAME:
        if not isinstance(party, Unit):
            raise ValidationError("只有单位可以更名；集合称谓的新写法请登记为别称。")
        unit = Unit.objects.select_for_update().get(pk=party.pk)
        old_name = unit.name
        unit.name = name
        unit.full_clean()
        unit.save(update_fields=["name"])
        alias = Alias(name=old_name, unit=unit, reason=reason or f"原名称，{name}更名前使用")
        alias.full_clean()
        alias.save()
        return unit
    if mapping != NameMapping.ALIAS:
        raise ValidationError(f"未知的处理方式“{mapping}”。")
    alias = Alias(
        name=name,
        unit=party if isinstance(party, Unit) else None,
        collective=party if isinstance(party, Collective) else None,
        reason=reason,
    )
    alias.full_clean()
    alias.save()
    return party


def _name_taken(name: str) -> bool:
    return (
        Unit.objects.filter(name=name).exists()
        or Collective.objects.filter(name=name).exists()
        or Alias.objects.filter(name=name).exists()
    )
