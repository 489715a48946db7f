"""Writes for the annual report: the units' returns (table 二), the 复议/诉讼 cases (table 四),
and the report from draft to publication.

The report is reviewed like an item — whoever wrote it cannot approve it — and published as
an item in its 年报 column through `disclosure.services`, so it gets its 索引号, revision
history, audit record and search entry the same way as everything else."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from disclosure import services as item_services
from disclosure.models import Genre
from furong_portal.pagecache import public_pages_changed
from responsibility import access
from responsibility.models import Column, Unit

from .models import AnnualReport, AppealCase, ReviewState, UnitReturn
from .selectors import report_findings, report_tables

RETURN_FIGURES = ("licences", "penalties", "coercions", "fees", "note")
NARRATIVE_FIELDS = ("overview", "proactive_note", "requests_note", "appeals_note", "problems", "other_matters")
APPEAL_FIELDS = ("unit", "request", "kind", "case_number", "filed_on", "decided_on", "result", "note")
REPORTS_COLUMN_TITLE = "政府信息公开年报"


class ReportError(ValidationError):
    """A step the rules do not allow, with a message for the person acting."""


def _may_act_for(actor, unit: Unit | None) -> bool:
    """The district office acts for every unit and the district government; a unit's staff for their unit."""
    if access.is_district_office(actor):
        return True
    return unit is not None and access.unit_of(actor) == unit


def _full_clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ReportError("；".join(error.messages)) from error


# --- Table 二: the units' yearly returns -----------------------------------------------


@transaction.atomic
def unit_return_save(*, actor, unit: Unit, year: int, data: dict[str, Any]) -> UnitReturn:
    """A unit enters (or corrects, until approved) its figures for `year`."""
    if not _may_act_for(actor, unit) or not actor.has_perm("reports.change_unitreturn"):
        raise PermissionDenied("只能填报本单位的年报数据。")
    unknown = set(data) - set(RETURN_FIGURES)
    if unknown:
        raise ValueError(f"Not return fields: {', '.join(sorted(unknown))}")
    entry, _ = UnitReturn.objects.select_for_update().get_or_create(unit=unit, year=year)
    if entry.state in (ReviewState.SUBMITTED, ReviewState.APPROVED):
        raise ReportError(f"{entry}的数据已{entry.get_state_display()}，不能再修改；如需更正请区政务公开办退回。")
    for name, value in data.items():
        setattr(entry, name, value)
    try:
        entry.fees = Decimal(str(entry.fees))
    except InvalidOperation as error:
        raise ReportError("收费金额应为数字（万元）。") from error
    entry.state = ReviewState.DRAFT
    entry.submitted_by = actor
    _full_clean(entry)
    entry.save()
    return entry


@transaction.atomic
def unit_return_submit(*, actor, entry: UnitReturn) -> UnitReturn:
    entry = UnitReturn.objects.select_for_update().get(pk=entry.pk)
    if not _may_act_for(actor, entry.unit):
        raise PermissionDenied("只能报送本单位的年报数据。")
    if entry.state not in (ReviewState.DRAFT, ReviewState.RETURNED):
        raise ReportError(f"{entry}的数据当前为“{entry.get_state_display()}”，不能报送。")
    entry.state = ReviewState.SUBMITTED
    entry.submitted_by = actor
    entry.save(update_fields=["state", "submitted_by", "updated_at"])
    return entry


@transaction.atomic
def unit_return_review(*, actor, entry: UnitReturn, approve: bool, comment: str = "") -> UnitReturn:
    """The district office approves a submitted return (its figures then count in table 二) or
    returns it with a reason."""
    if not access.is_district_office(actor):
        raise PermissionDenied("年报数据由区政务公开办审核。")
    entry = UnitReturn.objects.select_for_update().get(pk=entry.pk)
    if entry.state != ReviewState.SUBMITTED:
        raise ReportError("只有待审核的年报数据可以审核。")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ReportError("退回须写明原因。")
    entry.state = ReviewState.APPROVED if approve else ReviewState.RETURNED
    entry.review_comment = comment
    entry.reviewed_by = actor
    entry.save(update_fields=["state", "review_comment", "reviewed_by", "updated_at"])
    return entry


