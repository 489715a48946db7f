"""Which units answer for a column or a work point: the one rule.

A duty (of a column) or a party (of a work point) names either a unit or a collective
(各街道, 区直各有关单位 …); a collective stands for its member units. Only active units answer:
a unit the office has deactivated answers for nothing, whether named directly or through a
collective. Every module that needs the answering units asks here."""

from collections import defaultdict
from collections.abc import Hashable, Iterable

from django.db.models import Q

from .models import Collective, Column, Duty, Unit


def party_units(*, unit: Unit | None, collective: Collective | None) -> list[Unit]:
    """The active units one duty or party stands for."""
    if unit is not None:
        return [unit] if unit.is_active else []
    return list(collective.members.filter(is_active=True).order_by("order", "name"))


def answering_units(rows: Iterable[tuple[Hashable, int | None, int | None]]) -> dict[Hashable, list[Unit]]:
    """{owner: [active units]} for rows of (owner, unit id, collective id), in two queries
    whatever the number of rows. Each unit once per owner, in the units' order."""
    active = {unit.pk: unit for unit in Unit.objects.filter(is_active=True)}
    members: dict[int, list[int]] = defaultdict(list)
    for collective_id, unit_id in Collective.members.through.objects.values_list("collective_id", "unit_id"):
        members[collective_id].append(unit_id)
    found: dict[Hashable, dict[int, Unit]] = defaultdict(dict)
    for owner, unit_id, collective_id in rows:
        for candidate in [unit_id] if unit_id else members[collective_id]:
            if candidate in active:
                found[owner][candidate] = active[candidate]
    return {owner: sorted(units.values(), key=lambda u: (u.order, u.name)) for owner, units in found.items()}


def column_answering_units() -> dict[int, list[Unit]]:
    """{column id: [active units]} for every column with a duty; columns without one are absent."""
    return answering_units(Duty.objects.values_list("column_id", "unit_id", "collective_id"))


def units_answering_for(column: Column):
    """The active units answering for `column`, as a queryset."""
    return (
        Unit.objects.filter(is_active=True)
        .filter(Q(duties__column=column) | Q(collectives__duties__column=column))
        .distinct()
    )
