"""How the public site words things people read: sizes, file kinds, dates for
`<time datetime>`, the rows of item lists and column paths, and search results with
their terms highlighted and a snippet of the text around them. Pure functions, plus
one read that fetches the bodies of a page of results in a single query (the result
lists defer the body)."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from furong_portal.pagecache import fragment
from furong_portal.precompiled import Precompiled

from .models import Item
from .search import TOKEN_RUN, normalise, strip_tags

SIZE_UNITS = ("KB", "MB", "GB", "TB")
SNIPPET_LENGTH = 120
SNIPPET_LEAD = 30

# Extension → what a person calls the file. Office suites of Chinese government desks
# (WPS) save in the same families, so they share labels.
KIND_BY_EXTENSION = {
    "pdf": "PDF 文档",
    "doc": "Word 文档", "docx": "Word 文档", "wps": "WPS 文字文档", "odt": "OpenDocument 文本",
    "xls": "Excel 表格", "xlsx": "Excel 表格", "et": "WPS 表格", "ods": "OpenDocument 表格",
    "ppt": "PowerPoint 演示文稿", "pptx": "PowerPoint 演示文稿", "dps": "WPS 演示文稿",
    "odp": "OpenDocument 演示文稿",
    "ofd": "OFD 版式文档",
    "jpg": "JPG 图片", "jpeg": "JPG 图片", "png": "PNG 图片", "gif": "GIF 图片", "webp": "WebP 图片",
    "bmp": "BMP 图片", "tif": "TIFF 图片", "tiff": "TIFF 图片",
    "zip": "ZIP 压缩包", "rar": "RAR 压缩包", "7z": "7Z 压缩包", "gz": "GZ 压缩包",
}  # fmt: skip


def human_size(size) -> str:
    """Bytes in one unit system: “606 B”, “4.9 KB”, “12 MB” (one decimal below 10)."""
    try:
        value = float(size)
    except (TypeError, ValueError):
        return "—"
    if value < 1024:
        return f"{int(value)} B"
    for unit in SIZE_UNITS:
        value /= 1024
        if value < 1024 or unit == SIZE_UNITS[-1]:
            break
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return f"{text.removesuffix('.0')} {unit}"


def file_kind(name: str, content_type: str = "") -> str:
    """The kind of a file by its extension (uploads are checked to match it), else by
    the broad family of its MIME type."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""
    if extension in KIND_BY_EXTENSION:
        return KIND_BY_EXTENSION[extension]
    family = (content_type or "").split("/", 1)[0]
    return {"image": "图片", "text": "文本文件"}.get(family, "文件")


def html_date(moment, zone=None) -> str:
    """A valid HTML date string (YYYY-MM-DD) of a date or an aware datetime, in local time
    (`zone`, else the current time zone: a list passes it once for all its rows)."""
    if moment is None:
        return ""
    if hasattr(moment, "tzinfo") and hasattr(moment, "hour"):
        moment = timezone.localtime(moment, zone) if timezone.is_aware(moment) else moment
    # Four digits of year whatever it is (strftime drops the zeros below 1000), as Django's date:"Y-m-d".
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


VALIDITY_LABELS = dict(Item.Validity.choices)


