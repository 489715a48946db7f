"""Carry-over: an unfinished task of one year's plan continued in a later plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .tracking import Task


class CarryOver(models.Model):
    """Links last year's unfinished task to the task that continues it, with the office's
    reason. The earlier task keeps its record and state; it is no longer open (reminders,
    overdue lists) because the later task carries the work."""

    from_task = models.OneToOneField(Task, models.PROTECT, related_name="carried_to", verbose_name="原任务")
    to_task = models.OneToOneField(Task, models.PROTECT, related_name="carried_from", verbose_name="结转后的任务")
    reason = models.TextField("结转原因", help_text="为什么这项工作未完成、在新一年度如何继续。")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="决定人")
    created_at = models.DateTimeField("结转时间", auto_now_add=True)

    class Meta:
        verbose_name = "任务结转"
        verbose_name_plural = "任务结转"
        ordering = ("to_task__unit__order", "to_task__work_point__number", "pk")
        constraints = (
            models.CheckConstraint(condition=~Q(from_task=models.F("to_task")), name="carry_over_not_to_itself"),
            models.CheckConstraint(condition=~Q(reason=""), name="carry_over_has_reason"),
        )

    def __str__(self) -> str:
        return f"{self.from_task} → {self.to_task.work_point.section.document.year}年"
