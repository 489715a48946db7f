"""The read-only public API (/api/v1/), with its OpenAPI schema at /api/v1/openapi.json and
an explorer at /api/v1/docs (Swagger UI served from our own static files, no CDN).

django-ninja: the response models in `schemas.py` validate every answer and generate the
OpenAPI schema, so the documentation cannot drift from the code. Filters are the public
search page's FilterSet (`disclosure.filters.ItemSearchFilter`), so a keyword, a column
subtree, a unit, dates and validity mean here exactly what they mean there. Every answer
carries an ETag (304 on If-None-Match) and the public pages' cache headers."""

import datetime
from typing import Literal

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import conditional_page
from ninja import NinjaAPI, Path, Query, Status
from ninja.decorators import decorate_view
from ninja.errors import ValidationError as NinjaValidationError

from disclosure.filters import ItemSearchFilter
from disclosure.models import Genre, Item, Theme
from disclosure.views import SearchView, public_cache
from furong_portal import ratelimit
from furong_portal.client_ip import client_ip
from responsibility.models import Column

from . import records
from .schemas import (
    CatalogueEntryRecord,
    ColumnDetail,
    ErrorOut,
    ItemDetail,
    ItemPage,
    UnitRecord,
    WorkPointDetail,
)

MAX_ID = 2**63 - 1  # the databases' bigint; larger numbers are refused, not sent to the database
DEFAULT_LIMIT, MAX_LIMIT = 20, 100

api = NinjaAPI(
    title="芙蓉区政府信息公开平台 开放数据接口",
    version="1",
    description="只读接口：已公开的政府信息（含已撤回信息的撤回说明）、栏目及其责任单位、责任单位、工作要点及经审核的公开进展、"
    "基层政务公开标准目录。无需登录；不含任何个人信息。批量下载见 /open-data/。",
    urls_namespace="api",
)


class BadRequest(Exception):
    pass


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request, exc):
    fields = sorted({".".join(str(part) for part in error.get("loc", ())[1:]) or "?" for error in exc.errors})
    return public_cache(request, api.create_response(request, {"detail": f"参数无效：{'、'.join(fields)}"}, status=400))


@api.exception_handler(BadRequest)
def bad_request(request, exc):
    return public_cache(request, api.create_response(request, {"detail": str(exc)}, status=400))


@api.exception_handler(Http404)
def not_found(request, exc):
    return public_cache(request, api.create_response(request, {"detail": "未找到。"}, status=404))


def _cached(view):
    """ETag from the body (304 when it matches If-None-Match) and the public pages' cache headers."""
    conditional = conditional_page(view)

    def wrapped(request, *args, **kwargs):
        return public_cache(request, conditional(request, *args, **kwargs))

    return wrapped


cached = decorate_view(_cached)
ERRORS = {400: ErrorOut, 404: ErrorOut}


# --- Items ---------------------------------------------------------------------------


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
# A cursor is the last row's position in the list order: microseconds since 1970 of its
# 发布日期, a hyphen, its id. Every string of this shape is a valid position.
CURSOR_PATTERN = r"^[0-9]{1,16}-[0-9]{1,19}$"


def cursor_encode(item: Item) -> str:
    since = item.published_at - EPOCH
    return f"{(since.days * 86400 + since.seconds) * 10**6 + since.microseconds}-{item.pk}"


def cursor_decode(cursor: str) -> tuple[datetime.datetime, int]:
    micros, pk = cursor.split("-")
    return EPOCH + datetime.timedelta(microseconds=int(micros)), min(int(pk), MAX_ID)


def after(queryset, cursor: str):
    """Keyset pagination on (-published_at, -id), the order of the list indexes."""
    published_at, pk = cursor_decode(cursor)
    return queryset.filter(published_at__lte=published_at).exclude(published_at=published_at, pk__gte=pk)


def search_throttled(request):
    """A keyword query reads the whole collection like /search/, so it counts against the
    same per-client allowance (`search_per_ip`) and is refused the same way when used up."""
    seconds = ratelimit.retry_after(SearchView.limit_scope)
    response = api.create_response(request, {"detail": f"检索过于频繁，请 {seconds} 秒后再试。"}, status=429)
    response["Retry-After"] = str(seconds)
    patch_cache_control(response, no_store=True)
    return response


