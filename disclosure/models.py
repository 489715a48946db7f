"""Published government information (政府信息) and its statutory metadata."""

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from django.urls import reverse
from django.utils import timezone

from furong_portal.pagecache import fragment
from furong_portal.storage import private_storage
from responsibility.directory import directory
from responsibility.models import Column, Unit

from . import search
from .search import SearchQuery, annotate_relevance, filter_matching


class Theme(models.TextChoices):
    """主题分类 of the State Council's government-information catalogue."""

    GENERAL = "general", "综合政务"
    ECONOMY = "economy", "国民经济管理、国有资产监管"
    FINANCE = "finance", "财政、金融、审计"
    LAND = "land", "国土资源、能源"
    AGRICULTURE = "agriculture", "农业、林业、水利"
    INDUSTRY = "industry", "工业、交通"
    COMMERCE = "commerce", "商贸、海关、旅游"
    MARKET = "market", "市场监管、安全生产监管"
    CONSTRUCTION = "construction", "城乡建设、环境保护"
    SCIENCE = "science", "科技、教育"
    CULTURE = "culture", "文化、广电、新闻出版"
    HEALTH = "health", "卫生、体育"
    POPULATION = "population", "人口与计划生育、妇女儿童工作"
    LABOUR = "labour", "劳动、人事、监察"
    JUSTICE = "justice", "公安、安全、司法"
    CIVIL = "civil", "民政、扶贫、救灾"
    ETHNIC = "ethnic", "民族、宗教"
    FOREIGN = "foreign", "对外事务"
    HMT = "hmt", "港澳台侨工作"
    DEFENCE = "defence", "国防"
    OTHER = "other", "其他"


class Genre(models.TextChoices):
    """体裁/文种."""

    NOTICE = "notice", "通知"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    OPINION = "opinion", "意见"
    DECISION = "decision", "决定"
    MEASURES = "measures", "办法"
    REGULATION = "regulation", "规定"
    PLAN = "plan", "方案"
    PROGRAMME = "programme", "规划"
    REPORT = "report", "报告"
    REPLY = "reply", "批复"
    INTERPRETATION = "interpretation", "解读"
    NEWS = "news", "动态"
    LIST = "list", "清单"
    OTHER = "other", "其他"


class NormativeKind(models.TextChoices):
    """The two rows of the annual report's table 二 for documents (国办公开办函〔2021〕30号)."""

    RULE = "rule", "规章"
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"


def column_subtree_ids(column_id: int) -> list[int]:
    """The ids of a column and of every column below it; the whole tree's map is one
    small query kept until the next change of public content (columns change only
    through the admin, which renews the page cache's generation)."""

    def subtrees() -> dict[int, list[int]]:
        parents = dict(Column.objects.values_list("pk", "parent_id"))
        result: dict[int, list[int]] = {pk: [] for pk in parents}
        for pk in parents:
            ancestor = pk
            while ancestor is not None:  # the tree is at most Column.MAX_DEPTH deep
                result[ancestor].append(pk)
                ancestor = parents[ancestor]
        return {pk: sorted(ids) for pk, ids in result.items()}

    return fragment("column-subtrees", subtrees).get(column_id, [column_id])


def _referred_by(model, *fields) -> RawSQL:
    """EXISTS (a row of `model` whose foreign key, any of `fields`, points at the item),
    written out: Django's Exists() costs ~0.3 ms to build and compile per query, more
    than the database takes to answer it. Refers to the item by its table's name, as in
    a query of items that is not itself a subquery."""
    quote = connection.ops.quote_name
    item = f"{quote(Item._meta.db_table)}.{quote(Item._meta.pk.column)}"
    referring = quote("referring")
    matches = " OR ".join(f"{referring}.{quote(model._meta.get_field(name).column)} = {item}" for name in fields)
    sql = f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} {referring} WHERE {matches})"
    return RawSQL(sql, (), output_field=models.BooleanField())


class DirectoryIterable(ModelIterable):
    """Items with their column (its path set) and unit taken from the directory
    (responsibility.directory) instead of joined rows."""

    def __iter__(self):
        found = directory()
        for item in super().__iter__():
            yield item.from_directory(found)


# What list rows read of an item (ItemQuerySet.for_listing).
LISTED_FIELDS = (
    "column", "unit", "index_number", "title", "doc_number", "written_on", "published_at", "is_normative", "validity",
    "interprets",
)  # fmt: skip


class ItemQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may read: approved and due (a future `published_at` is a
        scheduled publication and stays hidden until that moment)."""
        return self.filter(state=Item.State.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled_after(self, now):
        """Approved items whose publication is still to come, the earliest first."""
        return self.filter(state=Item.State.PUBLISHED, published_at__gt=now).order_by("published_at", "pk")

    def publicly_addressable(self, now=None):
        """Published items plus withdrawn ones, whose pages say they were withdrawn."""
        return self.filter(
            Q(state=Item.State.PUBLISHED, published_at__lte=now or timezone.now()) | Q(state=Item.State.WITHDRAWN)
        )

    def normative(self):
        return self.filter(is_normative=True)

    def interpretations(self):
        return self.filter(interprets__isnull=False)

    def in_column_tree(self, column: Column):
        """Items of `column` and of every column below it, by a list of column ids: with
        the ids spelled out the planner knows how many rows each column holds (through a
        sub-select it guessed three columns for twenty-five and fetched every row)."""
        return self.in_columns(column_subtree_ids(column.pk))

    def in_columns(self, column_ids: list[int]):
        """Items of the columns with these ids (a subtree's: `in_column_tree`)."""
        return self.filter(column__in=column_ids)

    def search(self, text: str):
        """Items matching the keywords in title, body, 文号, 索引号 and 关键词 through
        the CJK-bigram index (see disclosure/search.py); no keywords, no filter."""
        query = SearchQuery.parse(text)
        return filter_matching(self, query) if query else self

    def by_relevance(self, text: str, window=None, candidates=None):
        """The newest `search.RANK_CANDIDATES` matches, best first, newest first among equals;
        all matches newest first for queries of single characters (see
        SearchQuery.rankable). Ranking a bounded set keeps a common word (公开, 工作)
        from costing a rank computation for a large part of the collection.

        `window` (search.rank_window), publication times, newest first: look for the
        candidates among the items published since the first of them first, then since
        the next (search.newest_matches), the same set found faster. `candidates`: their
        ids, where they were read already (`counted_with_newest`)."""
        query = SearchQuery.parse(text)
        if not query.rankable:
            return self.order_by("-published_at", "-pk")
        if candidates is not None:
            newest = candidates
        elif window:
            newest = search.newest_matches(self, window, search.RANK_CANDIDATES)
        else:
            newest = self.order_by("-published_at", "-pk").values("pk")[: search.RANK_CANDIDATES]
        return annotate_relevance(self.among(newest), query).order_by("-relevance", "-published_at", "-pk")

    def among(self, candidates):
        """The items of `candidates` (a sub-select of this queryset's ids, or a list of ids read
        from it), with this queryset's columns and ordering but without re-checking its
        conditions on each row: re-checking a phrase on 1,000 candidates cost ~10 ms at
        1,000,000 items. Where the conditions joined another table, they stay (a join left
        without its condition could repeat rows)."""
        chosen = self.all()
        joined = [alias for alias, count in chosen.query.alias_refcount.items() if count]  # trimmed joins: 0
        if len(joined) <= 1:
            chosen.query.where = WhereNode()
        if isinstance(candidates, list):  # one array parameter: `pk__in` of 1,000 ids cost ~13 ms to build
            return chosen.filter(search.ItemSQL("{item}.id = ANY(%s)", (candidates,), models.BooleanField()))
        return chosen.filter(pk__in=candidates)

    def counted_with_newest(self, limit: int, newest: int) -> tuple[int, list[int] | None]:
        """How many rows this queryset holds, counting at most `limit` + 1, and where that is
        all of them, the ids of its `newest` newest (else None), from one read of the rows:
        a ranked search whose count the term counts cannot tell (a phrase) would otherwise
        read every match twice, to count them and to choose its candidates. SQLite has no
        arrays to hand the ids back in: there, only the count."""
        rows = self.order_by().values_list("pk", "published_at")[: limit + 1]
        if connection.vendor != "postgresql":
            return rows.count(), None
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH counted (id, published_at) AS ({sql}) SELECT count(*), CASE WHEN count(*) <= %s"
                " THEN coalesce((array_agg(id ORDER BY published_at DESC, id DESC))[1:%s], '{}') END FROM counted",
                (*params, limit, newest),
            )
            return cursor.fetchone()

    def with_page_flags(self):
        """Annotate whether anything refers to the item that its page could list, so that
        the page reads only the lists that may not be empty (each with its own conditions):
        `has_attachments`, `has_consultations` (whose outcome it is), `is_linked` (items
        interpreting or replacing it). For the item page's own query (see `_referred_by`)."""
        from .consultations.models import Consultation  # that app builds on this one

        return self.annotate(
            has_attachments=_referred_by(Attachment, "item"),
            has_consultations=_referred_by(Consultation, "final_document"),
            is_linked=_referred_by(Item, "interprets", "successor"),
        )

    def linked_to(self, item):
        """The items `item`'s page names: the one replacing it, the one it interprets, its
        interpretations and the ones it replaces."""
        named = [pk for pk in (item.successor_id, item.interprets_id) if pk is not None]
        return self.filter(Q(pk__in=named) | Q(interprets=item.pk) | Q(successor=item.pk))

    def with_interpretation_flag(self, now=None):
        """Annotate `has_interpretation`: whether a published 解读 links to the item
        (one EXISTS over the `interprets` index, not a query per row)."""
        interpretations = Item.objects.published(now).filter(interprets=models.OuterRef("pk"))
        return self.annotate(has_interpretation=models.Exists(interpretations))

    def page_starts(self, per_page: int, limit: int) -> list[tuple]:
        """The (published_at, pk) of the first item of each page of this list, newest
        first, over its first `limit` items: every `per_page`-th row numbered in the
        database (PostgreSQL stops numbering at `limit`), so that a page is read from its
        first row on (`from_start`) instead of skipping the rows before it."""
        numbered = self.annotate(row=Window(RowNumber(), order_by=(F("published_at").desc(), F("pk").desc())))
        firsts = numbered.filter(row__lte=limit).annotate(place=F("row") % per_page).filter(place=1 % per_page)
        return list(firsts.order_by("-published_at", "-pk").values_list("published_at", "pk"))

    def from_start(self, start: tuple):
        """The items from `start` (a `page_starts` entry) on, newest first: the
        publication time bounds the index walk, the id breaks ties."""
        published_at, pk = start
        return self.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lte=pk)).filter(
            published_at__lte=published_at
        ).order_by("-published_at", "-pk")

    def with_column_and_unit(self):
        """Each item with its column (and the column's path, duties and sub-columns) and
        its unit, from the directory: no join, no further query."""
        clone = self.all()
        clone._iterable_class = DirectoryIterable
        return clone

    def for_listing(self):
        """What a list row shows (presentation.item_rows, the 政府文件库's table): metadata,
        unit and the column with its path. Only those columns: a row of all twenty-six cost
        more to compile, fetch and build than the page's own work."""
        return self.only(*LISTED_FIELDS).with_column_and_unit()


