"""The data behind the annual report's tables 二 and 四, and the report itself.

Table 二's normative documents come from the 政府文件库 (`Item.normative_kind`); its 许可,
处罚, 强制 and 收费 figures from each unit's yearly return, reviewed by the office. Table 三
comes from the requests (`disclosure.requests.selectors.annual_report_table3`); table 四 from
the 复议/诉讼 cases below. The report's tables are computed, never typed: a draft shows them
live, submission freezes them into `AnnualReport.tables`, and nobody edits that field."""

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from responsibility.models import Unit

# 条例 第四十九条: departments publish by 31 January, the district government by 31 March.
UNIT_DEADLINE = (1, 31)
DISTRICT_DEADLINE = (3, 31)


def publication_deadline(year: int, unit: Unit | None) -> dt.date:
    """The day the report on `year` is due (in the following year)."""
    month, day = DISTRICT_DEADLINE if unit is None else UNIT_DEADLINE
    return dt.date(year + 1, month, day)


class ReviewState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审核"


class UnitReturnQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=ReviewState.APPROVED)

    def for_year(self, year: int):
        return self.filter(year=year)


class UnitReturn(models.Model):
    """A unit's yearly figures for table 二 (行政许可, 行政处罚, 行政强制: decisions made in the
    year; 行政事业性收费: amount collected, 万元), reviewed by the district office."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="annual_returns", verbose_name="单位")
    year = models.PositiveSmallIntegerField("年度")
    licences = models.PositiveIntegerField("行政许可（本年处理决定数量）", default=0)
    penalties = models.PositiveIntegerField("行政处罚（本年处理决定数量）", default=0)
    coercions = models.PositiveIntegerField("行政强制（本年处理决定数量）", default=0)
    fees = models.DecimalField(
        "行政事业性收费（本年收费金额，万元）", max_digits=12, decimal_places=4, default=0,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    note = models.TextField("说明", max_length=2000, blank=True)
    state = models.CharField("状态", max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    review_comment = models.TextField("审核意见", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="填报人"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = UnitReturnQuerySet.as_manager()

    class Meta:
        verbose_name = "年报数据填报"
        verbose_name_plural = "年报数据填报（表二）"
        ordering = ("-year", "unit__order")
        constraints = (
            models.UniqueConstraint(fields=("unit", "year"), name="unit_return_unique_unit_year"),
            models.CheckConstraint(condition=Q(fees__gte=0), name="unit_return_fees_not_negative"),
        )

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年"


class AppealKind(models.TextChoices):
    """The three column groups of table 四."""

    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER = "litigation_after", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class AppealCaseQuerySet(models.QuerySet):
    def counted_in(self, year: int):
        """Cases table 四 of `year` counts: decided in the year, or filed by its end and not
        decided by then (尚未审结)."""
        last = dt.date(year, 12, 31)
        decided = Q(decided_on__year=year)
        open_at_end = Q(filed_on__lte=last) & (Q(decided_on__isnull=True) | Q(decided_on__gt=last))
        return self.filter(decided | open_at_end)


class AppealCase(models.Model):
    """A 行政复议 or 行政诉讼 case arising from government information disclosure (table 四)."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="appeal_cases", verbose_name="被申请人/被告单位")
    request = models.ForeignKey(
        "requests.InformationRequest", models.PROTECT, null=True, blank=True, related_name="appeal_cases",
        verbose_name="相关申请", help_text="由依申请公开答复引起的，选择该申请。",
    )  # fmt: skip
    kind = models.CharField("类型", max_length=20, choices=AppealKind.choices)
    case_number = models.CharField("案号", max_length=100)
    filed_on = models.DateField("立案/受理日期")
    decided_on = models.DateField("审结日期", null=True, blank=True, help_text="尚未审结的留空。")
    result = models.CharField("结果", max_length=10, choices=AppealResult.choices, default=AppealResult.PENDING)
    note = models.TextField("说明", max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AppealCaseQuerySet.as_manager()

    class Meta:
        verbose_name = "复议诉讼案件"
        verbose_name_plural = "复议诉讼案件（表四）"
        ordering = ("-filed_on", "pk")
        constraints = (
            models.UniqueConstraint(fields=("kind", "case_number"), name="appeal_case_unique_number"),
            models.CheckConstraint(
                condition=Q(result="pending", decided_on__isnull=True)
                | (~Q(result="pending") & Q(decided_on__isnull=False, decided_on__gte=F("filed_on"))),
                name="appeal_case_decided_iff_result",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number}"


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=AnnualReport.State.PUBLISHED)


class AnnualReport(models.Model):
    """One 政府信息公开工作年度报告: of a unit, or of the district government (`unit` empty).

    Sections 一–六 of 国办公开办函〔2021〕30号. The tables of 二, 三 and 四 are computed; the
    office writes the narrative. Reviewed by someone other than its author, like items, and
    published as an item in the 年报 columns."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审核"
        RETURNED = "returned", "已退回"
        PUBLISHED = "published", "已发布"

    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="annual_reports", verbose_name="单位",
        help_text="留空表示区人民政府的年报。",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField("年度")
    column = models.ForeignKey(
        "responsibility.Column", models.PROTECT, related_name="annual_reports", verbose_name="发布栏目",
        help_text="“政府信息公开年报”下的栏目。",
    )  # fmt: skip
    overview = models.TextField("一、总体情况", max_length=20000)
    proactive_note = models.TextField("二、主动公开政府信息情况（表前说明）", max_length=5000, blank=True)
    requests_note = models.TextField("三、收到和处理政府信息公开申请情况（表前说明）", max_length=5000, blank=True)
    appeals_note = models.TextField("四、政府信息公开行政复议、行政诉讼情况（表前说明）", max_length=5000, blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", max_length=20000)
    other_matters = models.TextField("六、其他需要报告的事项", max_length=20000, blank=True)
    # The computed tables, frozen at submission: {"table2": …, "table3": …, "table4": …}.
    tables = models.JSONField("统计表", default=dict, blank=True, editable=False)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    review_comment = models.TextField("审核意见", blank=True)
    item = models.OneToOneField(
        "disclosure.Item", models.PROTECT, null=True, blank=True, related_name="annual_report", verbose_name="发布的信息",
        editable=False,
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="撰写人"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ("-year", "unit__order")
        constraints = (
            models.UniqueConstraint(fields=("unit", "year"), name="annual_report_unique_unit_year"),
            models.UniqueConstraint(
                fields=("year",), condition=Q(unit__isnull=True), name="annual_report_unique_district_year"
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(item__isnull=False), name="annual_report_published_has_item"
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def issuer(self) -> str:
        return str(self.unit) if self.unit_id else "芙蓉区人民政府"

    @property
    def title(self) -> str:
        return f"{self.issuer}{self.year}年政府信息公开工作年度报告"

    @property
    def deadline(self) -> dt.date:
        return publication_deadline(self.year, self.unit)
