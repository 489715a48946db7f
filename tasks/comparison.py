"""Reads: one year's plan against the year before, per unit and per section.

Completion is the share of a group's tasks the office approved; timeliness the share
of approved tasks approved on or before their due date. Sections are matched by their
place in the plan (一 with 一): each year's plan is organised in the same five parts,
and both years' titles are shown so a reader sees when they differ."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q

from responsibility.models import Unit

from .models import PlanDocument, Section, Task
from .selectors import percent


@dataclass(frozen=True)
class Figures:
    total: int
    done: int
    on_time: int
    carried: int

    @property
    def completion(self) -> int | None:
        return percent(Decimal(self.done) / self.total) if self.total else None

    @property
    def timeliness(self) -> int | None:
        return percent(Decimal(self.on_time) / self.done) if self.done else None


@dataclass
class ComparisonRow:
    label: str
    current: Figures | None
    previous: Figures | None

    @property
    def completion_change(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        if self.current.completion is None or self.previous.completion is None:
            return None
        return self.current.completion - self.previous.completion


@dataclass
class PlanComparison:
    plan: PlanDocument
    previous: PlanDocument
    units: list[ComparisonRow]
    sections: list[ComparisonRow]


def _figures_by(plan: PlanDocument, key: str) -> dict[int, Figures]:
    done = Q(state=Task.State.DONE)
    rows = (
        Task.objects.for_plan(plan)
        .values(key)
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(completed_on__lte=F("due_on"))),
            carried=Count("pk", filter=Q(carried_to__isnull=False)),
        )
        .order_by()
    )
    return {row[key]: Figures(row["total"], row["done"], row["on_time"], row["carried"]) for row in rows}


def plan_comparison(*, plan: PlanDocument, previous: PlanDocument) -> PlanComparison:
    """Six queries whatever the number of units and tasks."""
    current_units, previous_units = _figures_by(plan, "unit"), _figures_by(previous, "unit")
    units = Unit.objects.filter(pk__in=current_units.keys() | previous_units.keys()).order_by("order", "name")
    current_sections = _figures_by(plan, "work_point__section")
    previous_sections = _figures_by(previous, "work_point__section")
    sections = {(section.document_id, section.order): section for section in Section.objects.filter(document__in=(plan, previous))}
    orders = sorted({order for _document, order in sections})
    section_rows = []
    for order in orders:
        now, then = sections.get((plan.pk, order)), sections.get((previous.pk, order))
        label = " / ".join(dict.fromkeys(f"{section.number}、{section.title}" for section in (now, then) if section))
        section_rows.append(
            ComparisonRow(
                label=label,
                current=current_sections.get(now.pk) if now else None,
                previous=previous_sections.get(then.pk) if then else None,
            )
        )
    return PlanComparison(
        plan=plan, previous=previous,
        units=[ComparisonRow(unit.name, current_units.get(unit.pk), previous_units.get(unit.pk)) for unit in units],
        sections=section_rows,
    )
