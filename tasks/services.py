"""Writes to the work points, their tasks, progress reports and reviews."""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone

from disclosure.uploads import validate_attachment
from responsibility.models import Unit
from responsibility.services import party_reference

from .freshness import Freshness, column_freshness
from .models import (
    AT_RISK_DAYS,
    EvidenceFile,
    PlanDocument,
    ProgressReport,
    Reminder,
    Task,
    TaskReview,
    WorkPoint,
    WorkPointParty,
    WorkPointSetting,
    check_due_on,
)
from .selectors import evidence_items_for, unit_reminder_tasks

_ROLE_WORDS = {label: value for value, label in WorkPointParty.Role.choices}
# "区A、区B等部门牵头" — names, an optional "等部门" (and other departments), the role.
_GROUP = re.compile(r"^(?P<names>.+?)(?:等部门)?(?P<role>按职责分工负责|牵头|负责|落实)$")


def units_clause_parse(clause: str) -> list[tuple[str, str]]:
    """[(printed name, role)] of a closing clause such as
    "区数据资源中心牵头，隆平高科技园、各街道、区直各有关单位负责"."""
    parsed = []
    for group in filter(None, re.split(r"[，,]", clause.strip())):
        match = _GROUP.match(group.strip())
        if not match:
            raise ValidationError(f"无法识别责任单位括注中的“{group}”：每组应以 牵头/负责/落实/按职责分工负责 结尾。")
        parsed.extend((name, _ROLE_WORDS[match["role"]]) for name in match["names"].split("、"))
    return parsed


@transaction.atomic
def work_point_parties_replace(*, work_point: WorkPoint, units_clause: str) -> list[WorkPointParty]:
    """Set the point's closing clause and rebuild its units from it."""
    parsed = units_clause_parse(units_clause)
    resolved = [(role, party_reference(name)) for name, role in parsed]
    work_point.units_clause = units_clause.strip()
    work_point.save(update_fields=["units_clause"])
    work_point.parties.all().delete()
    return WorkPointParty.objects.bulk_create(
        WorkPointParty(work_point=work_point, position=position, role=role, **reference)
        for position, (role, reference) in enumerate(resolved, 1)
    )


# --- Tasks: one per unit a work point names -------------------------------------

# Deadlines a point's text may name: "2020年底前", "2020年6月底前", "2020年9月30日前".
_DUE_PATTERNS = (
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[之以]?前"), lambda y, m, d: date(y, m, d)),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*底?\s*[之以]?前"), lambda y, m: _month_end(y, m)),
    (re.compile(r"(\d{4})\s*年\s*上半年"), lambda y: date(y, 6, 30)),
    (re.compile(r"(\d{4})\s*年\s*(?:年\s*)?底\s*[之以]?前"), lambda y: date(y, 12, 31)),
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def work_point_default_due_on(work_point: WorkPoint) -> date:
    """The due date the point's own text names (the latest, if several), else the end
    of the plan's year: a year's work points run to the end of that year."""
    named = []
    for pattern, build in _DUE_PATTERNS:
        for match in pattern.finditer(work_point.text):
            try:
                named.append(build(*map(int, match.groups())))
            except ValueError:  # "2020年2月30日前" is a typo, not a deadline
                continue
    return max(named) if named else date(work_point.section.document.year, 12, 31)


def work_point_assignments(work_point: WorkPoint) -> dict[int, tuple[str, str]]:
    """{unit id: (role, name it was assigned under)} for the point's parties, collectives
    resolved to their active member units. A unit named twice keeps the stronger claim:
    as lead over any other role, then by its own name over a collective's."""
    claims: dict[int, tuple[str, str, bool]] = {}
    for party in work_point.parties.select_related("unit", "collective"):
        direct = party.unit_id is not None
        units = [party.unit] if direct else party.collective.members.all()
        claim = (party.role, party.printed_name, direct)
        for unit in units:
            if not unit.is_active:
                continue
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
                task.save(update_fields=["role", "assigned_as", "updated_at"])
                result.updated += 1
        elif task.state == Task.State.NOT_STARTED and not task.reports.exists():
            task.delete()
            result.removed += 1
        else:
            result.kept.append(task)
    WorkPointSetting.objects.get_or_create(work_point=work_point)
    return result


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
def task_due_on_set(*, task: Task, due_on: date) -> Task:
    task.due_on = due_on
    task.full_clean()
    task.save(update_fields=["due_on", "updated_at"])
    return task