# --- Table 四: 复议 and 诉讼 cases ------------------------------------------------------


@transaction.atomic
def appeal_case_save(*, actor, case: AppealCase | None = None, data: dict[str, Any]) -> AppealCase:
    """Record or update a 行政复议/行政诉讼 case arising from disclosure."""
    unknown = set(data) - set(APPEAL_FIELDS)
    if unknown:
        raise ValueError(f"Not case fields: {', '.join(sorted(unknown))}")
    case = AppealCase.objects.select_for_update().get(pk=case.pk) if case and case.pk else AppealCase(created_by=actor)
    if case.pk and not _may_act_for(actor, case.unit):
        raise PermissionDenied("只能登记本单位的复议诉讼案件。")
    for name, value in data.items():
        setattr(case, name, value)
    if not case.unit_id or not _may_act_for(actor, case.unit):
        raise PermissionDenied("只能登记本单位的复议诉讼案件。")
    if case.request_id and case.request.unit_id != case.unit_id:
        raise ReportError("相关申请须是本单位办理的申请。")
    _full_clean(case)
    case.save()
    return case


# --- The report ----------------------------------------------------------------------


def report_columns() -> Column | None:
    """The 年报 column (四、政府信息公开年报) whose sub-columns take reports."""
    return Column.objects.filter(parent__isnull=True, title=REPORTS_COLUMN_TITLE).first()


def _require_report_column(column: Column) -> None:
    root = report_columns()
    if root is None or column.pk != root.pk and column.parent_id != root.pk:
        raise ReportError(f"年报只能发布在“{REPORTS_COLUMN_TITLE}”栏目及其子栏目中。")


@transaction.atomic
def report_draft(*, actor, unit: Unit | None, year: int, column: Column, narrative: dict[str, str]) -> AnnualReport:
    """Start the report of `unit` (None: the district government) on `year`."""
    if not _may_act_for(actor, unit) or not actor.has_perm("reports.add_annualreport"):
        raise PermissionDenied("区人民政府年报由区政务公开办撰写；单位只能撰写本单位的年报。")
    if year >= timezone.localdate().year:
        raise ReportError(f"{year}年尚未结束，不能撰写该年度的年报。")
    if AnnualReport.objects.filter(unit=unit, year=year).exists():
        raise ReportError(f"{unit or '区人民政府'}{year}年的年报已经存在。")
    _require_report_column(column)
    report = AnnualReport(unit=unit, year=year, column=column, created_by=actor)
    return _narrative_apply(report, narrative)


def _narrative_apply(report: AnnualReport, narrative: dict[str, str]) -> AnnualReport:
    unknown = set(narrative) - set(NARRATIVE_FIELDS)
    if unknown:  # the tables, among others, are not for typing
        raise ReportError(f"年报中以下内容由系统生成，不能手工填写：{'、'.join(sorted(unknown))}")
    for name, value in narrative.items():
        setattr(report, name, (value or "").strip())
    _full_clean(report)
    report.save()
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update(of=("self",)).select_related("unit", "column").get(pk=report.pk)


@transaction.atomic
def report_update(*, actor, report: AnnualReport, narrative: dict[str, str]) -> AnnualReport:
    """Edit the narrative sections of a draft or returned report."""
    report = _locked(report)
    if not _may_act_for(actor, report.unit) or not actor.has_perm("reports.change_annualreport"):
        raise PermissionDenied("您不能修改该年报。")
    if report.state not in (AnnualReport.State.DRAFT, AnnualReport.State.RETURNED):
        raise ReportError("已提交审核或已发布的年报不能修改。")
    return _narrative_apply(report, narrative)


