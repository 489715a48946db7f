"""Reads: who sees which request, which units a request can go to, deadline flags, and the
figures of the annual report's table 三."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from responsibility import access
from responsibility.answering import units_answering_for
from responsibility.models import Column, Unit

from .models import (
    AT_RISK_WORKING_DAYS,
    ApplicantKind,
    InformationRequest,
    OrganisationType,
    Outcome,
    OutcomeReason,
)
from .workdays import WorkCalendar

# The breakdown table's column 五 依申请公开: the units with a duty on it answer requests.
REQUESTS_COLUMN_NUMBER = "五"


# --- Scoping -------------------------------------------------------------------


def can_handle_requests(user) -> bool:
    """District office, or a unit's editor or reviewer."""
    return user.is_authenticated and (access.is_district_office(user) or access.is_unit_staff(user))


def requests_visible_to(user) -> QuerySet[InformationRequest]:
    """The one scoping rule for requests, used by the admin, its actions, forms and exports:
    the district office sees all; a unit's staff see the requests assigned to their unit."""
    requests = InformationRequest.objects.select_related("unit")
    if not can_handle_requests(user):
        return requests.none()
    if access.is_district_office(user):
        return requests
    return requests.filter(unit=access.unit_of(user))


def may_see_identity(user, request: InformationRequest) -> bool:
    return requests_visible_to(user).filter(pk=request.pk).exists()


def addressable_units() -> QuerySet[Unit]:
    """Units with a duty on column 五 依申请公开, named directly or through a collective."""
    column = Column.objects.filter(parent__isnull=True, number=REQUESTS_COLUMN_NUMBER).first()
    if column is None:
        return Unit.objects.none()
    return units_answering_for(column)


def assignable_units(user) -> QuerySet[Unit]:
    """Units the user may assign a request to: any addressable unit for the district office,
    only their own for a unit's staff."""
    units = addressable_units()
    if access.is_district_office(user):
        return units
    unit = access.unit_of(user)
    return units.filter(pk=unit.pk) if unit else units.none()


# --- Deadlines -----------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineStatus:
    due_on: dt.date | None
    working_days_left: int | None
    paused: bool
    provisional: bool = False
    days_paused: int | None = None  # calendar days since a consultation or fee notice stopped the clock

    @property
    def overdue(self) -> bool:
        return self.working_days_left is not None and self.working_days_left < 0

    @property
    def at_risk(self) -> bool:
        return self.working_days_left is not None and 0 <= self.working_days_left <= AT_RISK_WORKING_DAYS

    @property
    def label(self) -> str:
        if self.paused and self.due_on is None:
            return "暂停计时"
        paused = f"暂停计时中（已 {self.days_paused} 天），" if self.days_paused is not None else ""
        provisional = "，暂定" if self.provisional else ""
        if self.overdue:
            return f"{paused}已逾期 {-self.working_days_left} 个工作日{provisional}"
        if self.working_days_left is None:
            return ""
        return f"{paused}剩余 {self.working_days_left} 个工作日{provisional}"


def deadline_status(request: InformationRequest, *, today: dt.date, calendar: WorkCalendar) -> DeadlineStatus:
    """The deadline of an open request as a person reads it: due date, working days left, flags.
    Closed requests and requests waiting for the applicant's correction have no running clock.
    A request paused for a consultation still has a deadline (the pause is limited, 第三十二条)
    and shows how long it has been paused."""
    if not request.is_open:
        return DeadlineStatus(due_on=request.due_on, working_days_left=None, paused=False)
    if request.due_on is None:
        return DeadlineStatus(due_on=None, working_days_left=None, paused=True)
    return DeadlineStatus(
        due_on=request.due_on,
        working_days_left=calendar.between(today, request.due_on),
        paused=request.paused_since is not None,
        provisional=request.due_on_provisional,
        days_paused=(today - request.paused_since).days if request.paused_since else None,
    )


def at_risk_or_overdue(queryset: QuerySet[InformationRequest], *, today: dt.date, calendar: WorkCalendar):
    """Open requests due within `AT_RISK_WORKING_DAYS` working days, or overdue."""
    horizon = calendar.add(today, AT_RISK_WORKING_DAYS)
    return queryset.open().filter(due_on__lte=horizon)


# --- Annual report, table 三 (国办公开办函〔2021〕30号) --------------------------

