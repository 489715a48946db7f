"""Column freshness (内容保障) and the inspection risk it implies.

国办秘函〔2019〕19号 (政府网站与政务新媒体检查指标) fails a government site outright when
≥5 动态/要闻 columns are not updated within 2 weeks or 通知公告/政策文件 columns within
6 months, when ≥10 columns that should update do not, when ≥5 columns are empty, or
when the home page has not been updated for 2 weeks.

A column's freshness is measured from the newest published item in its subtree. The
columns assessed are those someone publishes into: leaves, and any column that carries
a duty itself. A heading such as 法定主动公开内容 only groups its children; counting it as
well would count the same gap twice.

The 基层政务公开标准目录 (国办发〔2019〕54号) feeds in too: an entry whose 公开时限 is a
period (每季度, 每年 …, `CatalogueEntry.cycle_days`) makes its column stale once that
period passes without a publication, if that is sooner than the column's own
update requirement; the office's view shows each column's 公开时限 beside it."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max
from django.utils import timezone

from disclosure.models import Item
from responsibility.answering import column_answering_units
from responsibility.catalogue.models import CatalogueEntry
from responsibility.models import Column, Freshness, Unit

# 国办秘函〔2019〕19号 thresholds.
STALE_COLUMNS_LIMIT = 5
SHOULD_UPDATE_COLUMNS_LIMIT = 10
EMPTY_COLUMNS_LIMIT = 5
HOME_STALE_AFTER_DAYS = 14
# The cycles the "≥5 stale columns" rule counts; the "≥10" rule counts every cycle.
SHORT_CYCLES = (Column.UpdateCycle.NEWS, Column.UpdateCycle.NOTICES)


@dataclass
class ColumnFreshness:
    column: Column
    path: str
    item_count: int
    last_published_at: datetime | None
    days_since: int | None
    status: str
    assessed: bool
    units: list[Unit]
    today: date
    # The shortest period among the column's 标准目录 entries (定期公开周期), and their 公开时限.
    cycle_days: int | None = None
    time_limits: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return Freshness(self.status).label

    @property
    def days_over(self) -> int | None:
        if self.status != Freshness.STALE:
            return None
        return (self.today - self.fresh_until).days

    @property
    def fresh_until(self) -> date | None:
        """The last day the column counts as updated: the sooner of its own 19号 requirement
        and its 标准目录 period; None for an empty column or one updated on change."""
        if self.last_published_at is None:
            return None
        return self.column.fresh_until(timezone.localdate(self.last_published_at), cycle_days=self.cycle_days)

    @property
    def requirement(self) -> str:
        """The rule in words, the 标准目录's period included when it is the sooner one."""
        if self.cycle_days is None:
            return self.column.update_requirement
        if self.column.stale_after_days is None:
            return f"{self.cycle_days} 天内（标准目录）"
        return f"{self.column.update_requirement}，标准目录 {self.cycle_days} 天内"


@dataclass
class RiskRule:
    label: str
    threshold: int
    columns: list[ColumnFreshness]

    @property
    def count(self) -> int:
        return len(self.columns)

    @property
    def failing(self) -> bool:
        return self.count >= self.threshold

    @property
    def to_fix(self) -> int:
        """How many of its columns must be brought up to date to pass again."""
        return max(self.count - self.threshold + 1, 0)

    @property
    def units(self) -> list[tuple[Unit, int]]:
        """The units whose columns count here, the most columns first."""
        counter = Counter(unit for entry in self.columns for unit in entry.units)
        return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0].order, pair[0].name))


@dataclass
class InspectionRisk:
    rules: list[RiskRule]
    home_last_published_at: datetime | None
    home_days_since: int | None

    @property
    def home_failing(self) -> bool:
        return self.home_days_since is None or self.home_days_since > HOME_STALE_AFTER_DAYS

    @property
    def failing(self) -> bool:
        return self.home_failing or any(rule.failing for rule in self.rules)