def item_rows(items: Iterable[Item], *, show_meta=False, show_path=False, show_pin=False, query="", snippets=None):
    """The `<li>` of each item of a list, for a `<ul class="item-list">`: the title (a
    search's terms highlighted) with its badges (validity, pinned, 解读) and the date;
    with `show_meta` the unit, 文号 and 索引号, with `show_path` the column's path too;
    with a `query` the snippet from `snippets` ({pk: text}, `result_snippets`).

    Written in Python rather than as an included template: twenty rows through an
    {% include %}, a `reverse()` and two date filters each took a third of a column
    page's rendering (2.9 ms against 0.7 ms). Every text is escaped here."""
    head, tail = reverse("disclosure:item", args=(0,)).rsplit("0", 1)  # one reverse() for all rows
    zone = timezone.get_current_timezone()  # one look-up in the request's context for all rows
    rows = []
    for item in items:
        title = highlight(item.title, query) if query else html.escape(item.title)
        badges = ""
        if item.is_normative:
            label = VALIDITY_LABELS.get(item.validity, item.validity)
            badges += f' <span class="badge badge-{html.escape(item.validity)}">{html.escape(label)}</span>'
        if show_pin and getattr(item, "pinned", False):
            badges += ' <span class="badge">置顶</span>'
        if item.interprets_id is not None:
            badges += ' <span class="badge badge-interpretation">解读</span>'
        day = html_date(item.published_at, zone)
        snippet = (snippets or {}).get(item.pk, "") if query else ""
        if snippet:
            snippet = f'<span class="item-snippet">{highlight(snippet, query)}</span>'
        meta = ""
        if show_meta:
            meta = html.escape(item.unit.name)
            if item.doc_number:
                meta += f" · {html.escape(item.doc_number)}"
            meta += f" · 索引号 {html.escape(str(item.index_number))}"
            if show_path:
                meta += f" · 栏目：{column_path(item.column)}"
            meta = f'<span class="item-meta">{meta}</span>'
        rows.append(
            f'<li>\n  <span class="item-title"><a href="{head}{item.pk}{tail}">{title}</a>{badges}</span>\n'
            f'  <span class="item-date"><time datetime="{day}">{day}</time></span>\n'
            f"  {snippet}\n  {meta}\n</li>\n"
        )
    return mark_safe("".join(rows))


def item_metadata(item: Item) -> SafeString:
    """The item page's table of statutory metadata (索引号, 主题分类, 发布机构, 成文日期, 文号,
    发布日期, 有效性 or 公开方式, 体裁, 关键词), every text escaped. Written in Python rather
    than in the template: its two dozen lookups and filters were half of the item page's
    own rendering (~0.13 ms)."""

    def text(value) -> str:
        return html.escape(str(value))

    published = html_date(item.published_at)
    if item.is_normative:
        since = f' <span class="muted">（自 {html_date(item.validity_since)}）</span>' if item.validity_since else ""
        validity = (
            f'<th scope="row">有效性</th><td><span class="badge badge-{text(item.validity)}">'
            f"{text(item.get_validity_display())}</span>{since}</td>"
        )
    else:
        validity = '<th scope="row">公开方式</th><td>主动公开</td>'
    keywords = (
        f'<tr><th scope="row">关键词</th><td colspan="3">{text(item.keywords)}</td></tr>' if item.keywords else ""
    )
    return mark_safe(
        '<div class="table-scroll">\n  <table class="meta-table">\n'
        '    <caption class="visually-hidden">信息元数据</caption>\n    <tbody>\n'
        f'      <tr><th scope="row">索引号</th><td>{text(item.index_number)}</td>'
        f'<th scope="row">主题分类</th><td>{text(item.get_theme_display())}</td></tr>\n'
        f'      <tr><th scope="row">发布机构</th><td><a href="{text(item.unit.get_absolute_url())}">'
        f'{text(item.unit.name)}</a></td><th scope="row">成文日期</th><td>{html_date(item.written_on) or "—"}</td></tr>\n'
        f'      <tr><th scope="row">文号</th><td>{text(item.doc_number) if item.doc_number else "—"}</td>'
        f'<th scope="row">发布日期</th><td><time datetime="{published}">{published}</time></td></tr>\n'
        f'      <tr>{validity}<th scope="row">体裁</th><td>{text(item.get_genre_display())}</td></tr>\n'
        f"      {keywords}\n    </tbody>\n  </table>\n  </div>"
    )


def column_path(column) -> SafeString:
    """Links to the column and the columns above it (the tree has three levels), the
    top first; kept per generation of public content (its `reverse()`s)."""

    def build():
        path = [column]
        while len(path) < 3 and path[0].parent_id is not None:
            path.insert(0, path[0].parent)
        links = (f'<a href="{html.escape(each.get_absolute_url())}">{html.escape(each.title)}</a>' for each in path)
        return mark_safe(" › ".join(links))

    return fragment(f"column-path:{column.pk}", build)


