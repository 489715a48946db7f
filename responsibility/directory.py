"""The column tree and the units as the public pages show them, read once per
generation of public content instead of joined into every page's queries.

There are a few dozen columns and units, and they change only through the admin,
which renews the page cache's generation: `directory()` reads them all in three
queries and keeps them in this process until public content next changes
(furong_portal.pagecache.fragment). Pages take a column's path, duties and
sub-columns and an item's unit from here, so a page's own queries read only its
own rows.

The objects are shared by every request of the process: read them, never change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from furong_portal.pagecache import fragment

from .models import Column, Duty, Unit


@dataclass(frozen=True)
class Directory:
    # Every column, with `parent` set and `children` and `duties` (their units and
    # collectives set) prefetched, so that its path and tree cost no query.
    columns: dict[int, Column]
    by_slug: dict[str, Column]
    roots: tuple[Column, ...]
    units: dict[int, Unit]  # every unit, inactive ones too (old items name them)

    def active_units(self) -> list[Unit]:
        return [unit for unit in self.units.values() if unit.is_active]


def directory() -> Directory:
    return fragment("directory", _read)


def _read() -> Directory:
    units = {unit.pk: unit for unit in Unit.objects.all()}  # in Meta.ordering: order, name
    columns = {column.pk: column for column in Column.objects.all()}  # level, order
    children: dict[int, list[Column]] = {pk: [] for pk in columns}
    duties: dict[int, list[Duty]] = {pk: [] for pk in columns}
    for column in columns.values():
        if column.parent_id is not None:
            column.parent = columns[column.parent_id]
            children[column.parent_id].append(column)
    for duty in Duty.objects.select_related("collective").order_by("column_id", "position"):
        duty.unit = units.get(duty.unit_id)
        duties[duty.column_id].append(duty)
    for pk, column in columns.items():
        # What prefetch_related leaves behind: `column.children.all()` answers from the list.
        _prefetched(column, "children", Column.objects.all(), children[pk])
        _prefetched(column, "duties", Duty.objects.all(), duties[pk])
    return Directory(
        columns=columns,
        by_slug={column.slug: column for column in columns.values()},
        roots=tuple(column for column in columns.values() if column.parent_id is None),
        units=units,
    )


def _prefetched(instance, name: str, queryset, objects: list) -> None:
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = {**getattr(instance, "_prefetched_objects_cache", {}), name: queryset}
