"""Tasks: one per unit a work point names, with its due date."""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from furong_portal.pagecache import public_pages_changed
from responsibility.answering import party_units

from ..models import CarryOver, PlanDocument, Task, WorkPoint, WorkPointParty, WorkPointSetting, check_due_on

# Deadlines a point's text may name: "2020年底前", "2020年6月底前", "2020年9月30日前".
_DUE_PATTERNS = (
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[之以]?前"), lambda y, m, d: date(y, m, d)),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*底?\s*[之以]?前"), lambda y, m: _month_end(y, m)),
    (re.compile(r"(\d{4})\s*年\s*上半年"), lambda y: date(y, 6, 30)),
    (re.compile(r"(\d{4})\s*年\s*(?:年\s*)?底\s*[之以]?前"), lambda y: date(y, 12, 31)),
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def text_deadlines(text: str) -> list[date]:
    """The deadlines a point's text names, in the order the patterns find them."""
    named = []
    for pattern, build in _DUE_PATTERNS:
        for match in pattern.finditer(text):
            try:
                named.append(build(*map(int, match.groups())))
            except ValueError:  # "2020年2月30日前" is a typo, not a deadline
                continue
    return named


def work_point_default_due_on(work_point: WorkPoint, *, year: int | None = None) -> date:
    """The due date the point's own text names (the latest, if several), else the end
    of the plan's year: a year's work points run to the end of that year. `year` is
    the plan's, for a point not yet saved."""
    named = text_deadlines(work_point.text)
    return max(named) if named else date(year or work_point.section.document.year, 12, 31)


def work_point_assignments(work_point: WorkPoint) -> dict[int, tuple[str, str]]:
    """{unit id: (role, name it was assigned under)} for the point's parties, collectives
    resolved to their active member units. A unit named twice keeps the stronger claim:
    as lead over any other role, then by its own name over a collective's."""
    claims: dict[int, tuple[str, str, bool]] = {}
    for party in work_point.parties.select_related("unit", "collective"):
        direct = party.unit_id is not None
        claim = (party.role, party.printed_name, direct)
        for unit in party_units(unit=party.unit, collective=party.collective):
            known = claims.get(unit.pk)
            if known is None or _claim_strength(claim) > _claim_strength(known):
                claims[unit.pk] = claim
    return {unit_id: (role, name) for unit_id, (role, name, _direct) in claims.items()}


def _claim_strength(claim: tuple[str, str, bool]) -> tuple[bool, bool]:
    role, _name, direct = claim
    return role == WorkPointParty.Role.LEAD, direct


@dataclass
class TaskSync:
    created: int = 0
    updated: int = 0
    removed: int = 0
    # Tasks whose unit the point no longer names but which already carry reports:
    # the record is kept, the office decides.
    kept: list[Task] = field(default_factory=list)

    def __iadd__(self, other: "TaskSync") -> "TaskSync":
        self.created += other.created
        self.updated += other.updated
        self.removed += other.removed
        self.kept += other.kept
        return self


@transaction.atomic
def work_point_tasks_sync(*, work_point: WorkPoint) -> TaskSync:
    """Make the point's tasks match the units its closing clause names. Points that name
    no unit (the seed's 16, 19 and 20) get no tasks."""
    result = TaskSync()
    wanted = work_point_assignments(work_point)
    existing = {task.unit_id: task for task in Task.objects.select_for_update().filter(work_point=work_point)}
    due_on = work_point_default_due_on(work_point)
    Task.objects.bulk_create(
        Task(work_point=work_point, unit_id=unit_id, role=role, assigned_as=name, due_on=due_on)
        for unit_id, (role, name) in wanted.items()
        if unit_id not in existing
    )
    result.created = len(wanted.keys() - existing.keys())
    for unit_id, task in existing.items():
        if unit_id in wanted:
            role, name = wanted[unit_id]
            if (task.role, task.assigned_as) != (role, name):
                task.role, task.assigned_as = role, name
                task.version += 1
                task.save(update_fields=["role", "assigned_as", "version", "updated_at"])
                result.updated += 1
        elif task.state == Task.State.NOT_STARTED and not task.reports.exists() and not _carried(task):
            task.delete()
            result.removed += 1
        else:
            result.kept.append(task)
    WorkPointSetting.objects.get_or_create(work_point=work_point)
    public_pages_changed()
    return result


def _carried(task: Task) -> bool:
    """A task linked by a carry-over (either end) is the office's decision: sync keeps it."""
    return CarryOver.objects.filter(Q(from_task=task) | Q(to_task=task)).exists()


@transaction.atomic
def work_points_tasks_sync(*, work_points: Iterable[WorkPoint]) -> TaskSync:
    result = TaskSync()
    for work_point in work_points:
        result += work_point_tasks_sync(work_point=work_point)
    return result


def plan_tasks_sync(*, plan: PlanDocument) -> TaskSync:
    return work_points_tasks_sync(
        work_points=WorkPoint.objects.filter(section__document=plan).select_related("section__document")
    )


@transaction.atomic
def task_due_on_set(*, task: Task, due_on: date, expected_version: int | None = None) -> Task:
    task = Task.objects.select_for_update().select_related("work_point__section__document").get(pk=task.pk)
    stale = task.stale_message(expected_version)
    if stale:
        raise ValidationError(stale)
    task.due_on = due_on
    task.full_clean()
    task.version += 1
    task.save(update_fields=["due_on", "version", "updated_at"])
    public_pages_changed()
    return task


@transaction.atomic
def tasks_due_on_set(*, tasks, due_on: date) -> int:
    """Give all `tasks` (a queryset) the same due date; returns how many changed."""
    plans = PlanDocument.objects.filter(sections__work_points__tasks__in=tasks).distinct()
    for issued_on in plans.values_list("issued_on", flat=True):
        check_due_on(due_on, issued_on=issued_on)
    public_pages_changed()
    return Task.objects.filter(pk__in=tasks.values("pk")).update(
        due_on=due_on, version=F("version") + 1, updated_at=timezone.now()
    )
