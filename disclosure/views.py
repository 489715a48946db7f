"""The public disclosure site. Views only gather what templates show; reads are
QuerySet methods (disclosure.models.ItemQuerySet), filters are FilterSets."""

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import escape
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, TemplateView

from furong_portal import ratelimit
from furong_portal.client_ip import client_ip
from furong_portal.pagecache import ELDER_MODE_COOKIE, PublicCacheMixin, fragment, public_cache
from furong_portal.precompiled import Precompiled
from furong_portal.storage import file_response
from responsibility.directory import directory
from responsibility.models import Unit

from . import access, search
from .consultations.models import Consultation
from .filters import ColumnItemFilter, DocumentFilter, ItemSearchFilter
from .models import Attachment, Item, column_subtree_ids
from .presentation import result_snippets
from .requests.selectors import REQUESTS_COLUMN_NUMBER
from .topics.models import Topic

PAGE_SIZE = 20
# Up to this many pages every page number is linked, so that with a year chosen any
# item of a column is a few clicks from the home page; beyond it the range is elided.
FULL_PAGE_RANGE = 20
# Lists count their rows up to this many (see BoundedPaginator).
COUNT_LIMIT = 10_000
# Quick entries of the home page (seed column slugs): 政府信息公开指南, 政府信息公开制度,
# 政府信息公开年报.
GUIDE_SLUG, RULES_SLUG, ANNUAL_REPORT_SLUG = "1", "2", "4"


