"""django-filter FilterSets of the public site: search, the 政府文件库, a column's list.

Every filter maps onto an indexed column (see Item.Meta.indexes) or the search
index; dates are turned into ranges of `published_at` so the index on it is used
(a `__date` or `__year` transform per row would not be)."""

import copy
import datetime
import html

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from furong_portal.pagecache import fragment
from responsibility.directory import directory
from responsibility.models import Column

from .models import Genre, Item, Theme, column_subtree_ids
from .search import SearchQuery, rank_window, term_match_count

FIRST_YEAR = 2000


class Select(forms.Select):
    """A <select> rendered in Python. Django renders every <option> through a template
    of its own, and builds a dictionary per option before that, which made the search
    form's ~130 options cost more than the rest of the page; the markup is the same
    (flat choices, the first matching option selected). Escaped with the standard
    library's html.escape, as Django's escape() does, without its per-call checks for
    lazy strings (a third of a millisecond per hundred options)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [("" if option is None else str(option), label) for option, label in self.choices]
        values = self.format_value(value)
        chosen = next((option for option, _ in choices if option in values), None)
        options = "".join(
            f'<option value="{_escaped(option)}"{" selected" if option == chosen else ""}>{_escaped(label)}</option>'
            for option, label in choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, mark_safe(options))


def _escaped(text) -> str:
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


# Any date a form accepts is clamped into this range: beyond it a moment in the site's
# time zone cannot be converted for every database (0001-01-01, 9999-12-31 overflow),
# and nothing public is dated outside it.
EARLIEST_DAY, LATEST_DAY = datetime.date(1900, 1, 1), datetime.date(9998, 12, 31)


def _start_of(day: datetime.date) -> datetime.datetime:
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _end_of(day: datetime.date) -> datetime.datetime:
    """The moment after `day` (the end of a range of days is exclusive)."""
    return _start_of(day) + datetime.timedelta(days=1)


def year_choices():
    return [(year, f"{year}年") for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


def filter_year(queryset, name, value):
    year = int(value)
    return queryset.filter(
        published_at__gte=_start_of(datetime.date(year, 1, 1)), published_at__lt=_start_of(datetime.date(year + 1, 1, 1))
    )


def column_choices():
    """Every column in tree order, indented by level; one query per generation of public
    content (every search form has them)."""

    def build():
        columns = list(Column.objects.only("pk", "parent_id", "number", "title", "level", "order"))
        children: dict[int | None, list[Column]] = {}
        for column in columns:
            children.setdefault(column.parent_id, []).append(column)
        choices = []

        def walk(parent_id):
            for column in sorted(children.get(parent_id, ()), key=lambda c: c.order):
                choices.append((column.pk, "\u3000" * (column.level - 1) + f"{column.number} {column.title}".strip()))
                walk(column.pk)

        walk(None)
        return tuple(choices)

    return list(fragment("column-choices", build))


def unit_choices():
    """The active units (from the directory: no query)."""
    return [(unit.pk, unit.name) for unit in directory().active_units()]


class UnitFilter(django_filters.ChoiceFilter):
    """发布机构: an active unit."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "发布机构")
        kwargs.setdefault("choices", unit_choices)
        kwargs.setdefault("empty_label", "全部机构")
        kwargs.setdefault("widget", Select)
        kwargs.setdefault("field_name", "unit_id")
        super().__init__(**kwargs)


class FormPerGenerationFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters are copied shallowly and whose form class is built once
    per generation of public content and process (`fragment`), not per request:
    django-filter deep-copies every filter (their choices, lazy labels and widgets
    included) and builds a form class with a field per filter for each instance, about
    a third of a millisecond of a search. Filters keep nothing of a request but their
    `parent` and `model`, set on the copies below; a method filter's FilterMethod is
    bound again to its copy. The form class's fields are deep-copied by each form as
    Django does; their choices (columns, units) are read when iterated."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _filter_copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        return fragment(f"filter-form-class:{type(self).__module__}.{type(self).__qualname__}", self._form_class_build)

    def _form_class_build(self):
        form_class = super().get_form_class()
        form_class.base_fields = _FieldsSharingChoices(form_class.base_fields)
        return form_class


class _FieldsSharingChoices(dict):
    """A form class's fields, whose deep copy (each form's `fields`) shares the fields'
    choices instead of copying every (value, label) pair: nothing changes a choice
    field's choices after the class is built, and copying them was most of a search
    form's construction."""

    def __deepcopy__(self, memo):
        for field in self.values():
            choices = getattr(field, "_choices", None)
            if choices is not None:
                memo[id(choices)] = choices
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


def _filter_copy(original):
    filter_ = copy.copy(original)
    if original.method is not None:
        filter_.method = original.method  # a FilterMethod of the copy, not of the original
    return filter_