@transaction.atomic
def tasks_due_on_set(*, tasks, due_on: date) -> int:
    """Give all `tasks` (a queryset) the same due date; returns how many changed."""
    plans = PlanDocument.objects.filter(sections__work_points__tasks__in=tasks).distinct()
    for issued_on in plans.values_list("issued_on", flat=True):
        check_due_on(due_on, issued_on=issued_on)
    return Task.objects.filter(pk__in=tasks.values("pk")).update(due_on=due_on, updated_at=timezone.now())


@transaction.atomic
def work_point_setting_update(*, setting: WorkPointSetting, lead_weight: Decimal) -> WorkPointSetting:
    setting.lead_weight = lead_weight
    setting.full_clean()
    setting.save(update_fields=["lead_weight"])
    return setting


# --- Progress reports and the office's review ------------------------------------

# Evidence a unit may upload: documents and images whose content can be checked.
# Archives are refused because their content cannot be inspected.
EVIDENCE_EXTENSIONS = ("pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "jpg", "jpeg", "png")
EVIDENCE_MAX_SIZE = 20 * 1024 * 1024
EVIDENCE_MAX_FILES = 10


def evidence_file_validate(uploaded_file) -> str:
    """Raise a ValidationError in Chinese unless the upload is acceptable evidence;
    return its MIME type. The content check is the attachments' one."""
    name = uploaded_file.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            "“%(name)s”不是可接受的佐证文件类型。允许上传：%(kinds)s。",
            code="evidence_type",
            params={"name": name, "kinds": "、".join(ext.upper() for ext in EVIDENCE_EXTENSIONS)},
        )
    if uploaded_file.size > EVIDENCE_MAX_SIZE:
        raise ValidationError(
            "“%(name)s”大小为 %(size)s，超过了佐证文件 %(limit)s 的上限。",
            code="evidence_size",
            params={"name": name, "size": filesizeformat(uploaded_file.size), "limit": filesizeformat(EVIDENCE_MAX_SIZE)},
        )
    return validate_attachment(uploaded_file)


def _report_errors(*, task, reported_on, text, public_summary, is_final, evidence_items, files, today) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    issued_on = task.work_point.section.document.issued_on
    if reported_on > today:
        add("reported_on", "报告日期不能晚于今天。")
    elif reported_on < issued_on:
        add("reported_on", f"报告日期不能早于工作要点印发日期（{issued_on:%Y-%m-%d}）。")
    if not text.strip():
        add("text", "请填写进展情况。")
    own = set(evidence_items_for(task).filter(pk__in=[item.pk for item in evidence_items]).values_list("pk", flat=True))
    foreign = [item for item in evidence_items if item.pk not in own]
    if foreign:
        add("evidence_items", "只能选择本单位已发布的信息作为佐证：" + "、".join(f"“{item}”" for item in foreign) + " 不符合。")
    if len(files) > EVIDENCE_MAX_FILES:
        add("files", f"每次最多上传 {EVIDENCE_MAX_FILES} 个佐证文件。")
    for uploaded in files:
        try:
            evidence_file_validate(uploaded)
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if is_final:
        if not public_summary.strip():
            add("public_summary", "最终报告须填写公开进展摘要（审核通过后对外公开）。")
        if not evidence_items and not files:
            add("evidence_items", "最终报告须附至少一项佐证：本单位已发布的信息或佐证文件。")
    return errors


def progress_report_submit(
    *,
    task: Task,
    author,
    reported_on: date,
    text: str,
    public_summary: str = "",
    is_final: bool = False,
    evidence_items: Iterable = (),
    files: Iterable = (),
    today: date | None = None,
) -> ProgressReport:
    """Record a unit's report on `task`. A final report puts the task into review; any
    other report marks it in progress. Reports are kept as submitted, never edited."""
    today = today or timezone.localdate()
    evidence_items, files = list(evidence_items), list(files)
    stored: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            task = Task.objects.select_for_update().select_related("work_point__section__document").get(pk=task.pk)
            if task.state not in Task.REPORTABLE_STATES:
                raise ValidationError(
                    "该任务已提交审核，请等待区政务公开办的审核结果。"
                    if task.state == Task.State.IN_REVIEW
                    else "该任务已审核通过，无需再填报。"
                )
            errors = _report_errors(
                task=task, reported_on=reported_on, text=text, public_summary=public_summary, is_final=is_final,
                evidence_items=evidence_items, files=files, today=today,
            )
            if errors:
                raise ValidationError(errors)
            report = ProgressReport(
                task=task, author=author, reported_on=reported_on, text=text.strip(),
                public_summary=public_summary.strip(), is_final=is_final,
            )
            report.full_clean()
            report.save()
            report.evidence_items.set(evidence_items)
            for uploaded in files:
                evidence = EvidenceFile(
                    report=report, name=uploaded.name[-200:], size=uploaded.size,
                    content_type=evidence_file_validate(uploaded),
                )
                evidence.file.save(uploaded.name, uploaded, save=False)
                stored.append(evidence)
                evidence.save()
            task.state = Task.State.IN_REVIEW if is_final else Task.State.IN_PROGRESS
            task.save(update_fields=["state", "updated_at"])
            return report
    except BaseException:
        # The rows were rolled back; the files written to disk must go as well.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise


@transaction.atomic
def task_review(*, task: Task, reviewer, decision: str, comment: str = "", now=None) -> TaskReview:
    """The district office's decision on the task's pending final report: approved
    (the task is done) or returned with a comment the unit sees."""
    now = now or timezone.now()
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state != Task.State.IN_REVIEW:
        raise ValidationError(f"只有待审核的任务可以审核，该任务当前为“{task.get_state_display()}”。")
    report = task.reports.filter(is_final=True, review__isnull=True).order_by("-created_at", "-pk").first()
    if report is None:
        raise ValidationError("该任务没有待审核的最终报告。")
    comment = comment.strip()
    if decision == TaskReview.Decision.RETURNED and not comment:
        raise ValidationError({"comment": "退回时请填写审核意见，说明需要修改或补充的内容。"})
    review = TaskReview(report=report, decision=decision, comment=comment, reviewer=reviewer, decided_at=now)
    review.full_clean()
    review.save()
    if decision == TaskReview.Decision.APPROVED:
        task.state, task.completed_on = Task.State.DONE, timezone.localdate(now)
    else:
        task.state = Task.State.RETURNED
    task.save(update_fields=["state", "completed_on", "updated_at"])
    return review


# --- Daily reminders ------------------------------------------------------------


@dataclass
class ReminderRun:
    sent: list[Reminder] = field(default_factory=list)
    already_sent: list[Unit] = field(default_factory=list)
    without_email: list[Unit] = field(default_factory=list)
    failed: list[tuple[Unit, str]] = field(default_factory=list)
    # Filled instead of `sent` on a dry run: (unit, subject, body).
    drafts: list[tuple[Unit, str, str]] = field(default_factory=list)


def reminder_compose(*, unit: Unit, tasks: dict[str, list[Task]], columns: list, today: date) -> tuple[str, str] | None:
    """Subject and body of `unit`'s reminder, or None when there is nothing to remind of."""
    stale = [entry for entry in columns if entry.status == Freshness.STALE]
    empty = [entry for entry in columns if entry.status == Freshness.EMPTY]
    if not (tasks["overdue"] or tasks["due_soon"] or stale or empty):
        return None
    subject = f"【芙蓉区政务公开】{unit.name}工作任务与栏目更新提醒（{today:%Y-%m-%d}）"
    body = render_to_string(
        "tasks/email/reminder.txt",
        {"unit": unit, "today": today, "overdue": [(task, task.days_overdue(today)) for task in tasks["overdue"]],
         "due_soon": tasks["due_soon"],
         "stale": stale, "empty": empty, "soon_days": AT_RISK_DAYS},
    )
    return subject, body


def reminders_send(*, today: date | None = None, dry_run: bool = False) -> ReminderRun:
    """Email each unit (Unit.email) its overdue and soon-due tasks and its stale and
    empty columns, once a day: a unit already reminded on `today` is skipped, so the
    daily cron job may run again without sending anything twice."""
    today = today or timezone.localdate()
    run = ReminderRun()
    tasks_by_unit = unit_reminder_tasks(today=today)
    freshness = column_freshness(today=today)
    for unit in Unit.objects.filter(is_active=True).order_by("order", "name"):
        message = reminder_compose(
            unit=unit, tasks=tasks_by_unit[unit.pk], columns=freshness.for_unit(unit), today=today
        )
        if message is None:
            continue
        if not unit.email:
            run.without_email.append(unit)
            continue
        if dry_run:
            run.drafts.append((unit, *message))
            continue
        subject, body = message
        try:
            with transaction.atomic():
                # The unique (unit, day) row is taken before sending: a second run, even
                # a concurrent one, finds it and sends nothing. If sending fails the row
                # is rolled back, so the next run tries again.
                reminder, created = Reminder.objects.get_or_create(
                    unit=unit, sent_on=today, defaults={"recipient": unit.email, "subject": subject, "body": body}
                )
                if not created:
                    run.already_sent.append(unit)
                    continue
                send_mail(subject, body, None, [unit.email], fail_silently=False)
        except (OSError, SMTPException) as error:
            run.failed.append((unit, str(error)))
            continue
        run.sent.append(reminder)
    return run
