"""Progress reports with their evidence, and the district office's review."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from disclosure.uploads import validate_attachment
from furong_portal.pagecache import public_pages_changed

from ..models import EvidenceFile, ProgressReport, Task, TaskReview
from ..selectors import evidence_items_for

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
    expected_version: int | None = None,
) -> ProgressReport:
    """Record a unit's report on `task`. A final report puts the task into review; any
    other report marks it in progress. Reports are kept as submitted, never edited."""
    today = today or timezone.localdate()
    evidence_items, files = list(evidence_items), list(files)
    stored: list[EvidenceFile] = []
    try:
        with transaction.atomic():
            task = Task.objects.select_for_update().select_related("work_point__section__document").get(pk=task.pk)
            stale = task.stale_message(expected_version)
            if stale:
                raise ValidationError(stale)
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
            task.version += 1
            task.save(update_fields=["state", "version", "updated_at"])
            public_pages_changed()
            return report
    except BaseException:
        # The rows were rolled back; the files written to disk must go as well.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise


@transaction.atomic
def task_review(
    *, task: Task, reviewer, decision: str, comment: str = "", now=None, expected_version: int | None = None
) -> TaskReview:
    """The district office's decision on the task's pending final report: approved
    (the task is done) or returned with a comment the unit sees."""
    now = now or timezone.now()
    task = Task.objects.select_for_update().get(pk=task.pk)
    stale = task.stale_message(expected_version)
    if stale:
        raise ValidationError(stale)
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
    task.version += 1
    task.save(update_fields=["state", "completed_on", "version", "updated_at"])
    # An approved report's public summary and the task's state show on /work-points/.
    public_pages_changed()
    return review