class ItemSearchFilter(FormPerGenerationFilterSet):
    """信息检索: keyword over title, body, 文号, 索引号 and 关键词, narrowed by metadata."""

    SORT_RELEVANCE, SORT_DATE = "relevance", "date"

    q = django_filters.CharFilter(label="关键词", method="filter_keywords", max_length=100)
    column = django_filters.ChoiceFilter(
        widget=Select,
        label="栏目（含下级栏目）", choices=column_choices, method="filter_column", empty_label="全部栏目"
    )
    unit = UnitFilter()
    start = django_filters.DateFilter(
        label="发布日期自", method="filter_start", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(label="至", method="filter_end", widget=forms.DateInput(attrs={"type": "date"}))
    theme = django_filters.ChoiceFilter(widget=Select, label="主题分类", choices=Theme.choices, empty_label="全部主题")
    genre = django_filters.ChoiceFilter(widget=Select, label="体裁", choices=Genre.choices, empty_label="全部体裁")
    validity = django_filters.ChoiceFilter(
        widget=Select,
        label="规范性文件",
        choices=(("normative", "全部规范性文件"), *Item.Validity.choices),
        method="filter_validity",
        empty_label="不限",
    )
    sort = django_filters.ChoiceFilter(
        widget=Select,
        label="排序",
        choices=((SORT_RELEVANCE, "按相关度"), (SORT_DATE, "按发布日期")),
        method="filter_nothing",
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = Item
        fields = ("q", "column", "unit", "start", "end", "theme", "genre", "validity", "sort")

    def filter_keywords(self, queryset, name, value):
        return queryset.search(value)

    def filter_column(self, queryset, name, value):
        return queryset.in_column_tree(Column(pk=int(value)))

    def filter_start(self, queryset, name, value):
        return queryset.filter(published_at__gte=_start_of(value))

    def filter_end(self, queryset, name, value):
        return queryset.filter(published_at__lt=_end_of(value))

    def filter_validity(self, queryset, name, value):
        queryset = queryset.normative()
        return queryset if value == "normative" else queryset.filter(validity=value)

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Every match, unordered: the ranked list holds only the newest RANK_CANDIDATES.
        self.matches = queryset
        keywords = self.form.cleaned_data.get("q")
        self.ranked = bool(keywords) and self.form.cleaned_data.get("sort") != self.SORT_DATE
        if self.ranked and SearchQuery.parse(keywords).rankable:
            return queryset.by_relevance(keywords, window=self.rank_window())
        self.ranked = False
        return queryset.order_by("-published_at", "-pk")

    def rank_window(self):
        """Where the keywords are narrowed by column and unit at most (no dates), the
        publication time from which to look first for the candidates of the ranking
        (search.rank_window)."""
        scope = self._term_scope()
        if scope is None or scope["start"] or scope["end"]:
            return None
        query = SearchQuery.parse(self.form.cleaned_data.get("q") or "")
        return rank_window(query, timezone.now(), columns=scope["columns"], unit=scope["unit"])

    def _term_scope(self) -> dict | None:
        """The column subtree, unit and dates the keywords are narrowed to, as the term
        counts know them (kept per column and unit, and per column and quarter); None
        where another filter (theme, genre, validity) narrows the list."""
        data = self.form.cleaned_data
        others = (name for name in self.filters if name not in ("q", "sort", "column", "unit", "start", "end"))
        if any(data.get(name) not in (None, "") for name in others):
            return None
        column, unit, start, end = data.get("column"), data.get("unit"), data.get("start"), data.get("end")
        return {
            "columns": column_subtree_ids(int(column)) if column else None,
            "unit": int(unit) if unit else None,
            "start": _start_of(start) if start else None,
            "end": _end_of(end) if end else None,
        }

    def match_count(self, limit: int) -> int | None:
        """The number of matches up to `limit` + 1, known without reading them all where the
        keywords are narrowed by column, unit and dates at most (search.term_match_count);
        None otherwise."""
        scope = self._term_scope()
        if scope is None:
            return None
        query = SearchQuery.parse(self.form.cleaned_data.get("q") or "")
        return term_match_count(query, timezone.now(), limit, **scope)


class DocumentFilter(FormPerGenerationFilterSet):
    """政府文件库: normative documents by unit, year, validity and 文号."""

    unit = UnitFilter()
    year = django_filters.ChoiceFilter(
        widget=Select,
        label="发布年份", choices=year_choices, method=filter_year, empty_label="全部年份"
    )
    validity = django_filters.ChoiceFilter(widget=Select, label="有效性", choices=Item.Validity.choices, empty_label="全部")
    doc_number = django_filters.CharFilter(label="文号", method="filter_doc_number", max_length=60)
    q = django_filters.CharFilter(label="标题或正文关键词", method="filter_keywords", max_length=100)

    class Meta:
        model = Item
        fields = ("unit", "year", "validity", "doc_number", "q")

    def filter_doc_number(self, queryset, name, value):
        # The search index narrows the rows (文号 is part of the search text); the
        # substring test then keeps only those whose 文号 itself contains the value.
        return queryset.search(value).filter(doc_number__icontains=value.strip())

    def filter_keywords(self, queryset, name, value):
        return queryset.search(value)


class ColumnItemFilter(FormPerGenerationFilterSet):
    """A column's list: by year of publication and by publishing unit."""

    year = django_filters.ChoiceFilter(
        widget=Select,
        label="发布年份", choices=year_choices, method=filter_year, empty_label="全部年份"
    )
    unit = UnitFilter()

    class Meta:
        model = Item
        fields = ("year", "unit")
