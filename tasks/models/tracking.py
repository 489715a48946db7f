"""Tracking: tasks, progress reports, reviews (the district office's review).

Each work point is broken down into one task per unit it names (collectives are
resolved to their member units). Units report on their tasks; the district office
(区政务公开办) approves or returns final reports. Reports and decisions are never
edited or deleted, so the whole exchange stays on record."""

import os
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from furong_portal.storage import private_storage
from responsibility.models import Unit

from .plan import PlanDocument, WorkPoint, WorkPointParty

# A task is "at risk" when it is not done and falls due within this many days.
AT_RISK_DAYS = 30


def check_due_on(due_on, *, issued_on) -> None:
    if due_on < issued_on:
        raise ValidationError({"due_on": f"截止日期不能早于工作要点印发日期（{issued_on:%Y-%m-%d}）。"})


class Schedule(models.TextChoices):
    """How a task or a work point stands against its due date (computed, never stored)."""

    DONE = "done", "已完成"
    ON_TRACK = "on_track", "正常推进"
    AT_RISK = "at_risk", "临近截止"
    OVERDUE = "overdue", "已逾期"
    NO_TASKS = "no_tasks", "未分解任务"


class TaskQuerySet(models.QuerySet):
    def for_plan(self, plan: PlanDocument):
        return self.filter(work_point__section__document=plan)

    def for_unit(self, unit: Unit):
        return self.filter(unit=unit)

    def open(self):
        """Tasks still being worked on: not done, and not carried over into a later plan."""
        return self.exclude(state=Task.State.DONE).filter(carried_to__isnull=True)

    def unfinished(self):
        """Not done, carried over or not: what a year left undone."""
        return self.exclude(state=Task.State.DONE)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def due_soon(self, today, days: int = AT_RISK_DAYS):
        return self.open().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))

    def with_related(self):
        return self.select_related("work_point__section__document", "unit")