@dataclass
class FreshnessReport:
    today: date
    columns: list[ColumnFreshness]
    unit_columns: dict[int, list[ColumnFreshness]] = field(default_factory=dict)

    @property
    def assessed(self) -> list[ColumnFreshness]:
        return [entry for entry in self.columns if entry.assessed]

    @property
    def empty(self) -> list[ColumnFreshness]:
        return [entry for entry in self.assessed if entry.status == Freshness.EMPTY]

    @property
    def stale(self) -> list[ColumnFreshness]:
        return sorted(
            (entry for entry in self.assessed if entry.status == Freshness.STALE), key=lambda e: -e.days_over
        )

    def for_unit(self, unit: Unit) -> list[ColumnFreshness]:
        return self.unit_columns.get(unit.pk, [])

    def risk(self) -> InspectionRisk:
        newest = max((entry.last_published_at for entry in self.columns if entry.last_published_at), default=None)
        return InspectionRisk(
            rules=[
                RiskRule(
                    "动态类栏目超过2周、通知公告/政策文件类栏目超过6个月未更新",
                    STALE_COLUMNS_LIMIT,
                    [entry for entry in self.stale if entry.column.update_cycle in SHORT_CYCLES],
                ),
                RiskRule("应更新而未更新的栏目", SHOULD_UPDATE_COLUMNS_LIMIT, self.stale),
                RiskRule("空白栏目", EMPTY_COLUMNS_LIMIT, self.empty),
            ],
            home_last_published_at=newest,
            home_days_since=_days_between(newest, self.today),
        )


def _days_between(moment: datetime | None, today: date) -> int | None:
    return None if moment is None else (today - timezone.localdate(moment)).days


def column_freshness(*, today: date | None = None, now: datetime | None = None) -> FreshnessReport:
    """Freshness of every column as of `today`, from six queries whatever the size."""
    today = today or timezone.localdate()
    columns = list(Column.objects.order_by("level", "order"))
    by_id = {column.pk: column for column in columns}
    children = defaultdict(list)
    for column in columns:
        if column.parent_id:
            children[column.parent_id].append(column.pk)
    own = {
        row["column_id"]: (row["count"], row["last"])
        for row in Item.objects.published(now=now)
        .order_by()
        .values("column_id")
        .annotate(count=Count("pk"), last=Max("published_at"))
    }
    responsible = column_answering_units()
    time_limits: dict[int, dict[str, None]] = defaultdict(dict)
    cycles: dict[int, int] = {}
    for column_id, time_limit, cycle_days in CatalogueEntry.objects.values_list("column_id", "time_limit", "cycle_days"):
        time_limits[column_id][time_limit] = None
        if cycle_days:
            cycles[column_id] = min(cycle_days, cycles.get(column_id, cycle_days))

    subtree: dict[int, tuple[int, datetime | None]] = {}

    def measure(column_id: int) -> tuple[int, datetime | None]:
        if column_id not in subtree:
            count, last = own.get(column_id, (0, None))
            for child_id in children[column_id]:
                child_count, child_last = measure(child_id)
                count += child_count
                last = max(filter(None, (last, child_last)), default=None)
            subtree[column_id] = (count, last)
        return subtree[column_id]

    entries = []
    for column in columns:
        count, last = measure(column.pk)
        entry = ColumnFreshness(
            column=column,
            path=" › ".join(_ancestry(column, by_id)),
            item_count=count,
            last_published_at=last,
            days_since=_days_between(last, today),
            status=Freshness.EMPTY,
            assessed=not children[column.pk] or column.pk in responsible,
            units=responsible.get(column.pk, []),
            today=today,
            cycle_days=cycles.get(column.pk),
            time_limits=list(time_limits[column.pk]),
        )
        entry.status = column.freshness_on(last, today=today, cycle_days=entry.cycle_days)
        entries.append(entry)
    report = FreshnessReport(today=today, columns=entries)
    for entry in report.assessed:
        for unit in entry.units:
            report.unit_columns.setdefault(unit.pk, []).append(entry)
    return report


def _ancestry(column: Column, by_id: dict[int, Column]) -> list[str]:
    titles = []
    while column is not None:
        titles.append(column.title)
        column = by_id.get(column.parent_id)
    return titles[::-1]
