"""The figures of the annual report's tables 二 and 四 (国办公开办函〔2021〕30号), the checks
before publication, and which reports are still missing.

A unit's tables count its own data; the district government's (`unit=None`) count the whole
district, like table 三 (`annual_report_table3`)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from disclosure.models import Item, NormativeKind
from disclosure.requests.models import Outcome
from disclosure.requests.selectors import TABLE3_COLUMNS, annual_report_table3
from responsibility.models import Unit

from .models import AnnualReport, AppealCase, AppealKind, AppealResult, UnitReturn, publication_deadline

# --- Table 二 --------------------------------------------------------------------------

TABLE2_DOCUMENT_COLUMNS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
TABLE2_DECISIONS = (("licences", "行政许可"), ("penalties", "行政处罚"), ("coercions", "行政强制"))


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first moments of `year` and of the next one, in Beijing time."""
    zone = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def table2(*, year: int, unit: Unit | None = None) -> dict:
    """二、主动公开政府信息情况.

    Documents from the 政府文件库 (published or later withdrawn normative items): 本年制发 —
    first published in the year; 本年废止 — marked 废止 with a date in the year; 现行有效 —
    published by 31 December and not 失效/废止 by then. An item without a kind counts as a
    行政规范性文件 (what a district's bodies issue). Decisions and fees: the units' approved
    yearly returns."""
    start, end = _year_bounds(year)
    last = dt.date(year, 12, 31)
    documents = Item.objects.normative().filter(state__in=(Item.State.PUBLISHED, Item.State.WITHDRAWN))
    if unit is not None:
        documents = documents.filter(unit=unit)
    rows = {}
    for kind in NormativeKind:
        of_kind = documents.filter(
            Q(normative_kind=kind) | (Q(normative_kind="") if kind == NormativeKind.NORMATIVE_DOCUMENT else Q(pk=None))
        )
        counts = of_kind.aggregate(
            issued=Count("pk", filter=Q(published_at__gte=start, published_at__lt=end)),
            repealed=Count("pk", filter=Q(validity=Item.Validity.REPEALED, validity_since__year=year)),
            in_force=Count(
                "pk",
                filter=Q(published_at__lt=end, state=Item.State.PUBLISHED)
                & (Q(validity=Item.Validity.VALID) | Q(validity_since__gt=last)),
            ),
        )
        rows[kind.value] = {"label": kind.label, **counts}
    returns = UnitReturn.objects.approved().for_year(year)
    if unit is not None:
        returns = returns.filter(unit=unit)
    totals = returns.aggregate(
        licences=Sum("licences"), penalties=Sum("penalties"), coercions=Sum("coercions"), fees=Sum("fees")
    )
    for key, label in TABLE2_DECISIONS:
        rows[key] = {"label": label, "decisions": totals[key] or 0}
    rows["fees"] = {"label": "行政事业性收费", "amount": str((totals["fees"] or Decimal(0)).quantize(Decimal("0.0001")))}
    return rows


# --- Table 四 --------------------------------------------------------------------------

TABLE4_RESULTS = tuple((result.value, result.label) for result in AppealResult) + (("total", "总计"),)


def table4(*, year: int, unit: Unit | None = None) -> dict[str, dict[str, int]]:
    """四、政府信息公开行政复议、行政诉讼情况: {kind: {result: n, …, "total": n}}.

    A case counts in the year it is decided, under its result; one filed by 31 December and
    not decided by then counts as 尚未审结."""
    last = dt.date(year, 12, 31)
    cases = AppealCase.objects.counted_in(year)
    if unit is not None:
        cases = cases.filter(unit=unit)
    table = {kind.value: {result: 0 for result, _ in TABLE4_RESULTS} for kind in AppealKind}
    for case in cases.values("kind", "result", "decided_on"):
        result = AppealResult.PENDING if case["decided_on"] is None or case["decided_on"] > last else case["result"]
        table[case["kind"]][result] += 1
        table[case["kind"]]["total"] += 1
    return table


# --- The report's tables and the checks ---------------------------------------------


def table3_data(*, year: int, unit: Unit | None) -> dict:
    table = annual_report_table3(year=year, unit=unit)
    return {
        "columns": [label for _, label in TABLE3_COLUMNS],
        "rows": [
            {"key": row.key, "label": row.label, "level": row.level, "cells": None if row.key == "processed" else row.cells}
            for row in table.rows
        ],
    }