class BoundedPaginator(Paginator):
    """Counts at most COUNT_LIMIT + 1 rows: a list knows its size exactly up to
    COUNT_LIMIT and says "10,000+" beyond, and offers the pages up to that point
    (a bounded page range: no COUNT(*) over a whole collection, no OFFSET deeper
    than COUNT_LIMIT). Older items of a long list are reached by its filters.

    `count`, if given, is a function of the limit that may know the count up to it
    without counting rows (the search's term counts, a ranked list's share of its
    matches) and returns None where it does not. `starts`, if given, returns the first
    row of each page (ItemQuerySet.page_starts) of a list in publication order: pages
    past the first are then read from their first row on, with no OFFSET. `rows`, if
    given with `starts`, reads a page's items from its first row (None: the first page)
    instead of `object_list` (a statement compiled once: `COLUMN_PAGE_ROWS`)."""

    def __init__(self, object_list, per_page, *, count=None, starts=None, rows=None, **kwargs):
        self.known_count = count
        self.starts = starts
        self.rows = rows
        super().__init__(object_list, per_page, **kwargs)

    def _check_object_list_is_ordered(self):
        # With `rows` the list may be built only when a page needs it (SimpleLazyObject).
        if self.rows is None:
            super()._check_object_list_is_ordered()

    @cached_property
    def count(self) -> int:
        known = self.known_count(COUNT_LIMIT) if self.known_count else None
        if known is not None:
            return min(known, COUNT_LIMIT + 1)
        return bounded_count(self.object_list)

    @property
    def capped(self) -> bool:
        return self.count > COUNT_LIMIT

    @property
    def num_pages(self) -> int:
        return min(super().num_pages, max(1, COUNT_LIMIT // self.per_page))

    @property
    def count_text(self) -> str:
        return f"{COUNT_LIMIT:,}+" if self.capped else str(self.count)

    def page(self, number):
        """The page's rows by a deferred join: the sub-select pages through ids alone
        (an index-only walk on PostgreSQL), the outer query reads the 20 rows. A list
        ordered by relevance is already bounded (RANK_CANDIDATES) and, nested once
        more, would get a poor plan: it is sliced as it is."""
        if self.rows is None:
            query = self.object_list.query
            if query.annotations or query.extra:
                return super().page(number)
        number = self.validate_number(number)
        if self.rows is not None and number == 1:
            return self._get_page(self.rows(None), number, self)
        starts = self.starts() if self.starts is not None and number > 1 else ()
        if number <= len(starts):  # else (a count and starts of different moments) as below
            start = starts[number - 1]
            rows = self.rows(start) if self.rows is not None else self.object_list.from_start(start)[: self.per_page]
            return self._get_page(rows, number, self)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def bounded_count(items) -> int:
    """How many rows `items` holds, counting at most COUNT_LIMIT + 1."""
    return items.order_by().values("pk")[: COUNT_LIMIT + 1].count()


def counted_per_generation(name: str, items):
    """A `known_count` for BoundedPaginator: `items` counted once per generation of public
    content (`fragment` `name`), for a whole list whose every page shows the same count."""
    return lambda limit: fragment(name, lambda: bounded_count(items))


class BeyondLastPage(Exception):
    def __init__(self, last: int):
        self.last = last


class PaginatedMixin:
    """Context for one page of a list, with a page range fit for links. A page number
    past the last page (a bounded list offers COUNT_LIMIT // page_size at most) is
    redirected to the last page: one address per page, not every number beyond it a
    page of its own to render, each with the deepest OFFSET of the list."""

    page_size = PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except BeyondLastPage as beyond:
            query = request.GET.copy()
            query["page"] = str(beyond.last)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")

    def paginate(self, queryset, count=None, starts=None, rows=None):
        paginator = BoundedPaginator(queryset, self.page_size, count=count, starts=starts, rows=rows)
        number = self.request.GET.get("page", "")
        # isdecimal: what int() reads ("²" is a digit it refuses); no int() of a thousand digits.
        if number.isdecimal() and (len(number) > 9 or int(number) > paginator.num_pages):
            raise BeyondLastPage(paginator.num_pages)
        page = paginator.get_page(number or None)
        if paginator.num_pages <= FULL_PAGE_RANGE:
            page_range = paginator.page_range
        else:
            page_range = paginator.get_elided_page_range(page.number, on_each_side=3, on_ends=2)
        return {"page_obj": page, "paginator": paginator, "page_range": page_range, "items": page.object_list}


class HomeView(PublicCacheMixin, TemplateView):
    template_name = "disclosure/home.html"

    def get_context_data(self, **kwargs):
        published = Item.objects.published().for_listing()
        return super().get_context_data(
            columns=directory().roots,
            latest_items=published[:10],
            latest_documents=published.normative()[:6],
            latest_interpretations=published.interpretations()[:6],
            topics=Topic.objects.current().only("pk", "title", "slug", "banner_text"),
            quick_entries=(
                ("政府信息公开指南", reverse("disclosure:column", args=(GUIDE_SLUG,))),
                ("政府信息公开制度", reverse("disclosure:column", args=(RULES_SLUG,))),
                ("政府文件库", reverse("disclosure:documents")),
                ("依申请公开", reverse("requests:index")),
                ("政府信息公开年报", reverse("disclosure:column", args=(ANNUAL_REPORT_SLUG,))),
            ),
            **kwargs,
        )


def _column_page(columns, now, start):
    """A page of the whole list of the columns `columns`: the first (`start` None) or
    the one from `start` (ItemQuerySet.page_starts)."""
    items = Item.objects.published(now).in_columns(columns).for_listing().order_by("-published_at", "-pk")
    return (items.from_start(start) if start else items)[:PAGE_SIZE]


# Compiled once per process and shape (how many columns, the first page or another):
# building and compiling the QuerySet cost ~0.75 ms, more than PostgreSQL takes to run it.
COLUMN_PAGE_ROWS = Precompiled(_column_page)


class ColumnView(PublicCacheMixin, PaginatedMixin, DetailView):
    """A column: path, responsible units, sub-columns and the items of its subtree."""

    template_name = "disclosure/column_detail.html"
    context_object_name = "column"

    def get_object(self, queryset=None):
        """From the directory, with its path, duties and sub-columns (no query)."""
        column = directory().by_slug.get(self.kwargs["slug"])
        if column is None:
            raise Http404("没有这个栏目。")
        return column

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        now = timezone.now()
        # Built when used: a page of the whole list reads its rows by a compiled statement
        # (COLUMN_PAGE_ROWS) and its count, first pages' rows and dates once per generation.
        subtree = SimpleLazyObject(lambda: Item.objects.published(now).in_column_tree(self.object))
        latest, first = fragment(f"column-dates:{self.object.pk}", lambda: publication_span(subtree))
        if request.GET.keys() <= {"page"}:
            # No filter chosen: its form only renders in a fragment kept per generation.
            filterset = SimpleLazyObject(lambda: ColumnItemFilter(queryset=subtree.for_listing(), request=request))
            items, filtered = SimpleLazyObject(lambda: subtree.for_listing()), False
        else:
            filterset = ColumnItemFilter(request.GET, queryset=subtree.for_listing(), request=request)
            # A filtered list is counted each time (its combinations are many), the whole
            # list once per generation.
            items, filtered = filterset.qs, filters_chosen(filterset)
        ordered = SimpleLazyObject(lambda: items.order_by("-published_at", "-pk"))

        def whole_list_starts():
            return fragment(f"column-starts:{self.object.pk}", lambda: ordered.page_starts(self.page_size, COUNT_LIMIT))

        def whole_list_rows(start):
            found, columns = directory(), column_subtree_ids(self.object.pk)
            rows = COLUMN_PAGE_ROWS.rows(columns=columns, now=now, start=start)
            return [item.from_directory(found) for item in rows]

        context = self.get_context_data(
            object=self.object,
            filterset=filterset,
            filtered=filtered,
            last_updated=latest,
            years=range(timezone.localtime(latest).year, timezone.localtime(first).year - 1, -1) if latest else (),
            feed_url=reverse("disclosure:column-feed", args=(self.object.slug,)),
            # The 指南 and column 五 依申请公开 lead to the request form and the 受理机关.
            requests_entry=self.object.parent_id is None and self.object.number == REQUESTS_COLUMN_NUMBER
            or self.object.slug == GUIDE_SLUG,
            **self.paginate(
                ordered,
                count=None if filtered else counted_per_generation(f"column-count:{self.object.pk}", items),
                starts=None if filtered else whole_list_starts,
                rows=None if filtered else whole_list_rows,
            ),
        )
        return self.render_to_response(context)


def filters_chosen(filterset) -> bool:
    """Whether the visitor chose a filter, valid or not: if not, every page of the list
    shows the same count and the same filter form."""
    return filterset.is_bound and (not filterset.is_valid() or any(filterset.form.cleaned_data.values()))


def publication_span(items) -> tuple:
    """The latest and the first publication date of `items` (None, None when empty):
    two index lookups instead of truncating every row's date."""
    latest = items.order_by("-published_at").values_list("published_at", flat=True).first()
    first = items.order_by("published_at").values_list("published_at", flat=True).first() if latest else None
    return latest, first


class SiteMapView(PublicCacheMixin, TemplateView):
    """网站地图 (国办发〔2017〕47号): every page a visitor can reach, the column tree in full."""

    template_name = "disclosure/site_map.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=directory().roots, **kwargs)


class ContactView(PublicCacheMixin, TemplateView):
    """联系我们: the disclosure office (settings.SITE_IDENTITY) and every unit's address,
    telephone and hours for requests (条例第十二条)."""

    template_name = "disclosure/contact.html"

    def get_context_data(self, **kwargs):
        units = Unit.objects.filter(is_active=True).exclude(address="", phone="", office_hours="")
        return super().get_context_data(units=units.order_by("order", "name"), **kwargs)


def _is_public(item: Item | None, now: datetime.datetime) -> bool:
    return bool(item and item.is_public(now))


# The item page's own row with its flags, compiled once per process (building and
# compiling it cost more than running it). Without the time: a scheduled item is
# told apart when loaded (`is_publicly_addressable`), so the statement never changes.
ITEM_PAGE_ROW = Precompiled(
    lambda pk: Item.objects.filter(pk=pk, state__in=(Item.State.PUBLISHED, Item.State.WITHDRAWN))
    .defer("search_text")
    .with_page_flags()
)


# The items an item's page names (ItemQuerySet.linked_to), compiled once per process
# and shape (whether the item names a successor, a document it interprets).
ITEM_PAGE_LINKED = Precompiled(
    lambda now, pk, successor, interprets: Item.objects.published(now)
    .linked_to(Item(pk=pk, successor_id=successor, interprets_id=interprets))
    .only("pk", "title", "doc_number", "published_at", "updated_at", "interprets_id", "successor_id")
)


class ItemView(PublicCacheMixin, DetailView):
    """An item with its statutory metadata; a withdrawn item answers 410 with a notice."""

    template_name = "disclosure/item_detail.html"
    context_object_name = "item"

    def get_object(self, queryset=None):
        item = ITEM_PAGE_ROW.get(self.kwargs["pk"])
        if item is None or not item.is_publicly_addressable(self.now):
            raise Http404("没有这条信息。")
        return item.from_directory()

    def get(self, request, *args, **kwargs):
        self.now = now = timezone.now()
        self.object = item = self.get_object()
        if item.state == Item.State.WITHDRAWN:
            return self.response_class(
                request=request, template="disclosure/item_withdrawn.html", context={"item": item}, status=410
            )
        # One query for the linked items, none for the lists that are empty.
        linked = []
        if item.successor_id or item.interprets_id or item.is_linked:
            linked = ITEM_PAGE_LINKED.rows(
                now=now, pk=item.pk, successor=item.successor_id, interprets=item.interprets_id
            )
        # The page shows the linked documents too, so it changes when any of them does.
        last_modified = int(max(other.updated_at for other in (item, *linked)).timestamp())
        response = get_conditional_response(request, last_modified=last_modified)
        if response is not None:
            return response
        context = self.get_context_data(
            object=item,
            successor=next((other for other in linked if other.pk == item.successor_id), None),
            interpreted=next((other for other in linked if other.pk == item.interprets_id), None),
            interpretations=[other for other in linked if other.interprets_id == item.pk],
            predecessors=[other for other in linked if other.successor_id == item.pk],
            attachments=list(item.attachments.all()) if item.has_attachments else (),
            consultations=(
                Consultation.objects.public().filter(final_document=item).only("pk", "title", "state")
                if item.has_consultations
                else ()
            ),
        )
        response = self.render_to_response(context)
        response["Last-Modified"] = http_date(last_modified)
        return response


class FilteredListView(PublicCacheMixin, PaginatedMixin, TemplateView):
    filterset_class = None

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset(), request=request)
        items, known_count = self.listing(filterset)
        context = self.get_context_data(
            filterset=filterset, filtered=filters_chosen(filterset), **self.paginate(items, known_count)
        )
        return self.render_to_response(context)

    def listing(self, filterset):
        """The list to show and a `known_count` of it (BoundedPaginator)."""
        items = filterset.qs if filterset.is_bound and filterset.is_valid() else self.unfiltered(filterset)
        return items, self.known_count(filterset)

    def unfiltered(self, filterset):
        return filterset.queryset

    def known_count(self, filterset):
        """A function that knows the list's count without counting its rows (BoundedPaginator)."""
        return None


class DocumentLibraryView(FilteredListView):
    """政府文件库 (工作要点第2条): every normative document with its validity."""

    template_name = "disclosure/document_list.html"
    filterset_class = DocumentFilter

    def get_queryset(self):
        return (
            Item.objects.published().normative().for_listing().with_interpretation_flag().order_by("-published_at", "-pk")
        )

    def known_count(self, filterset):
        return None if filters_chosen(filterset) else counted_per_generation("documents-count", filterset.queryset)


class SearchView(FilteredListView):
    """信息检索. A search the page cache could not answer runs a query over the whole
    collection, so each client may run only so many per minute (`search_per_ip`,
    counted in the shared cache); past that it gets 429 and a page saying when to retry."""

    template_name = "disclosure/search.html"
    filterset_class = ItemSearchFilter
    limit_scope = "search_per_ip"
    total = None  # a ranked search's count of all its matches (known_count)

    def get(self, request, *args, **kwargs):
        # `take` counts and compares in one step: simultaneous searches cannot all pass a
        # check made before any of them was counted.
        if request.GET and ratelimit.take(self.limit_scope, client_ip(request) or "") is None:
            return self.throttled(request)
        with search.planned_each_time():
            # Rendered here: the page's queries run while its template renders.
            return super().get(request, *args, **kwargs).render()

    def throttled(self, request):
        seconds = ratelimit.retry_after(self.limit_scope)
        response = TemplateResponse(request, "disclosure/search_throttled.html", {"seconds": seconds}, status=429)
        response["Retry-After"] = str(seconds)
        patch_cache_control(response, no_store=True)
        return response

    def get_queryset(self):
        return Item.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        # Presentation only: the terms highlighted and a snippet of each result's text.
        query = self.request.GET.get("q", "")[:100]
        snippets = result_snippets(kwargs.get("items", ()), query)
        context = super().get_context_data(query=query, snippets=snippets, **kwargs)
        filterset = kwargs["filterset"]
        context["search_form"] = search_form(self.request, filterset) or search_form_render(self.request, filterset)
        if self.total is not None:
            # The pages hold the ranked newest matches; the heading counts them all.
            context["total"] = self.total
            context["rank_candidates"] = search.RANK_CANDIDATES
        else:
            context["total"] = context["paginator"]
        return context

    def known_count(self, filterset):
        return filterset.match_count if filterset.is_bound and filterset.is_valid() else None

    def listing(self, filterset):
        items, known_count = super().listing(filterset)
        if not getattr(filterset, "ranked", False):
            return items, known_count
        # A ranked list holds the newest RANK_CANDIDATES matches: its length follows from
        # the count of all matches (exact up to COUNT_LIMIT ≥ RANK_CANDIDATES), which the
        # heading shows anyway; counting it apart would select the candidates twice.
        counted = known_count(COUNT_LIMIT)
        if counted is None:
            # The term counts cannot tell (a phrase, say): counting the matches and choosing
            # the candidates would each read every match; one read gives both.
            counted, newest = filterset.matches.counted_with_newest(COUNT_LIMIT, search.RANK_CANDIDATES)
            if newest is not None:
                items = filterset.matches.by_relevance(filterset.form.cleaned_data["q"], candidates=newest)
        self.total = BoundedPaginator(filterset.matches, self.page_size, count=lambda limit: counted)
        return items, lambda limit: min(self.total.count, search.RANK_CANDIDATES)

    def unfiltered(self, filterset):
        # An invalid form (a bad date, an unknown column) shows the errors and no results.
        return filterset.queryset.none() if filterset.is_bound else filterset.queryset.order_by("-published_at", "-pk")


# Stands in for the keywords in a search form kept per generation: valid keywords that
# Django's escaping leaves as they are and nobody types (a private-use character).
KEYWORDS_STAND_IN = "\ue000keywords\ue000"
SEARCH_FORM_TEMPLATE = "disclosure/snippets/filter_form.html"


def search_form_render(request, filterset) -> SafeString:
    """The search page's form rendered by its template."""
    return render_to_string(
        SEARCH_FORM_TEMPLATE,
        {"filterset": filterset, "action": request.path, "form_label": "检索条件", "submit_label": "检索"},
    )


def search_form(request, filterset) -> SafeString | None:
    """The search page's form where only keywords (and at most the order) were chosen:
    rendered once per generation with a stand-in for the keywords, which are then put in
    its place, escaped as Django escapes the value of a text input. Rendering the form's
    nine fields through Django's widgets cost a tenth of a cold search. None (render it
    with `search_form_render`) where another filter has a value, or the form has errors
    to show. The fragment's name holds which of the other fields were sent and empty (an
    empty <select> value selects its empty option, an absent one none)."""
    if not filterset.is_bound or not filterset.is_valid():
        return None
    data = request.GET
    shape = []
    for name in filterset.filters:
        if name == "q":
            continue
        value = data.get(name)
        if value and not (name == "sort" and value in (ItemSearchFilter.SORT_RELEVANCE, ItemSearchFilter.SORT_DATE)):
            return None
        shape.append(f"{name}={value}" if value is not None else name)

    def build() -> str:
        stand_in = data.copy()
        stand_in["q"] = KEYWORDS_STAND_IN
        html = search_form_render(request, ItemSearchFilter(stand_in, queryset=filterset.queryset.none()))
        if html.count(f' value="{KEYWORDS_STAND_IN}"') != 1:
            raise ValueError("the search form's keywords are not where they were expected")
        return html

    html = fragment(f"search-form:{request.path}:{'&'.join(shape)}", build)
    keywords = data.get("q")
    value = f' value="{escape(keywords)}"' if keywords else ""
    return mark_safe(html.replace(f' value="{KEYWORDS_STAND_IN}"', value))


@require_GET
def attachment_download(request, pk, name=None):
    """An attachment of a public item, under the name it was uploaded with."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("item").only("pk", "file", "name", "content_type", "item__state",
                                                      "item__published_at"),
        pk=pk,
    )
    public = _is_public(attachment.item, timezone.now())
    # Staff see the attachments (and inline images) of items they may see before
    # publication, e.g. in the editor; nobody else does.
    if not public and not access.items_visible_to(request.user).filter(pk=attachment.item_id).exists():
        raise Http404("该附件所属信息未公开。")
    response = file_response(attachment.file, filename=attachment.name, content_type=attachment.content_type or None)
    if not public:
        patch_cache_control(response, private=True, no_store=True)
        return response
    return public_cache(request, response, max_age=3600)


@never_cache
@require_GET
def elder_mode(request):
    """长者模式 (大字版、高对比度; 国办公开办函〔2021〕28号 适老化): a plain link sets a cookie
    and goes back, so it works without JavaScript."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("disclosure:home")
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(ELDER_MODE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDER_MODE_COOKIE, samesite="Lax")
    return response


@require_GET
def robots_txt(request):
    lines = (
        "User-agent: *",
        "Disallow: /admin/",
        f"Disallow: {reverse('disclosure:elder-mode')}",
        f"Disallow: {reverse('disclosure:search')}",
        f"Sitemap: {request.build_absolute_uri(reverse('disclosure:sitemap'))}",
    )
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    return public_cache(request, response, max_age=86400)
