"""专栏 (thematic sections): the office curates a section from items of any column and unit.

Items are placed by rules (keywords, 主题分类, 体裁, 文号 pattern, units, columns), kept up to date
as items are published (`services.topics_item_published`), and by hand (pin, order, remove).
A placement is a `TopicEntry`; a removed entry stays, so that the rules never bring it back."""

import re
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Genre, Item, Theme
from responsibility.models import Column, Unit

KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")


class TopicQuerySet(models.QuerySet):
    def online(self):
        return self.filter(is_online=True)

    def current(self, today=None):
        """Online topics whose period includes `today`: the home page shows these."""
        today = today or timezone.localdate()
        return self.online().filter(starts_on__lte=today).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))

    def collecting(self, today=None):
        """Topics whose rules still take new items: not yet ended."""
        today = today or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


class Topic(models.Model):
    title = models.CharField("专栏名称", max_length=100)
    slug = models.SlugField("网址标识", max_length=60, unique=True, help_text="专栏网址中的英文标识，如 business-environment。")
    introduction = models.TextField("专栏简介", blank=True)
    banner_text = models.CharField("横幅文字", max_length=120, blank=True, help_text="专栏页顶部与首页专栏入口显示的一句话。")
    starts_on = models.DateField("开始日期", default=timezone.localdate)
    ends_on = models.DateField("结束日期", null=True, blank=True, help_text="留空表示长期专栏。")
    units = models.ManyToManyField(Unit, blank=True, related_name="topics", verbose_name="责任单位")
    position = models.PositiveSmallIntegerField("排序", default=0)
    is_online = models.BooleanField("已上线", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "专栏"
        verbose_name_plural = "专栏"
        ordering = ("position", "pk")
        constraints = (
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="topic_ends_after_start"
            ),
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topics:topic", args=(self.slug,))

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})


class TopicSection(models.Model):
    topic = models.ForeignKey(Topic, models.CASCADE, related_name="sections", verbose_name="专栏")
    title = models.CharField("子栏目名称", max_length=100)
    slug = models.SlugField("网址标识", max_length=60)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "专栏子栏目"
        verbose_name_plural = "专栏子栏目"
        ordering = ("topic", "position", "pk")
        constraints = (models.UniqueConstraint(fields=("topic", "slug"), name="topic_section_unique_slug"),)

    def __str__(self) -> str:
        return self.title


class TopicRule(models.Model):
    """Which published items belong in a topic: every criterion filled in must hold
    (keywords: any one of them in the title or 关键词); an item matching any rule of the topic
    is placed, in the section of the first rule it matches."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="rules", verbose_name="专栏")
    section = models.ForeignKey(
        TopicSection, models.SET_NULL, null=True, blank=True, related_name="rules", verbose_name="放入子栏目"
    )
    keywords = models.CharField(
        "关键词", max_length=300, blank=True, help_text="标题或关键词含其中任一个即可；用空格、逗号或顿号分隔。"
    )
    themes = models.JSONField("主题分类", default=list, blank=True)
    genres = models.JSONField("体裁", default=list, blank=True)
    doc_number_pattern = models.CharField(
        "文号格式", max_length=60, blank=True, help_text="* 代表任意文字，如 芙政发〔*〕*号；留空不限。"
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="发布机构")
    columns = models.ManyToManyField(
        Column, blank=True, related_name="+", verbose_name="栏目（含下级栏目）"
    )
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "专栏规则"
        verbose_name_plural = "专栏规则"
        ordering = ("topic", "position", "pk")

    def __str__(self) -> str:
        return f"{self.topic} · 规则 {self.position}"

    def clean(self):
        unknown = set(self.themes or ()) - set(Theme.values) | set(self.genres or ()) - set(Genre.values)
        if unknown:
            raise ValidationError("主题分类或体裁不在可选范围内。")
        if self.section_id and self.topic_id and self.section.topic_id != self.topic_id:
            raise ValidationError({"section": "子栏目须属于本专栏。"})

    def keyword_list(self) -> list[str]:
        return [word for word in KEYWORD_SEPARATORS.split(self.keywords or "") if word]

    def doc_number_regex(self) -> str:
        parts = (self.doc_number_pattern or "").strip().split("*")
        return "^" + ".*".join(re.escape(part) for part in parts) + "$"

    def condition(self) -> Q | None:
        """The rule as a filter on items, or None when it has no criterion (matches nothing).
        The only definition of a match: bulk refreshes and single publications both use it."""
        conditions = []
        words = self.keyword_list()
        if words:
            conditions.append(reduce(or_, (Q(title__contains=word) | Q(keywords__contains=word) for word in words)))
        if self.themes:
            conditions.append(Q(theme__in=self.themes))
        if self.genres:
            conditions.append(Q(genre__in=self.genres))
        if self.doc_number_pattern.strip():
            conditions.append(Q(doc_number__regex=self.doc_number_regex()))
        unit_ids = [unit.pk for unit in self.units.all()]
        if unit_ids:
            conditions.append(Q(unit__in=unit_ids))
        column_ids = [column.pk for column in self.columns.all()]
        if column_ids:
            conditions.append(
                Q(column__in=column_ids) | Q(column__parent__in=column_ids) | Q(column__parent__parent__in=column_ids)
            )
        return reduce(lambda left, right: left & right, conditions) if conditions else None


class TopicEntryQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(removed=False)


class TopicEntry(models.Model):
    class Source(models.TextChoices):
        RULE = "rule", "规则"
        MANUAL = "manual", "手动"

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="entries", verbose_name="专栏")
    item = models.ForeignKey(Item, models.CASCADE, related_name="topic_entries", verbose_name="信息")
    section = models.ForeignKey(
        TopicSection, models.SET_NULL, null=True, blank=True, related_name="entries", verbose_name="子栏目"
    )
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.RULE)
    pinned = models.BooleanField("置顶", default=False)
    position = models.PositiveSmallIntegerField("置顶顺序", default=0, help_text="置顶信息按此数字从小到大排列。")
    removed = models.BooleanField("已移出", default=False, help_text="移出后规则不会再把它放回专栏。")
    added_at = models.DateTimeField("加入时间", auto_now_add=True)

    objects = TopicEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "专栏信息"
        verbose_name_plural = "专栏信息"
        ordering = ("topic", "-pinned", "position", "-item__published_at", "-pk")
        constraints = (models.UniqueConstraint(fields=("topic", "item"), name="topic_entry_unique_item"),)
        indexes = (models.Index(fields=("topic", "removed", "section"), name="topic_entry_listing"),)

    def __str__(self) -> str:
        return f"{self.topic} · {self.item}"