class Task(models.Model):
    """One unit's share of one work point."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "推进中"
        IN_REVIEW = "in_review", "待审核"
        DONE = "done", "已完成"
        RETURNED = "returned", "已退回"

    # States in which the unit may (still) report; in review and done are locked.
    REPORTABLE_STATES = (State.NOT_STARTED, State.IN_PROGRESS, State.RETURNED)

    work_point = models.ForeignKey(WorkPoint, models.PROTECT, related_name="tasks", verbose_name="工作要点")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="tasks", verbose_name="责任单位")
    role = models.CharField("职责", max_length=16, choices=WorkPointParty.Role.choices)
    assigned_as = models.CharField(
        "分解依据", max_length=100, help_text="要点括注中的原文名称；集合称谓（如 各街道）分解到其成员单位。"
    )
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.NOT_STARTED)
    due_on = models.DateField("截止日期")
    completed_on = models.DateField("完成日期", null=True, blank=True, help_text="区政务公开办审核通过之日。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Raised by every write (services); forms carry it, so a save from an older version is
    # refused instead of undoing someone else's change (optimistic locking).
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        ordering = ("work_point__number", "unit__order", "unit__name")
        constraints = (
            models.UniqueConstraint(fields=("work_point", "unit"), name="task_unique_unit_per_point"),
            models.CheckConstraint(
                condition=Q(state="done", completed_on__isnull=False) | (~Q(state="done") & Q(completed_on__isnull=True)),
                name="task_completed_on_iff_done",
            ),
        )
        indexes = (
            models.Index(fields=("state", "due_on"), name="task_state_due"),
            models.Index(fields=("unit", "state"), name="task_unit_state"),
        )

    def __str__(self) -> str:
        return f"（{self.work_point.chinese_number}）{self.work_point.title} · {self.unit}"

    def get_absolute_url(self) -> str:
        # The public page of a task is its work point's, which lists every unit's progress.
        return self.work_point.get_absolute_url()

    def clean(self) -> None:
        if self.due_on and self.work_point_id:
            check_due_on(self.due_on, issued_on=self.work_point.section.document.issued_on)

    @property
    def is_lead(self) -> bool:
        return self.role == WorkPointParty.Role.LEAD

    @property
    def public_state(self) -> str:
        """What the public page says: the office's approval, or that work is under way.
        Returned and pending reports are internal."""
        if self.state == self.State.DONE:
            return "已完成"
        return "未开始" if self.state == self.State.NOT_STARTED else "推进中"

    def schedule_on(self, today) -> str:
        if self.state == self.State.DONE:
            return Schedule.DONE
        if self.due_on < today:
            return Schedule.OVERDUE
        if (self.due_on - today).days <= AT_RISK_DAYS:
            return Schedule.AT_RISK
        return Schedule.ON_TRACK

    def stale_message(self, version) -> str | None:
        """None when `version` (what a form was opened at) is still current; otherwise the
        refusal, saying how the task stands now and what happened last."""
        if version in (None, "") or int(version) == self.version:
            return None
        latest = self.reports.select_related("review").order_by("-created_at", "-pk").first()
        last = ""
        if latest is not None:
            review = getattr(latest, "review", None)
            last = (
                f"；最近：{review.get_decision_display()}（{timezone.localtime(review.decided_at):%Y-%m-%d %H:%M}）"
                if review
                else f"；最近：{'最终报告' if latest.is_final else '进展报告'}（{latest.reported_on:%Y-%m-%d}）"
            )
        return (
            "保存未成功：您打开本页之后，该任务已被修改，为免覆盖别人的修改，本次操作被拒绝。"
            f"现在：状态“{self.get_state_display()}”，截止日期 {self.due_on:%Y-%m-%d}{last}。请重新打开本页后再操作。"
        )

    def days_overdue(self, today) -> int:
        return max((today - self.due_on).days, 0)


class WorkPointSetting(models.Model):
    """How the district office scores one work point."""

    work_point = models.OneToOneField(WorkPoint, models.CASCADE, related_name="setting", verbose_name="工作要点")
    lead_weight = models.DecimalField(
        "牵头单位权重",
        max_digits=4,
        decimal_places=1,
        default=1,
        help_text="计算要点完成度时牵头单位任务的权重，其他单位为 1；默认 1 即各单位同等计算。",
    )

    class Meta:
        verbose_name = "要点考核设置"
        verbose_name_plural = "要点考核设置"
        ordering = ("work_point__number",)
        constraints = (
            models.CheckConstraint(
                condition=Q(lead_weight__gt=0, lead_weight__lte=10), name="work_point_setting_lead_weight_range"
            ),
        )

    def __str__(self) -> str:
        return f"{self.work_point} 的考核设置"

    def clean(self) -> None:
        if self.lead_weight is not None and not 0 < self.lead_weight <= 10:
            raise ValidationError({"lead_weight": "牵头单位权重须大于 0 且不超过 10。"})


class ProgressReport(models.Model):
    """A unit's dated account of its progress on a task; final reports go to review."""

    task = models.ForeignKey(Task, models.PROTECT, related_name="reports", verbose_name="工作任务")
    author = models.ForeignKey("auth.User", models.PROTECT, related_name="+", verbose_name="填报人")
    reported_on = models.DateField("报告日期")
    text = models.TextField("进展情况", help_text="仅本单位和区政务公开办可见。")
    public_summary = models.CharField(
        "公开进展摘要",
        max_length=200,
        blank=True,
        help_text="审核通过后在“政务公开工作要点”公开页面展示，请勿填写内部信息；最终报告必填。",
    )
    is_final = models.BooleanField("最终报告", default=False, help_text="最终报告提交后任务进入待审核。")
    evidence_items = models.ManyToManyField(
        "disclosure.Item", blank=True, related_name="progress_reports", verbose_name="佐证信息"
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ("task", "-created_at", "-pk")
        indexes = (models.Index(fields=("task", "-created_at"), name="report_task_created"),)
        constraints = (
            models.CheckConstraint(
                condition=Q(is_final=False) | ~Q(public_summary=""), name="report_final_has_public_summary"
            ),
        )

    def __str__(self) -> str:
        kind = "最终报告" if self.is_final else "进展报告"
        return f"{self.task} · {kind}（{self.reported_on:%Y-%m-%d}）"


@deconstructible(path="tasks.models.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    """The storage evidence used before the `private` STORAGES alias (furong_portal/storage.py);
    kept because migration 0002 names it."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def evidence_path(instance: "EvidenceFile", filename: str) -> str:
    # Our own random name: the uploader's file name is kept in `name` only.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"task-evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class EvidenceFile(models.Model):
    report = models.ForeignKey(ProgressReport, models.PROTECT, related_name="files", verbose_name="进展报告")
    file = models.FileField("文件", storage=private_storage, upload_to=evidence_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)

    class Meta:
        verbose_name = "佐证文件"
        verbose_name_plural = "佐证文件"
        ordering = ("report", "pk")

    def __str__(self) -> str:
        return self.name


class TaskReview(models.Model):
    """The district office's decision on one final report."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "审核通过"
        RETURNED = "returned", "退回修改"

    report = models.OneToOneField(ProgressReport, models.PROTECT, related_name="review", verbose_name="最终报告")
    decision = models.CharField("审核结论", max_length=10, choices=Decision.choices)
    comment = models.TextField(
        "审核意见", blank=True, help_text="退回时必填。仅本单位和区政务公开办可见，不对外公开。"
    )
    reviewer = models.ForeignKey("auth.User", models.PROTECT, related_name="+", verbose_name="审核人")
    decided_at = models.DateTimeField("审核时间", default=timezone.now)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ("-decided_at", "-pk")
        constraints = (
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(comment=""), name="review_return_has_comment"
            ),
        )

    def __str__(self) -> str:
        return f"{self.report.task} · {self.get_decision_display()}"


class Reminder(models.Model):
    """One reminder email sent to a unit; at most one per unit and day."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="task_reminders", verbose_name="责任单位")
    sent_on = models.DateField("提醒日期")
    recipient = models.EmailField("收件邮箱")
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("正文")
    created_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒邮件"
        verbose_name_plural = "提醒邮件"
        ordering = ("-sent_on", "unit__order")
        constraints = (models.UniqueConstraint(fields=("unit", "sent_on"), name="reminder_unique_unit_per_day"),)

    def __str__(self) -> str:
        return f"{self.sent_on:%Y-%m-%d} · {self.unit}"
