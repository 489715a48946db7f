"""基层政务公开标准目录: the entries of 国办发〔2019〕54号, each belonging to a column.

The fields follow the national template (公开事项 一级/二级, 公开内容（要素）, 公开依据,
公开时限, 公开主体, 公开渠道和载体, 公开对象, 公开方式, 公开层级); see shared DOMAIN.md."""

from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from responsibility.models import Column

# 《政府信息公开条例》第二十六条: published within 20 working days of being formed or changed.
DEFAULT_TIME_LIMIT = "信息形成或者变更之日起20个工作日内"


class CatalogueEntryQuerySet(models.QuerySet):
    def in_column_tree(self, column: Column):
        """Entries of `column` and of every column below it (the tree is three levels deep)."""
        return self.filter(Q(column=column.pk) | Q(column__parent=column.pk) | Q(column__parent__parent=column.pk))

    def in_tree_order(self):
        """Column by column as the tree reads (一级, then its 二级, then their 三级), then position.

        A column's place is (一级 order, 二级 order, 三级 order), -1 where it has no such
        level, so a heading comes before its children on every database (NULLs would
        sort first on SQLite and last on PostgreSQL)."""
        root = Coalesce("column__parent__parent__order", "column__parent__order", "column__order")
        second = Case(
            When(column__level=3, then="column__parent__order"), When(column__level=2, then="column__order"),
            default=Value(-1),
        )  # fmt: skip
        third = Case(When(column__level=3, then="column__order"), default=Value(-1))
        return self.select_related("column__parent__parent").order_by(root, second, third, "position", "pk")


class CatalogueEntry(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", "全社会"
        SPECIFIC = "specific", "特定群体"

    class Mode(models.TextChoices):
        PROACTIVE = "proactive", "主动公开"
        ON_REQUEST = "on_request", "依申请公开"

    class Level(models.TextChoices):
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡、村级"
        BOTH = "both", "县级、乡村级"

    column = models.ForeignKey(Column, models.CASCADE, related_name="catalogue_entries", verbose_name="栏目")
    position = models.PositiveSmallIntegerField("序号", help_text="本栏目目录中的顺序。")
    matter = models.CharField("公开事项（一级事项）", max_length=100)
    sub_matter = models.CharField("公开事项（二级事项）", max_length=100, blank=True)
    content = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据", help_text="法律、法规、规章或规范性文件的名称与条款。")
    time_limit = models.CharField("公开时限", max_length=200, default=DEFAULT_TIME_LIMIT)
    cycle_days = models.PositiveSmallIntegerField(
        "定期公开周期（天）",
        null=True,
        blank=True,
        help_text="公开时限为定期公开（如每季度、每年）时填写周期天数，栏目超过该天数无新信息即在栏目更新检查中"
        "视为未及时更新；按“形成或者变更之日起20个工作日内”公开的留空。",
    )
    subject = models.CharField("公开主体", max_length=200)
    channels = models.CharField(
        "公开渠道和载体", max_length=300, help_text="如 政府网站、政务新媒体、政务服务中心、公开栏，用“、”分隔。"
    )
    audience = models.CharField("公开对象", max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    mode = models.CharField("公开方式", max_length=12, choices=Mode.choices, default=Mode.PROACTIVE)
    level = models.CharField("公开层级", max_length=10, choices=Level.choices, default=Level.COUNTY)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "标准目录条目"
        verbose_name_plural = "标准目录条目"
        ordering = ("column", "position", "pk")
        constraints = (
            models.UniqueConstraint(fields=("column", "position"), name="catalogue_entry_unique_position_in_column"),
            models.CheckConstraint(
                condition=Q(cycle_days__isnull=True) | Q(cycle_days__gte=1), name="catalogue_entry_cycle_positive"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=("everyone", "specific")), name="catalogue_entry_audience_valid"
            ),
            models.CheckConstraint(condition=Q(mode__in=("proactive", "on_request")), name="catalogue_entry_mode_valid"),
            models.CheckConstraint(
                condition=Q(level__in=("county", "township", "both")), name="catalogue_entry_level_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.column}：{self.matter}" + (f" · {self.sub_matter}" if self.sub_matter else "")

    def get_absolute_url(self) -> str:
        return reverse("catalogue:index") + f"#entry-{self.pk}"
