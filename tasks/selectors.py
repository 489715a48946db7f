"""Reads for the work-point review: completion, schedules, scorecards, the matrix.

Completion of a work point is the weighted share of its tasks the district office has
approved: a lead unit's task weighs the point's `lead_weight` (default 1, i.e. every
unit counts the same), any other task weighs 1. Everything here is computed from a
handful of queries, whatever the number of tasks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from disclosure.models import Item
from responsibility.models import Unit

from .freshness import Freshness, FreshnessReport
from .models import AT_RISK_DAYS, CarryOver, PlanDocument, ProgressReport, Schedule, Section, Task, TaskReview, WorkPoint

DEFAULT_LEAD_WEIGHT = Decimal(1)


def percent(share: Decimal | None) -> int | None:
    if share is None:
        return None
    return int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class PointProgress:
    point: WorkPoint
    tasks: list[Task]
    lead_weight: Decimal
    today: date

    def weight(self, task: Task) -> Decimal:
        return self.lead_weight if task.is_lead else Decimal(1)

    @property
    def completion(self) -> Decimal | None:
        """Share of the weighted tasks done, 0…1; None for a point without tasks."""
        total = sum((self.weight(task) for task in self.tasks), Decimal(0))
        if not total:
            return None
        done = sum((self.weight(task) for task in self.tasks if task.state == Task.State.DONE), Decimal(0))
        return done / total

    @property
    def percent(self) -> int | None:
        return percent(self.completion)

    @property
    def schedule(self) -> str:
        """Done when every task is; else overdue if any open task is, at risk if any
        falls due within 30 days; else on track."""
        if not self.tasks:
            return Schedule.NO_TASKS
        schedules = {task.schedule_on(self.today) for task in self.tasks}
        for state in (Schedule.OVERDUE, Schedule.AT_RISK, Schedule.ON_TRACK):
            if state in schedules:
                return state
        return Schedule.DONE

    @property
    def schedule_label(self) -> str:
        return Schedule(self.schedule).label

    @property
    def due_on(self) -> date | None:
        return max((task.due_on for task in self.tasks), default=None)

    @property
    def done_count(self) -> int:
        return sum(task.state == Task.State.DONE for task in self.tasks)


def _progress_by_point(points, tasks, today) -> list[PointProgress]:
    by_point = defaultdict(list)
    for task in tasks:
        by_point[task.work_point_id].append(task)
    return [
        PointProgress(
            point=point,
            tasks=by_point[point.pk],
            lead_weight=getattr(getattr(point, "setting", None), "lead_weight", DEFAULT_LEAD_WEIGHT),
            today=today,
        )
        for point in points
    ]


def _points(plan: PlanDocument):
    return WorkPoint.objects.filter(section__document=plan).select_related("section", "setting")


def plan_progress(*, plan: PlanDocument, today: date, points=None) -> list[PointProgress]:
    """Progress of every point of `plan`, in order. Pass `points` to reuse a queryset
    that already prefetches what the page needs."""
    points = list(points if points is not None else _points(plan))
    tasks = Task.objects.for_plan(plan).select_related("unit").order_by("unit__order", "unit__name")
    return _progress_by_point(points, tasks, today)


def point_progress(*, point: WorkPoint, today: date, tasks=None) -> PointProgress:
    tasks = list(tasks if tasks is not None else point.tasks.select_related("unit"))
    return _progress_by_point([point], tasks, today)[0]


def mean_completion(progress: list[PointProgress]) -> Decimal | None:
    """Mean completion of the points that have tasks (a point without tasks has none)."""
    shares = [entry.completion for entry in progress if entry.completion is not None]
    return sum(shares, Decimal(0)) / len(shares) if shares else None


@dataclass
class SectionProgress:
    section: Section
    points: list[PointProgress]

    @property
    def completion(self) -> Decimal | None:
        return mean_completion(self.points)

    @property
    def percent(self) -> int | None:
        return percent(self.completion)


def section_progress(progress: list[PointProgress]) -> list[SectionProgress]:
    sections: dict[int, SectionProgress] = {}
    for entry in progress:
        section = entry.point.section
        sections.setdefault(section.pk, SectionProgress(section=section, points=[])).points.append(entry)
    return sorted(sections.values(), key=lambda s: s.section.order)


@dataclass
class TaskCounts:
    total: int = 0
    done: int = 0
    in_review: int = 0
    returned: int = 0
    due_soon: int = 0
    overdue: int = 0

    def add(self, task: Task, today: date) -> None:
        schedule = task.schedule_on(today)
        self.total += 1
        self.done += schedule == Schedule.DONE
        self.in_review += task.state == Task.State.IN_REVIEW
        self.returned += task.state == Task.State.RETURNED
        self.due_soon += schedule == Schedule.AT_RISK
        self.overdue += schedule == Schedule.OVERDUE

    @property
    def done_percent(self) -> int | None:
        return percent(Decimal(self.done) / self.total) if self.total else None


@dataclass
class PlanTotals(TaskCounts):
    completion: Decimal | None = None

    @property
    def percent(self) -> int | None:
        return percent(self.completion)


def plan_totals(progress: list[PointProgress]) -> PlanTotals:
    """Task counts of the whole plan; its completion is the mean of its points' (those with tasks)."""
    totals = PlanTotals(completion=mean_completion(progress))
    for entry in progress:
        for task in entry.tasks:
            totals.add(task, entry.today)
    return totals