def query_terms(query: str) -> list[str]:
    """The words of a search as the index cuts them into runs (Han runs, Latin words),
    longest first so that a longer term wins over a term it contains."""
    terms = {run for run in TOKEN_RUN.findall(normalise(query))}
    return sorted(terms, key=len, reverse=True)


@functools.lru_cache(maxsize=64)
def _pattern(query: str) -> re.Pattern | None:
    """Kept for the last few queries: a page of results asks for it some sixty times."""
    terms = query_terms(query)
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE) if terms else None


def highlight(text: str, query: str) -> SafeString:
    """`text` HTML-escaped, each occurrence of a search term wrapped in <mark>."""
    # html.escape is what Django's escape() calls, without its per-call check for lazy
    # strings (a few hundred calls a page of results).
    pattern = _pattern(query)
    if pattern is None:
        return mark_safe(html.escape(str(text)))
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    parts.append(html.escape(text[last:]))
    return mark_safe("".join(parts))


def excerpt(body_html: str, query: str, length: int = SNIPPET_LENGTH) -> str:
    """About `length` characters of the body's text around the first search term
    (the opening of the text when no term occurs in it), with ellipses where cut."""
    text = " ".join(strip_tags(body_html).split())
    if not text:
        return ""
    pattern = _pattern(query)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - SNIPPET_LEAD) if match else 0
    end = min(len(text), start + length)
    return f"{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}"


# The bodies of a page of results, compiled once per process and number of results
# (building and compiling the QuerySet was most of the snippets' Python).
RESULT_BODIES = Precompiled(lambda ids: Item.objects.filter(pk__in=ids).only("pk", "body"))


def result_snippets(items: Iterable, query: str) -> dict[int, str]:
    """{item pk: excerpt} for one page of search results, in one query."""
    ids = [item.pk for item in items]
    if not ids or not query_terms(query):
        return {}
    return {item.pk: excerpt(item.body, query) for item in RESULT_BODIES.rows(ids=ids)}


def pagination(page, page_range, query) -> SafeString:
    """The page links of a list (`PaginatedMixin`'s `page_obj` and `page_range`), each
    keeping the rest of the query string (`query`, the request's GET) as Django's
    `{% querystring page=… %}` does: the page's value in its place, or added last.

    Written in Python rather than as an included template: a dozen `{% querystring %}`
    (each a deep copy of the query) made the links a tenth of a column page's time."""
    if not page.has_other_pages():
        return mark_safe("\n")
    before, after, seen = [], [], False
    for key, values in query.lists():
        if key == "page":
            seen = True
            continue
        pieces = [urlencode({key.encode(query.encoding): str(value).encode(query.encoding)}) for value in values]
        (after if seen else before).extend(pieces)
    head = html.escape("?" + "".join(piece + "&" for piece in before))
    tail = html.escape("".join("&" + piece for piece in after))

    def link(number) -> str:
        return f"{head}page={number}{tail}"

    previous = f'<li><a href="{link(page.number - 1)}" rel="prev">上一页</a></li>' if page.has_previous() else ""
    following = f'<li><a href="{link(page.number + 1)}" rel="next">下一页</a></li>' if page.has_next() else ""
    numbers = []
    for number in page_range:  # page numbers, and the paginator's ELLIPSIS (a lazy translation)
        if not isinstance(number, int):
            shown = '<li><span class="gap">…</span></li>\n      '
        elif number == page.number:
            shown = f'<li><span aria-current="page">{number}</span></li>\n      '
        else:
            shown = f'<li><a href="{link(number)}" aria-label="第{number}页">{number}</a></li>'
        numbers.append(f"\n      {shown}\n    ")
    paginator = page.paginator
    capped = "（更早的信息请按年份、机构筛选或检索）" if paginator.capped else ""
    return mark_safe(
        f'\n<nav class="pagination" aria-label="分页">\n  <ul>\n    {previous}\n    {"".join(numbers)}\n'
        f"    {following}\n  </ul>\n"
        f'  <p class="muted">共 {html.escape(paginator.count_text)} 条，'
        f"第 {page.number}/{paginator.num_pages} 页{capped}</p>\n"
        "</nav>\n\n"
    )