def report_tables(*, year: int, unit: Unit | None) -> dict:
    """All three tables as plain data (what a report freezes at submission)."""
    return {
        "table2": table2(year=year, unit=unit),
        "table3": table3_data(year=year, unit=unit),
        "table4": table4(year=year, unit=unit),
    }


def current_tables(report: AnnualReport) -> dict:
    """The frozen tables once submitted; computed live while a draft."""
    if report.tables and report.state != AnnualReport.State.DRAFT:
        return report.tables
    return report_tables(year=report.year, unit=report.unit)


@dataclass(frozen=True)
class Finding:
    level: str  # "error" blocks submission and publication, "warning" is for the reviewer
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == "error"


OUTCOME_KEYS = tuple(outcome.value for outcome in Outcome)
# Above these a unit's figure is more likely a typo than a year's work.
IMPLAUSIBLE_DECISIONS = 100_000
IMPLAUSIBLE_FEES_WAN = Decimal("100000")  # ¥1,000,000,000
YOY_FACTOR = 3  # "more than three times or less than a third of last year's"


def _table3_rows(tables: dict) -> dict[str, list[int]]:
    return {row["key"]: row["cells"] for row in tables["table3"]["rows"] if row["cells"] is not None}


def table_findings(tables: dict, previous: dict | None = None) -> list[Finding]:
    """Checks before publication: the table-三 invariant (一 + 二 = 三(七) + 四), totals equal
    the sums of their parts, year-on-year changes against the previous report, and values too
    large to be plausible."""
    findings = []
    rows = _table3_rows(tables)
    columns = tables["table3"]["columns"]
    for index, label in enumerate(columns):
        left = rows["new"][index] + rows["carried_in"][index]
        right = rows["processed_total"][index] + rows["carried_out"][index]
        if left != right:
            findings.append(Finding("error", f"表三“{label}”列：一 + 二 = {left}，三(七) + 四 = {right}，不相等。"))
    labels = {row["key"]: row["label"] for row in tables["table3"]["rows"]}
    for key, cells in rows.items():
        if cells[-1] != sum(cells[:-1]):
            findings.append(Finding("error", f"表三“{labels[key]}”行：总计 {cells[-1]} 不等于各列之和 {sum(cells[:-1])}。"))
    for index, label in enumerate(columns):
        total = sum(rows[outcome][index] for outcome in OUTCOME_KEYS)
        if total != rows["processed_total"][index]:
            findings.append(Finding("error", f"表三“{label}”列：（一）至（六）之和 {total} 不等于（七）总计。"))
        for outcome in ("withheld", "unavailable", "not_processed", "other"):
            parts = sum(cells[index] for key, cells in rows.items() if key.startswith(f"{outcome}_"))
            if parts != rows[outcome][index]:
                findings.append(Finding("error", f"表三“{label}”列：{labels[outcome]}各具体情形之和 {parts} 不等于其合计 {rows[outcome][index]}。"))
    for kind, cells in tables["table4"].items():
        parts = sum(value for key, value in cells.items() if key != "total")
        if parts != cells["total"]:
            findings.append(Finding("error", f"表四“{AppealKind(kind).label}”：总计 {cells['total']} 不等于各项之和 {parts}。"))
    table2_rows = tables["table2"]
    for key, label in TABLE2_DECISIONS:
        if table2_rows[key]["decisions"] > IMPLAUSIBLE_DECISIONS:
            findings.append(Finding("warning", f"表二“{label}”{table2_rows[key]['decisions']} 件，数值异常偏大，请核实。"))
    if Decimal(table2_rows["fees"]["amount"]) > IMPLAUSIBLE_FEES_WAN:
        findings.append(Finding("warning", f"表二行政事业性收费 {table2_rows['fees']['amount']} 万元，数值异常偏大，请核实单位（万元）。"))
    if previous:
        old_rows = _table3_rows(previous)
        comparisons = [("表三 一、本年新收申请", rows["new"][-1], old_rows.get("new", [0])[-1])]
        comparisons += [
            (f"表二 {label}", table2_rows[key]["decisions"], previous["table2"].get(key, {}).get("decisions", 0))
            for key, label in TABLE2_DECISIONS
        ]
        for label, now, before in comparisons:
            if before and (now > before * YOY_FACTOR or now * YOY_FACTOR < before):
                findings.append(Finding("warning", f"{label}：本年 {now}，上年 {before}，变化超过 {YOY_FACTOR} 倍，请核实并在正文中说明。"))
        carried = previous and old_rows.get("carried_out")
        if carried and carried[-1] != rows["carried_in"][-1]:
            findings.append(Finding(
                "warning", f"表三 二、上年结转 {rows['carried_in'][-1]} 件，与上年年报 四、结转下年度 {carried[-1]} 件不一致。"
            ))  # fmt: skip
    return findings