class Item(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审核"
        RETURNED = "returned", "已退回"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    class Validity(models.TextChoices):
        # 国办发〔2017〕47号: amended, repealed or expired documents stay published, marked.
        VALID = "valid", "有效"
        EXPIRED = "expired", "失效"
        REPEALED = "repealed", "废止"

    # No index of their own: item_column_published and item_unit_published begin with them.
    # (A separate one, small once deduplicated, tempted the planner to AND all of a column
    # subtree's rows into a keyword search's bitmap: 634,000 row ids for a few thousand matches.)
    column = models.ForeignKey(Column, models.PROTECT, related_name="items", verbose_name="栏目", db_index=False)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="items", verbose_name="发布机构", db_index=False)
    index_number = models.CharField("索引号", max_length=40, unique=True, null=True, blank=True, editable=False)
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=60, blank=True, help_text="如 芙政办发〔2020〕13号。")
    written_on = models.DateField("成文日期", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True, db_index=True)
    theme = models.CharField("主题分类", max_length=16, choices=Theme.choices, default=Theme.GENERAL)
    genre = models.CharField("体裁", max_length=16, choices=Genre.choices, default=Genre.NOTICE)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)
    # Normalised title, body, 文号 and 索引号 with CJK bigrams, maintained by the write
    # services so that one- and two-character Chinese searches can use an index.
    search_text = models.TextField("检索文本", blank=True, editable=False)

    is_normative = models.BooleanField("规范性文件", default=False)
    normative_kind = models.CharField(
        "文件类别", max_length=20, choices=NormativeKind.choices, blank=True,
        help_text="规范性文件的类别，计入年报表二；区级机关制发的一般为行政规范性文件（规章只由省、设区的市政府制定）。",
    )  # fmt: skip
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, blank=True)
    validity_since = models.DateField("有效性起始日期", null=True, blank=True)
    successor = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="predecessors", verbose_name="替代文件"
    )
    interprets = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="interpretations", verbose_name="解读的文件"
    )

    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    review_comment = models.TextField("审核意见", blank=True)
    withdrawn_reason = models.TextField("撤回原因", blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="创建人"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ("-published_at", "-pk")
        permissions = (("review_item", "Can review 政府信息（审核、发布、退回、撤回）"),)
        # Lists are ordered by (-published_at, -pk); ending each index with both lets the
        # database read the newest rows in order and stop, instead of sorting them all.
        indexes = (
            # Covering on PostgreSQL: a list filtered by column or unit walks this index
            # in order and checks the filter without reading the rows it skips.
            models.Index(
                fields=("state", "-published_at", "-id"), include=("column", "unit"), name="item_state_published"
            ),
            models.Index(fields=("column", "state", "-published_at", "-id"), name="item_column_published"),
            models.Index(fields=("unit", "state", "-published_at", "-id"), name="item_unit_published"),
            models.Index(fields=("is_normative", "state", "-published_at", "-id"), name="item_normative_published"),
            models.Index(fields=("is_normative", "validity", "state", "-published_at", "-id"), name="item_normative"),
            models.Index(fields=("theme", "-published_at", "-id"), name="item_theme_published"),
            models.Index(fields=("genre", "-published_at", "-id"), name="item_genre_published"),
            models.Index(fields=("doc_number",), name="item_doc_number"),
            models.Index(fields=("written_on",), name="item_written_on"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(is_normative=True, validity__in=("valid", "expired", "repealed"))
                | Q(is_normative=False, validity=""),
                name="item_validity_iff_normative",
            ),
            models.CheckConstraint(
                condition=Q(is_normative=True) | Q(normative_kind=""),
                name="item_normative_kind_iff_normative",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=("published", "withdrawn"))
                | Q(index_number__isnull=False, published_at__isnull=False),
                name="item_published_has_index_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | (~Q(withdrawn_reason="") & Q(withdrawn_at__isnull=False)),
                name="item_withdrawn_has_reason",
            ),
            models.CheckConstraint(condition=~Q(successor=F("pk")), name="item_not_own_successor"),
            models.CheckConstraint(condition=~Q(interprets=F("pk")), name="item_not_own_interpretation"),
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosure:item", args=(self.pk,))

    def is_public(self, now=None) -> bool:
        """What `ItemQuerySet.published` selects, for one loaded item."""
        return (
            self.state == Item.State.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    def is_publicly_addressable(self, now=None) -> bool:
        """What `ItemQuerySet.publicly_addressable` selects, for one loaded item."""
        return self.state == Item.State.WITHDRAWN or self.is_public(now)

    def from_directory(self, found=None) -> "Item":
        """The item with its column (its path set) and unit taken from the directory
        (responsibility.directory), not read from the database."""
        found = found or directory()
        column, unit = found.columns.get(self.column_id), found.units.get(self.unit_id)
        # Kept as the descriptors would keep them (the ids are already theirs), without the
        # descriptors' checks, which took a tenth of a list's rows.
        if column is not None:  # else (a column newer than the directory) read when asked for
            Item.column.field.set_cached_value(self, column)
        if unit is not None:
            Item.unit.field.set_cached_value(self, unit)
        return self

    @property
    def is_interpretation(self) -> bool:
        return self.interprets_id is not None


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is ours; the uploader's file name is kept in `name` only, so
    # no user-chosen path ever reaches the file system.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{timezone.now():%d%H%M%S%f}.{extension}"


class Attachment(models.Model):
    item = models.ForeignKey(Item, models.CASCADE, related_name="attachments", verbose_name="所属信息")
    file = models.FileField("文件", storage=private_storage, upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ("item", "position", "pk")

    def __str__(self) -> str:
        return self.name


class IndexSequence(models.Model):
    """The last serial issued in one 机构代码's 索引号 series for one year. Keyed by the code,
    not the unit: units without a code of their own share the district government's series."""

    code = models.CharField("机构代码", max_length=18)
    year = models.PositiveSmallIntegerField("年度")
    last_serial = models.PositiveIntegerField("已用流水号", default=0)

    class Meta:
        verbose_name = "索引号流水"
        verbose_name_plural = "索引号流水"
        ordering = ("code", "year")
        constraints = (
            models.UniqueConstraint(fields=("code", "year"), name="index_sequence_unique_code_year"),
            # 国办秘函〔2009〕6号: the serial has five digits.
            models.CheckConstraint(condition=Q(last_serial__lte=99999), name="index_sequence_five_digits"),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.year}：{self.last_serial}"


class ItemRevision(models.Model):
    """One recorded change of an item: who, when, what, and the item as it then was."""

    class Action(models.TextChoices):
        CREATED = "created", "创建"
        EDITED = "edited", "修改"
        SUBMITTED = "submitted", "提交审核"
        RETURNED = "returned", "退回"
        PUBLISHED = "published", "发布"
        WITHDRAWN = "withdrawn", "撤回"
        VALIDITY = "validity", "有效性变更"
        RESTORED = "restored", "恢复历史版本"
        IMPORTED = "imported", "批量导入"

    item = models.ForeignKey(Item, models.CASCADE, related_name="revisions", verbose_name="信息")
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    changes = models.JSONField("变更字段", default=dict, blank=True, help_text="{字段: [旧值, 新值]}")
    snapshot = models.JSONField("版本快照", default=dict)
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.item} · {self.get_action_display()} · {self.created_at:%Y-%m-%d %H:%M}"
