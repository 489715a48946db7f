"""Carrying last year's unfinished tasks into a new plan: linked, never copied blindly.

The office picks, task by task, the point of the new plan that continues the work and
says why; the unit's task there (made by the new plan's sync, or created here if the
point does not name the unit) is linked to the old one (CarryOver). The old task keeps
its record and leaves the open lists; the new one carries a reason the unit can read."""

import difflib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import CarryOver, PlanDocument, Task, WorkPoint
from .assignment import work_point_default_due_on

# Titles this similar (difflib ratio) suggest the same work continued.
SIMILAR_TITLE = 0.5


@dataclass
class CarryCandidate:
    task: Task
    suggested: WorkPoint | None


def previous_plan(plan: PlanDocument) -> PlanDocument | None:
    return PlanDocument.objects.filter(year__lt=plan.year).order_by("-year").first()


def carry_over_candidates(*, from_plan: PlanDocument, to_plan: PlanDocument) -> list[CarryCandidate]:
    """`from_plan`'s unfinished tasks not yet carried, each with the point of `to_plan`
    whose title is the same or most alike (none below SIMILAR_TITLE)."""
    points = list(WorkPoint.objects.filter(section__document=to_plan).order_by("number"))
    by_title = {point.title: point for point in points}
    tasks = (
        Task.objects.for_plan(from_plan).unfinished().filter(carried_to__isnull=True)
        .with_related().order_by("unit__order", "unit__name", "work_point__number")
    )
    suggestions: dict[str, WorkPoint | None] = {}
    candidates = []
    for task in tasks:
        title = task.work_point.title
        if title not in suggestions:
            suggestions[title] = by_title.get(title) or _most_alike(title, points)
        candidates.append(CarryCandidate(task=task, suggested=suggestions[title]))
    return candidates


def _most_alike(title: str, points: list[WorkPoint]) -> WorkPoint | None:
    scored = [(difflib.SequenceMatcher(a=title, b=point.title).ratio(), -point.number, point) for point in points]
    best = max(scored, default=None, key=lambda entry: entry[:2])
    return best[2] if best and best[0] >= SIMILAR_TITLE else None


@transaction.atomic
def task_carry_over(*, task: Task, to_work_point: WorkPoint, reason: str, actor) -> CarryOver:
    """Continue `task` in `to_work_point` (of a later plan) for the same unit."""
    task = Task.objects.select_for_update().select_related("work_point__section__document", "unit").get(pk=task.pk)
    reason = reason.strip()
    from_year = task.work_point.section.document.year
    to_plan = to_work_point.section.document
    if not reason:
        raise ValidationError({"reason": "请说明结转原因：为什么未完成、新一年度如何继续。"})
    if task.state == Task.State.DONE:
        raise ValidationError("该任务已完成，无需结转。")
    if CarryOver.objects.filter(from_task=task).exists():
        raise ValidationError("该任务已结转。")
    if to_plan.year <= from_year:
        raise ValidationError(f"只能结转到以后年度的工作要点（该任务属于 {from_year} 年）。")
    target = Task.objects.select_for_update().filter(work_point=to_work_point, unit=task.unit).first()
    if target is None:
        target = Task(
            work_point=to_work_point, unit=task.unit, role=task.role,
            assigned_as=f"{from_year}年结转：{task.assigned_as}"[:100],
            due_on=work_point_default_due_on(to_work_point),
        )
        target.full_clean()
        target.save()
    elif CarryOver.objects.filter(to_task=target).exists():
        raise ValidationError(f"{task.unit}在该要点的任务已承接另一项结转任务，请选择其他要点。")
    carry = CarryOver(from_task=task, to_task=target, reason=reason, decided_by=actor)
    carry.full_clean()
    carry.save()
    return carry


@transaction.atomic
def tasks_carry_over(*, decisions: list[tuple[Task, WorkPoint, str]], actor) -> list[CarryOver]:
    """Several carry-overs (task, point, reason) at once: all of them or none."""
    return [task_carry_over(task=task, to_work_point=point, reason=reason, actor=actor) for task, point, reason in decisions]
