"""社会评议 results: by period (quarter) and by top-level column, for the office's dashboard,
its xlsx export and the annual report. A fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q

from responsibility.models import Column

from .models import SATISFIED_FROM, Evaluation, SectionScore


@dataclass
class SectionResult:
    column: Column
    count: int = 0
    average: Decimal | None = None
    satisfied_percent: int | None = None


@dataclass
class PeriodResult:
    period: str
    count: int = 0
    timeliness: Decimal | None = None
    findability: Decimal | None = None
    comments: int = 0
    sections: list[SectionResult] = field(default_factory=list)


def _one_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> int | None:
    return None if not whole else int((Decimal(part) * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def periods_of_year(year: int) -> list[str]:
    return [f"{year}Q{quarter}" for quarter in range(1, 5)]


def recent_periods(today: datetime.date, count: int = 4) -> list[str]:
    """The `count` quarters up to and including today's, oldest first."""
    index = today.year * 4 + (today.month - 1) // 3
    return [f"{i // 4}Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def evaluation_results(periods: list[str]) -> list[PeriodResult]:
    """One result per period (in the order given) plus, last, the periods together ("合计")."""
    columns = list(Column.objects.roots().order_by("order"))
    evaluations = Evaluation.objects.filter(period__in=periods)
    per_period = {
        row["period"]: row
        for row in evaluations.values("period").annotate(
            count=Count("pk"), timeliness=Avg("timeliness"), findability=Avg("findability"),
            comments=Count("pk", filter=~Q(comment="")),
        )
    }  # fmt: skip
    totals = evaluations.aggregate(
        count=Count("pk"), timeliness=Avg("timeliness"), findability=Avg("findability"), comments=Count("pk", filter=~Q(comment=""))
    )
    scores = {
        (row["evaluation__period"], row["column"]): row
        for row in SectionScore.objects.filter(evaluation__period__in=periods)
        .values("evaluation__period", "column")
        .annotate(count=Count("pk"), average=Avg("satisfaction"), satisfied=Count("pk", filter=Q(satisfaction__gte=SATISFIED_FROM)))
    }

    def sections(keys) -> list[SectionResult]:
        results = []
        for column in columns:
            rows = [scores[(period, column.pk)] for period in keys if (period, column.pk) in scores]
            count = sum(row["count"] for row in rows)
            total = sum(row["average"] * row["count"] for row in rows)
            satisfied = sum(row["satisfied"] for row in rows)
            results.append(
                SectionResult(column=column, count=count, average=_one_decimal(total / count) if count else None,
                              satisfied_percent=_percent(satisfied, count))
            )  # fmt: skip
        return results

    results = []
    for period in periods:
        row = per_period.get(period, {})
        results.append(
            PeriodResult(
                period=period, count=row.get("count", 0), timeliness=_one_decimal(row.get("timeliness")),
                findability=_one_decimal(row.get("findability")), comments=row.get("comments", 0), sections=sections([period]),
            )
        )  # fmt: skip
    results.append(
        PeriodResult(
            period="合计", count=totals["count"], timeliness=_one_decimal(totals["timeliness"]),
            findability=_one_decimal(totals["findability"]), comments=totals["comments"], sections=sections(periods),
        )
    )  # fmt: skip
    return results


def annual_report_sections(year: int) -> dict[str, str]:
    """Text for the annual report (国办公开办函〔2021〕30号): 五、存在的主要问题及改进情况 names
    the sections the public rated lowest; 六、其他需要报告的事项 reports the results."""
    total = evaluation_results(periods_of_year(year))[-1]
    if not total.count:
        nothing = f"{year}年度门户网站社会评议未收到评议。"
        return {"five": nothing, "six": nothing}
    rated = [s for s in total.sections if s.count]
    parts = "；".join(f"“{s.column.title}”满意率 {s.satisfied_percent}%（{s.count} 人评价，平均 {s.average} 分）" for s in rated)
    six = (
        f"开展政务公开社会评议。{year}年度通过门户网站收到社会评议 {total.count} 份，"
        f"信息发布及时性平均 {total.timeliness} 分、查找信息便捷性平均 {total.findability} 分（满分 5 分）；"
        f"各栏目满意度：{parts or '无栏目评价'}；收到意见建议 {total.comments} 条。"
    )
    lowest = sorted(rated, key=lambda s: (s.satisfied_percent, s.average))[:2]
    five = (
        "社会评议反映，" + "、".join(f"“{s.column.title}”（满意率 {s.satisfied_percent}%）" for s in lowest)
        + "的满意度相对较低，下一步将针对评议意见加强相关栏目的信息发布和更新。"
        if lowest else six
    )  # fmt: skip
    return {"five": five, "six": six}


def recent_comments(periods: list[str], limit: int = 50):
    return Evaluation.objects.filter(period__in=periods).exclude(comment="").only("pk", "period", "submitted_at", "comment")[:limit]