def _errors(report: AnnualReport) -> None:
    errors = [finding.message for finding in report_findings(report) if finding.is_error]
    if errors:
        raise ReportError("统计表校验未通过：" + "；".join(errors))


@transaction.atomic
def report_submit(*, actor, report: AnnualReport) -> AnnualReport:
    """Freeze the tables as computed now and send the report for review."""
    report = _locked(report)
    if not _may_act_for(actor, report.unit) or not actor.has_perm("reports.change_annualreport"):
        raise PermissionDenied("您不能提交该年报。")
    if report.state not in (AnnualReport.State.DRAFT, AnnualReport.State.RETURNED):
        raise ReportError("只有草稿或退回的年报可以提交审核。")
    report.tables = report_tables(year=report.year, unit=report.unit)
    report.state = AnnualReport.State.PENDING
    _errors(report)
    report.save(update_fields=["tables", "state", "updated_at"])
    return report


def _require_reviewer(actor, report: AnnualReport) -> None:
    """Four eyes: the unit's reviewer or the district office, never the report's author;
    the district government's report only by the office."""
    if actor.pk == report.created_by_id:
        raise PermissionDenied("撰写人不能审核自己撰写的年报。")
    if report.unit is None and not access.is_district_office(actor):
        raise PermissionDenied("区人民政府年报由区政务公开办审核。")
    if not (_may_act_for(actor, report.unit) and actor.has_perm("disclosure.review_item")):
        raise PermissionDenied("您不能审核该年报。")


@transaction.atomic
def report_return(*, actor, report: AnnualReport, reason: str) -> AnnualReport:
    report = _locked(report)
    _require_reviewer(actor, report)
    if report.state != AnnualReport.State.PENDING:
        raise ReportError("只有待审核的年报可以退回。")
    if not (reason or "").strip():
        raise ReportError("退回须写明原因。")
    report.state = AnnualReport.State.RETURNED
    report.review_comment = reason.strip()
    report.reviewed_by = actor
    report.save(update_fields=["state", "review_comment", "reviewed_by", "updated_at"])
    return report


def report_html(report: AnnualReport) -> str:
    """The published text: sections 一 to 六 with the three tables in the national layout."""
    from .selectors import TABLE2_DECISIONS, TABLE4_RESULTS

    return render_to_string(
        "reports/snippets/report_body.html",
        {"report": report, "tables": report.tables, "decisions": TABLE2_DECISIONS, "results": TABLE4_RESULTS},
    )


@transaction.atomic
def report_publish(*, actor, report: AnnualReport, secrecy_confirmed: bool) -> AnnualReport:
    """Approve a pending report and publish it as an item of its 年报 column: written by the
    report's author, approved by `actor` through the item workflow (with its 保密审查
    confirmation and pre-publication checks)."""
    report = _locked(report)
    _require_reviewer(actor, report)
    if report.state != AnnualReport.State.PENDING:
        raise ReportError("只有待审核的年报可以发布。")
    _errors(report)
    author = report.created_by
    publisher = report.unit or _column_unit(report.column)
    item = item_services.item_create(
        actor=author,
        column=report.column,
        unit=publisher,
        data={"title": report.title, "genre": Genre.REPORT, "body": report_html(report), "written_on": timezone.localdate()},
    )
    item_services.item_submit(actor=author, item=item)
    item = item_services.item_publish(actor=actor, item=item, secrecy_confirmed=secrecy_confirmed)
    # item_publish already renews the page cache; the report's own public download changes too.
    public_pages_changed()
    report.item = item
    report.state = AnnualReport.State.PUBLISHED
    report.reviewed_by = actor
    report.review_comment = ""
    _full_clean(report)
    report.save()
    return report


def _column_unit(column: Column) -> Unit:
    """The unit that publishes the district government's report: the one answering for its column."""
    unit = Unit.objects.filter(is_active=True, duties__column=column).order_by("order", "name").first()
    if unit is None:
        raise ReportError(f"栏目“{column}”没有责任单位，无法确定区人民政府年报的发布机构。")
    return unit