@api.get("/items", response={200: ItemPage, 429: ErrorOut, **ERRORS}, tags=["政府信息"], summary="政府信息列表")
@cached
def list_items(
    request,
    q: str | None = Query(
        None, max_length=100, description="关键词（标题、正文、文号、索引号、关键词），与站内检索相同；只检索已发布的信息"
    ),
    column: int | None = Query(None, ge=1, le=MAX_ID, description="栏目编号，含其下级栏目（见 /columns 的 id）"),
    unit: int | None = Query(None, ge=1, le=MAX_ID, description="发布机构编号（见 /units）"),
    start: datetime.date | None = Query(None, description="发布日期自（含）"),
    end: datetime.date | None = Query(None, description="发布日期至（含）"),
    theme: Theme | None = Query(None, description="主题分类代码"),
    genre: Genre | None = Query(None, description="体裁代码"),
    validity: Literal["normative", "valid", "expired", "repealed"] | None = Query(
        None, description="规范性文件：normative 全部规范性文件，或按有效性"
    ),
    status: Literal["published", "withdrawn"] | None = Query(None, description="只看已发布或已撤回；默认两者都有"),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数"),
    cursor: str | None = Query(None, pattern=CURSOR_PATTERN, description="上一页返回的 next_cursor"),
):
    """已发布和已撤回的政府信息，按发布日期从新到旧；已撤回的信息只给出索引号、标题、栏目、发布机构、日期和撤回原因。"""
    if q and q.strip() and ratelimit.take(SearchView.limit_scope, client_ip(request) or "") is None:
        return search_throttled(request)
    filters = QueryDict(mutable=True)
    for name, value in (("q", q), ("column", column), ("unit", unit), ("start", start), ("end", end),
                        ("theme", theme), ("genre", genre), ("validity", validity)):  # fmt: skip
        if value is not None:
            filters[name] = str(value)
    filters["sort"] = ItemSearchFilter.SORT_DATE
    filterset = ItemSearchFilter(filters, queryset=records.item_rows())
    if not filterset.is_valid():
        if set(filterset.errors) <= {"column", "unit"}:
            raise Http404  # a well-formed number that names no column or unit
        raise BadRequest("参数无效：" + "、".join(sorted(filterset.errors)))
    items = filterset.qs
    if q and q.strip():
        # A withdrawn item's body is no longer public: keywords must not probe it (as on /search/).
        items = items.published()
    if status == "withdrawn":
        items = items.filter(state=Item.State.WITHDRAWN)
    elif status == "published":
        items = items.published()
    if cursor:
        items = after(items, cursor)
    page = list(items[: limit + 1])
    now = timezone.now()
    next_cursor = cursor_encode(page[limit - 1]) if len(page) > limit else None
    following = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        following = f"{request.path}?{query.urlencode()}"
    return {"results": [records.item_record(item, now) for item in page[:limit]], "next_cursor": next_cursor,
            "next": following}  # fmt: skip


@api.get("/items/{item_id}", response={200: ItemDetail, 410: ItemDetail, **ERRORS}, tags=["政府信息"], summary="一条政府信息")
@cached
def get_item(request, item_id: int = Path(..., ge=1, le=MAX_ID, description="信息编号")):
    """正文、附件、解读与替代关系；已撤回的信息答 410，并说明撤回时间与原因。"""
    item = get_object_or_404(records.item_detail_rows(), pk=item_id)
    return Status(410 if item.state == Item.State.WITHDRAWN else 200, records.item_detail(item))


# --- Columns, units ------------------------------------------------------------------


@api.get("/columns", response={200: list[ColumnDetail], **ERRORS}, tags=["栏目"], summary="栏目树")
@cached
def list_columns(request):
    """全部栏目（三级），按层级和顺序，含各栏目的责任单位。"""
    return [records.column_detail(column) for column in records.column_rows().with_duties()]


@api.get("/columns/{slug}", response={200: ColumnDetail, **ERRORS}, tags=["栏目"], summary="一个栏目")
@cached
def get_column(request, slug: str = Path(..., max_length=40, description="栏目网址标识")):
    return records.column_detail(get_object_or_404(records.column_rows().with_duties(), slug=slug))


@api.get("/units", response={200: list[UnitRecord], **ERRORS}, tags=["责任单位"], summary="责任单位")
@cached
def list_units(request):
    return [records.unit_record(unit) for unit in records.unit_rows()]


@api.get("/units/{unit_id}", response={200: UnitRecord, **ERRORS}, tags=["责任单位"], summary="一个责任单位")
@cached
def get_unit(request, unit_id: int = Path(..., ge=1, le=MAX_ID, description="单位编号")):
    return records.unit_record(get_object_or_404(records.unit_rows(), pk=unit_id))


# --- Work points ---------------------------------------------------------------------


YEAR = Query(None, ge=2000, le=2100, description="年度；默认最新一年的工作要点")


@api.get("/work-points", response={200: list[WorkPointDetail], **ERRORS}, tags=["工作要点"], summary="工作要点")
@cached
def list_work_points(request, year: int | None = YEAR):
    """一年的政务公开工作要点，各责任单位的任务、公开状态和经区政务公开办审核通过的公开进展摘要。"""
    return [records.work_point_detail(point) for point in records.work_point_rows(year=year or records.newest_plan_year())]


@api.get("/work-points/{number}", response={200: WorkPointDetail, **ERRORS}, tags=["工作要点"], summary="一条工作要点")
@cached
def get_work_point(request, number: int = Path(..., ge=1, le=99, description="工作要点序号"), year: int | None = YEAR):
    points = records.work_point_rows(year=year or records.newest_plan_year())
    return records.work_point_detail(get_object_or_404(points, number=number))


# --- 标准目录 -------------------------------------------------------------------------


@api.get("/catalogue", response={200: list[CatalogueEntryRecord], **ERRORS}, tags=["标准目录"], summary="基层政务公开标准目录")
@cached
def list_catalogue(
    request, column: str | None = Query(None, max_length=40, description="栏目网址标识，含其下级栏目")
):
    """国办发〔2019〕54号 标准目录的全部条目，按栏目树顺序。"""
    entries = records.catalogue_rows()
    if column is not None:
        entries = entries.in_column_tree(get_object_or_404(Column.objects.only("pk"), slug=column))
    return [records.catalogue_record(entry) for entry in entries]