# --- Public pages -------------------------------------------------------------


def tasks_with_public_summary(queryset):
    """Tasks with `approved_reports`: only final reports the office approved, the newest
    first. Returned reports and every comment stay internal."""
    approved = ProgressReport.objects.filter(review__decision=TaskReview.Decision.APPROVED).select_related("review")
    return queryset.select_related("unit").prefetch_related(
        Prefetch("reports", queryset=approved.order_by("-review__decided_at"), to_attr="approved_reports")
    )


def public_unit_progress(progress: list[PointProgress]) -> list[tuple[Unit, TaskCounts]]:
    """Per unit: tasks assigned and tasks the office approved as done."""
    rows: dict[int, tuple[Unit, TaskCounts]] = {}
    for entry in progress:
        for task in entry.tasks:
            rows.setdefault(task.unit_id, (task.unit, TaskCounts()))[1].add(task, entry.today)
    return sorted(rows.values(), key=lambda row: (row[0].order, row[0].name))


# --- District-office dashboards -------------------------------------------------


@dataclass
class MatrixRow:
    unit: Unit
    cells: list[Task | None]


@dataclass
class CompletionMatrix:
    progress: list[PointProgress]
    rows: list[MatrixRow]


def completion_matrix(progress: list[PointProgress]) -> CompletionMatrix:
    """Units involved (rows) by the plan's points (columns); a cell is the unit's task
    on that point, or None."""
    units: dict[int, Unit] = {}
    cells: dict[tuple[int, int], Task] = {}
    for entry in progress:
        for task in entry.tasks:
            units[task.unit_id] = task.unit
            cells[(task.unit_id, entry.point.pk)] = task
    rows = [
        MatrixRow(unit=unit, cells=[cells.get((unit.pk, entry.point.pk)) for entry in progress])
        for unit in sorted(units.values(), key=lambda u: (u.order, u.name))
    ]
    return CompletionMatrix(progress=progress, rows=rows)


@dataclass
class UnitScorecard:
    unit: Unit
    tasks: TaskCounts = field(default_factory=TaskCounts)
    columns_total: int = 0
    columns_empty: int = 0
    columns_stale: int = 0
    items_this_year: int = 0


