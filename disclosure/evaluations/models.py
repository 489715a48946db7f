"""社会评议 (芙政办发〔2020〕13号 第（二十）条: 开展政务公开工作第三方评估和社会评议，将评估评议结果…
作为《芙蓉区政府信息公开工作年度报告》重要内容向社会公布): anonymous evaluations by quarter,
one per visitor per quarter, with a satisfaction score for each top-level section of the
column tree, timeliness, ease of finding and a free comment."""

import datetime

from django.db import models
from django.db.models import Q

from responsibility.models import Column


class Score(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    FAIR = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


# A score of SATISFIED or better counts towards the 满意率.
SATISFIED_FROM = Score.SATISFIED


def period_of(day: datetime.date) -> str:
    """The evaluation period (a calendar quarter) of `day`, e.g. "2026Q4"."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": 1, f"{field}__lte": 5})


class Evaluation(models.Model):
    period = models.CharField("评议期", max_length=7, db_index=True, help_text="季度，如 2026Q4。")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    timeliness = models.PositiveSmallIntegerField("信息发布的及时性", choices=Score.choices)
    findability = models.PositiveSmallIntegerField("查找信息的便捷性", choices=Score.choices)
    comment = models.TextField("意见建议", max_length=2000, blank=True)
    # A keyed hash of the visitor's random cookie: no personal data, enough to keep one
    # evaluation per visitor and period.
    visitor_key = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = "社会评议"
        verbose_name_plural = "社会评议"
        ordering = ("-submitted_at", "-pk")
        constraints = (
            models.UniqueConstraint(fields=("period", "visitor_key"), name="evaluation_one_per_visitor_period"),
            models.CheckConstraint(condition=_in_range("timeliness"), name="evaluation_timeliness_range"),
            models.CheckConstraint(condition=_in_range("findability"), name="evaluation_findability_range"),
        )

    def __str__(self) -> str:
        return f"{self.period} 社会评议 #{self.pk}"


class SectionScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="scores", verbose_name="评议")
    column = models.ForeignKey(Column, models.PROTECT, related_name="evaluation_scores", verbose_name="栏目")
    satisfaction = models.PositiveSmallIntegerField("满意度", choices=Score.choices)

    class Meta:
        verbose_name = "栏目满意度"
        verbose_name_plural = "栏目满意度"
        ordering = ("evaluation", "column__order")
        constraints = (
            models.UniqueConstraint(fields=("evaluation", "column"), name="section_score_unique_column"),
            models.CheckConstraint(condition=_in_range("satisfaction"), name="section_score_range"),
        )

    def __str__(self) -> str:
        return f"{self.column} · {self.get_satisfaction_display()}"