def previous_report(report: AnnualReport) -> AnnualReport | None:
    return AnnualReport.objects.published().filter(unit=report.unit, year=report.year - 1).first()


def report_findings(report: AnnualReport) -> list[Finding]:
    previous = previous_report(report)
    return table_findings(current_tables(report), previous.tables if previous else None)


# --- The office's overview ------------------------------------------------------------


@dataclass
class ReportStatus:
    unit: Unit | None
    report: AnnualReport | None
    deadline: dt.date

    @property
    def issuer(self) -> str:
        return str(self.unit) if self.unit else "芙蓉区人民政府"

    @property
    def published(self) -> bool:
        return self.report is not None and self.report.state == AnnualReport.State.PUBLISHED

    def late(self, today: dt.date) -> bool:
        return not self.published and today > self.deadline


def report_statuses(*, year: int) -> list[ReportStatus]:
    """Every active unit and the district government with its report on `year`, if any, and
    the day it is due (31 January / 31 March of the next year, 条例 第四十九条). Two queries."""
    reports = {report.unit_id: report for report in AnnualReport.objects.filter(year=year).select_related("item")}
    statuses = [ReportStatus(unit=None, report=reports.get(None), deadline=publication_deadline(year, None))]
    statuses += [
        ReportStatus(unit=unit, report=reports.get(unit.pk), deadline=publication_deadline(year, unit))
        for unit in Unit.objects.filter(is_active=True).order_by("order", "name")
    ]
    return statuses


# --- The national layout of table 三 ----------------------------------------------------


@dataclass
class LayoutCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def table3_layout(table3: dict) -> list[tuple[list[LayoutCell], list[int] | None]]:
    """Table 三's rows as the national form prints them: three label columns — 一/二/三/四,
    then (一)–(七) under 三, then the numbered sub-reasons — each row with its figures."""
    rows = table3["rows"]
    heading_index = next(index for index, row in enumerate(rows) if row["key"] == "processed")
    outcome_rows = rows[heading_index + 1 :]
    processed_count = next(index for index, row in enumerate(outcome_rows) if row["key"] == "processed_total") + 1
    layout = []
    for row in rows[:heading_index]:
        layout.append(([LayoutCell(row["label"], colspan=3)], row["cells"]))
    heading = LayoutCell(rows[heading_index]["label"])
    block: list[tuple[list[LayoutCell], list[int] | None]] = []
    position = 0
    while position < processed_count:
        row = outcome_rows[position]
        reasons = []
        while position + 1 + len(reasons) < processed_count and outcome_rows[position + 1 + len(reasons)]["level"] == 2:
            reasons.append(outcome_rows[position + 1 + len(reasons)])
        if reasons:
            block.append(([LayoutCell(row["label"], rowspan=len(reasons)), LayoutCell(reasons[0]["label"])], reasons[0]["cells"]))
            block.extend(([LayoutCell(reason["label"])], reason["cells"]) for reason in reasons[1:])
            position += 1 + len(reasons)
        else:
            block.append(([LayoutCell(row["label"], colspan=2)], row["cells"]))
            position += 1
    heading.rowspan = len(block)
    block[0][0].insert(0, heading)
    layout.extend(block)
    for row in outcome_rows[processed_count:]:
        layout.append(([LayoutCell(row["label"], colspan=3)], row["cells"]))
    return layout


@dataclass
class ReportOverview:
    year: int
    missing: list[ReportStatus]
    late: list[ReportStatus]


def report_overview(today: dt.date) -> ReportOverview:
    """Last year's reports for the office's dashboard: who has not published, who is past the
    31 January / 31 March deadline."""
    year = today.year - 1
    statuses = report_statuses(year=year)
    missing = [status for status in statuses if not status.published]
    return ReportOverview(year=year, missing=missing, late=[status for status in missing if status.late(today)])