def unit_scorecards(
    *, progress: list[PointProgress], freshness: FreshnessReport, today: date, now=None
) -> list[UnitScorecard]:
    """One scorecard per active unit: its tasks, its columns, its items published this year."""
    cards = {unit.pk: UnitScorecard(unit=unit) for unit in Unit.objects.filter(is_active=True)}
    for entry in progress:
        for task in entry.tasks:
            if task.unit_id in cards:
                cards[task.unit_id].tasks.add(task, today)
    for unit_id, columns in freshness.unit_columns.items():
        if unit_id in cards:
            cards[unit_id].columns_total = len(columns)
            cards[unit_id].columns_empty = sum(entry.status == Freshness.EMPTY for entry in columns)
            cards[unit_id].columns_stale = sum(entry.status == Freshness.STALE for entry in columns)
    for unit_id, count in (
        Item.objects.published(now=now)
        .filter(published_at__gte=_start_of(date(today.year, 1, 1)))
        .order_by()
        .values_list("unit_id")
        .annotate(count=Count("pk"))
    ):
        if unit_id in cards:
            cards[unit_id].items_this_year = count
    return sorted(cards.values(), key=lambda card: (card.unit.order, card.unit.name))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# Sort keys of the overdue list; "-days" (the most overdue first) is the default.
OVERDUE_ORDERINGS = {
    "-days": lambda task: (task.due_on, task.unit.order, task.work_point.number),
    "days": lambda task: (-task.due_on.toordinal(), task.unit.order, task.work_point.number),
    "unit": lambda task: (task.unit.order, task.unit.name, task.due_on, task.work_point.number),
    "-unit": lambda task: (-task.unit.order, task.unit.name, task.due_on, task.work_point.number),
}


def overdue_tasks(*, plan: PlanDocument, today: date, order: str = "-days") -> list[Task]:
    """Open tasks past their due date, sorted by `order` (a key of OVERDUE_ORDERINGS)."""
    tasks = list(Task.objects.for_plan(plan).overdue(today).with_related())
    return sorted(tasks, key=OVERDUE_ORDERINGS.get(order, OVERDUE_ORDERINGS["-days"]))


def unit_reminder_tasks(*, today: date) -> dict[int, dict[str, list[Task]]]:
    """{unit id: {"overdue": [...], "due_soon": [...]}} of open tasks, for the reminders."""
    grouped: dict[int, dict[str, list[Task]]] = defaultdict(lambda: {"overdue": [], "due_soon": []})
    horizon = today + timedelta(days=AT_RISK_DAYS)
    for task in Task.objects.open().filter(due_on__lte=horizon).with_related().order_by("due_on"):
        grouped[task.unit_id]["overdue" if task.due_on < today else "due_soon"].append(task)
    return grouped


def items_per_month(*, today: date, months: int = 12, now=None) -> list[tuple[date, int]]:
    """Published items per calendar month for the `months` months up to `today`'s, zeros included."""
    first = date(today.year, today.month, 1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    counts = dict(
        Item.objects.published(now=now)
        .filter(published_at__gte=_start_of(first))
        .order_by()
        .annotate(month=TruncMonth("published_at", output_field=DateField()))
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    series, month = [], first
    while month <= today:
        series.append((month, counts.get(month, 0)))
        month = (month + timedelta(days=32)).replace(day=1)
    return series


def evidence_items_for(task: Task):
    """The items a unit may cite as evidence: its own, published."""
    return Item.objects.published().filter(unit_id=task.unit_id).select_related("column").order_by("-published_at")


@dataclass
class TaskHistory:
    reports: list[ProgressReport] = field(default_factory=list)
    # The carry-over that brought the task from last year's plan, or took it into next year's.
    carried_from: CarryOver | None = None
    carried_to: CarryOver | None = None

    @property
    def latest_return(self) -> TaskReview | None:
        for report in self.reports:
            review = getattr(report, "review", None)
            if review is not None:
                return review if review.decision == TaskReview.Decision.RETURNED else None
        return None


def task_history(task: Task) -> TaskHistory:
    """Every report of the task, newest first, with its evidence and the office's decision."""
    reports = (
        task.reports.select_related("author", "review__reviewer")
        .prefetch_related(Prefetch("evidence_items", queryset=Item.objects.select_related("column")), "files")
        .order_by("-created_at", "-pk")
    )
    carries = list(CarryOver.objects.filter(Q(from_task=task) | Q(to_task=task)).select_related(
        "from_task__work_point__section__document", "to_task__work_point__section__document", "decided_by"
    ))
    return TaskHistory(
        reports=list(reports),
        carried_from=next((carry for carry in carries if carry.to_task_id == task.pk), None),
        carried_to=next((carry for carry in carries if carry.from_task_id == task.pk), None),
    )
