"""《芙蓉区2020年政务公开工作要点》: the document, its sections and work points,
and the units each point names."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from responsibility.models import Collective, Unit


class PlanDocument(models.Model):
    """The issuing notice (e.g. 芙政办发〔2020〕13号) that publishes a year's work points."""

    title = models.CharField("标题", max_length=200)
    plan_title = models.CharField("工作要点标题", max_length=100)
    doc_number = models.CharField("发文字号", max_length=50, unique=True)
    issuer = models.CharField("发文机关", max_length=100)
    header = models.CharField("版头", max_length=100, blank=True)
    addressees = models.TextField("主送机关")
    notice_text = models.TextField("通知正文")
    issued_on = models.DateField("成文日期")
    printed_on = models.DateField("印发日期")
    preamble = models.TextField("工作要点导语")
    attachment_title = models.CharField("附件", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度", unique=True)

    class Meta:
        verbose_name = "工作要点文件"
        verbose_name_plural = "工作要点文件"
        ordering = ("-year",)

    def __str__(self) -> str:
        return f"{self.plan_title}（{self.doc_number}）"

    def get_absolute_url(self) -> str:
        return reverse("tasks:work-points-of-year", args=(self.year,))


class Section(models.Model):
    document = models.ForeignKey(PlanDocument, models.CASCADE, related_name="sections", verbose_name="文件")
    number = models.CharField("序号", max_length=4, help_text="如 一、二。")
    order = models.PositiveSmallIntegerField("排序")
    title = models.CharField("标题", max_length=100)

    class Meta:
        verbose_name = "工作板块"
        verbose_name_plural = "工作板块"
        ordering = ("document", "order")
        constraints = (
            models.UniqueConstraint(fields=("document", "order"), name="section_unique_order_in_document"),
            models.UniqueConstraint(fields=("document", "number"), name="section_unique_number_in_document"),
        )

    def __str__(self) -> str:
        return f"{self.number}、{self.title}"


class WorkPointQuerySet(models.QuerySet):
    def with_parties(self):
        return self.select_related("section__document").prefetch_related(
            models.Prefetch("parties", queryset=WorkPointParty.objects.select_related("unit", "collective"))
        )


class WorkPoint(models.Model):
    section = models.ForeignKey(Section, models.CASCADE, related_name="work_points", verbose_name="板块")
    number = models.PositiveSmallIntegerField("序号", help_text="全文连续编号，1 对应（一）。")
    title = models.CharField("标题", max_length=100, help_text="第一个句号之前的句子。")
    text = models.TextField("全文", help_text="序号之后的全文，含标题和责任单位括注。")
    units_clause = models.CharField(
        "责任单位括注", max_length=300, blank=True, help_text="全文末尾括号内的原文；未列单位的要点留空。"
    )

    objects = WorkPointQuerySet.as_manager()

    class Meta:
        verbose_name = "工作要点"
        verbose_name_plural = "工作要点"
        ordering = ("section__document", "number")
        constraints = (
            models.UniqueConstraint(fields=("section", "number"), name="work_point_unique_number_in_section"),
            models.CheckConstraint(condition=Q(number__gte=1), name="work_point_number_positive"),
        )

    def __str__(self) -> str:
        return f"（{self.chinese_number}）{self.title}"

    def get_absolute_url(self) -> str:
        # Every year's plan numbers its points from 1: the year tells them apart.
        return reverse("tasks:work-point-of-year", args=(self.section.document.year, self.number))

    @property
    def chinese_number(self) -> str:
        return chinese_numeral(self.number)


class WorkPointParty(models.Model):
    """A unit or collective the point's closing clause names, with its role."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头"
        RESPONSIBLE = "responsible", "负责"
        IMPLEMENT = "implement", "落实"
        BY_DIVISION = "by_division", "按职责分工负责"

    work_point = models.ForeignKey(WorkPoint, models.CASCADE, related_name="parties", verbose_name="工作要点")
    position = models.PositiveSmallIntegerField("顺序")
    role = models.CharField("职责", max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="work_point_parties", verbose_name="单位"
    )
    collective = models.ForeignKey(
        Collective, models.PROTECT, null=True, blank=True, related_name="work_point_parties", verbose_name="集合称谓"
    )
    printed_name = models.CharField("原文名称", max_length=100)

    class Meta:
        verbose_name = "要点责任单位"
        verbose_name_plural = "要点责任单位"
        ordering = ("work_point", "position")
        constraints = (
            models.UniqueConstraint(fields=("work_point", "position"), name="party_unique_position_in_point"),
            models.CheckConstraint(
                condition=Q(unit__isnull=False, collective__isnull=True) | Q(unit__isnull=True, collective__isnull=False),
                name="party_names_exactly_one_target",
            ),
        )

    def __str__(self) -> str:
        return f"{self.printed_name}（{self.get_role_display()}）"

    @property
    def party(self):
        return self.unit or self.collective


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for work-point numbering)."""
    if not 0 < number < 100:
        raise ValueError(number)
    tens, ones = divmod(number, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return prefix + (_DIGITS[ones] if ones else "")