# Columns in the order of the national table.
TABLE3_COLUMNS = (
    ("person", "自然人"),
    *((f"organisation_{kind.value}", kind.label) for kind in OrganisationType),
    ("total", "总计"),
)


def _column_key(applicant_kind: str, organisation_type: str) -> str:
    return "person" if applicant_kind == ApplicantKind.PERSON else f"organisation_{organisation_type}"


@dataclass
class Table3Row:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    level: int = 0  # 0: 一、二、四 and (七); 1: (一)–(六); 2: numbered sub-reasons

    def add(self, column: str, count: int) -> None:
        self.counts[column] = self.counts.get(column, 0) + count
        self.counts["total"] = self.counts.get("total", 0) + count

    def get(self, column: str) -> int:
        return self.counts.get(column, 0)

    @property
    def cells(self) -> list[int]:
        """The counts in the national table's column order."""
        return [self.get(column) for column, _ in TABLE3_COLUMNS]


@dataclass
class Table3:
    """三、收到和处理政府信息公开申请情况, for one year and one unit (or the district)."""

    year: int
    unit: Unit | None
    rows: list[Table3Row]

    def row(self, key: str) -> Table3Row:
        return next(row for row in self.rows if row.key == key)

    def invariant_errors(self) -> list[str]:
        """一 + 二 = 三(七) + 四, column by column."""
        errors = []
        for column, label in TABLE3_COLUMNS:
            left = self.row("new").get(column) + self.row("carried_in").get(column)
            right = self.row("processed_total").get(column) + self.row("carried_out").get(column)
            if left != right:
                errors.append(f"{label}：一 + 二 = {left}，三(七) + 四 = {right}")
        return errors

    @property
    def balanced(self) -> bool:
        return not self.invariant_errors()


def _outcome_rows() -> list[Table3Row]:
    numbers = "一二三四五六"
    rows = []
    for number, outcome in zip(numbers, Outcome):
        rows.append(Table3Row(key=outcome.value, label=f"（{number}）{outcome.label}", level=1))
        for position, reason in enumerate(OutcomeReason.for_outcome(outcome), start=1):
            rows.append(Table3Row(key=reason.value, label=f"{position}. {reason.label}", level=2))
    return rows


def _count_by_column(queryset, row: Table3Row) -> None:
    for values in queryset.values("applicant_kind", "organisation_type").annotate(n=Count("pk")).order_by():
        row.add(_column_key(values["applicant_kind"], values["organisation_type"]), values["n"])


def annual_report_table3(*, year: int, unit: Unit | None = None) -> Table3:
    """Count a year's requests as table 三 does.

    一 new: received in the year. 二 carried in: received earlier, not closed before 1 January.
    三 processed: closed in the year, by outcome (the row) and sub-reason (the numbered sub-row);
    逾期不补正 and 撤回 are closed with their 其他处理 rows. 四 carried out: received by
    31 December and not closed by then. So 一 + 二 = 三(七) + 四 holds by construction; the
    check is there to catch bad data (e.g. a closing date before receipt)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = InformationRequest.objects.for_unit(unit) if unit else InformationRequest.objects.all()

    new = Table3Row("new", "一、本年新收政府信息公开申请数量")
    _count_by_column(requests.filter(received_on__gte=first, received_on__lte=last), new)
    carried_in = Table3Row("carried_in", "二、上年结转政府信息公开申请数量")
    _count_by_column(
        requests.filter(received_on__lt=first).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first)), carried_in
    )

    outcome_rows = _outcome_rows()
    by_key = {row.key: row for row in outcome_rows}
    processed_total = Table3Row("processed_total", "（七）总计", level=1)
    closed = requests.filter(closed_on__gte=first, closed_on__lte=last).exclude(outcome="")
    for values in (
        closed.values("applicant_kind", "organisation_type", "outcome", "outcome_reason").annotate(n=Count("pk")).order_by()
    ):
        column = _column_key(values["applicant_kind"], values["organisation_type"])
        by_key[values["outcome"]].add(column, values["n"])
        if values["outcome_reason"]:
            by_key[values["outcome_reason"]].add(column, values["n"])
        processed_total.add(column, values["n"])

    carried_out = Table3Row("carried_out", "四、结转下年度继续办理")
    _count_by_column(
        requests.filter(received_on__lte=last).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=last)), carried_out
    )
    heading = Table3Row("processed", "三、本年度办理结果")
    return Table3(year=year, unit=unit, rows=[new, carried_in, heading, *outcome_rows, processed_total, carried_out])

