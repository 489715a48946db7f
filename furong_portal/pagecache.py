"""The page cache of the public site, and the one way to make it fresh.

Anonymous GET/HEAD requests of public pages are answered from Django's cache
(Redis through `REDIS_URL`, shared by every worker and server; local memory
otherwise). A page is stored when its view marked it `Cache-Control: public`
(`disclosure.views.public_cache`), it set no cookie and the visitor sent no
session cookie: signed-in staff, pages with a form token (they set the CSRF
cookie) and private pages are never stored. The key is the full URL (scheme,
host, path and query string) and the 长者模式 cookie. Pages are stored gzipped;
each carries an ETag and a Last-Modified, and a repeat visitor gets a 304.

Invalidation
------------
Every write that changes what some public page shows calls

    from furong_portal.pagecache import public_pages_changed
    public_pages_changed()

inside its transaction (or outside one). After the transaction commits, a new
*generation* token is written to the shared cache; every stored page carries the
token it was rendered under and is read together with the current one (one round
trip), so every stored page is stale for every process at once, and nothing has
to know which pages a change touches. With Redis, each process also keeps copies of
the generation and of the pages it served last, for as long as Redis has not told it
that the generation changed (`_LocalCopies`): a page asked for again costs no round
trip, and a change reaches every process with the writer's answer. New public pages are covered by marking
them public (`public_cache`/`PublicCacheMixin`) and calling
`public_pages_changed()` from their write services: no list of pages to keep.

Scheduled publication needs no job: the generation records the earliest scheduled
`published_at` still in the future (`Generation.next_publication`), no page is kept
past it, and the first request after it renews the generation, so when an item
falls due the next request renders it.

Caveats: a page that carries per-request data in its body (a nonce, a CSRF
token, the visitor's name) must not be marked public.

Fragments
---------
What many pages share (the site's header and footer, the column tree, a column's
duties) is computed once per generation and process: `fragment(name, build)` keeps
`build()`'s value in this process exactly as long as a stored page may live (until
the generation changes, which a scheduled publication falling due does too, or
midnight). Within a request of the page cache the generation is the one the
middleware read for the page (`generation()`), so a fragment costs no round trip and
cannot outlive a change for longer than that request. Fragments are not shared
between processes: each builds its own once per generation, which is cheaper than
a round trip and unpickling on every first use. The values are shared by every
request of the process: read them, never change them.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import threading
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

GENERATION_KEY = "pagecache:generation"
# The number is the stored form's: pages written by a release with another form are never read.
PAGE_KEY = "pagecache:page:2:{elder}:{digest}"
ELDER_MODE_COOKIE = "elder_mode"
MESSAGES_COOKIE = "messages"
STORED_STATUSES = frozenset({200, 410})
STORED_TYPES = ("text/html", "application/rss+xml", "application/atom+xml", "application/xml", "text/plain")
# Headers the cache answers with itself, or that describe one response only.
UNSTORED_HEADERS = frozenset({"content-length", "content-encoding", "etag", "last-modified", "date"})
# What a 304 repeats of the full answer (RFC 9110 15.4.5).
NOT_MODIFIED_HEADERS = frozenset({"cache-control", "expires", "etag", "last-modified", "vary", "content-location"})
NO_SCHEDULE = 0.0
# gzip's fastest level: a column page (16.7 kB of HTML) in 79 µs instead of 161 µs at
# level 6, for 9 % more bytes (4,563 instead of 4,183); a search page 105 µs instead of
# 231 µs for 12 % more. Every page nobody asked for yet pays it; the bytes cost a hit
# next to nothing.
GZIP_LEVEL = 1


def page_seconds() -> int:
    """How long a page is kept when nothing changes (`PAGE_CACHE_SECONDS`)."""
    return getattr(settings, "PAGE_CACHE_SECONDS", 3600)


# --- Invalidation -------------------------------------------------------------------


def public_pages_changed() -> None:
    """Make every cached public page stale once the current transaction commits.

    Call it from every write service whose change a public page shows (an item
    published, edited, withdrawn or changed in validity, a column, duty or unit
    edited, a work-point report approved, an import …). Outside a transaction
    it acts at once. Cheap: one write to the cache, once per transaction however many
    writes in it call this (an import of a thousand items renews the generation once,
    not a thousand times, each a query and a message to every process)."""
    if not _renewal_due_at_commit():
        transaction.on_commit(generation_renew)


def _renewal_due_at_commit() -> bool:
    """Whether the transaction under way already renews the generation when it commits.
    Django's own list of what runs on commit is asked, not a flag of ours: it forgets
    what a savepoint rolled back registered, so a later call registers again."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        callback is generation_renew for _, callback, _ in connection.run_on_commit
    )


class Generation(NamedTuple):
    """The shared state every stored page is checked against, kept under one key so
    that the check is part of the page's own read: the token pages are stored under,
    and the earliest scheduled publication still to come when it was written."""

    token: str
    next_publication: float  # a Unix time, or NO_SCHEDULE

    def outlived(self, now: float) -> bool:
        """A scheduled item has fallen due since: public pages changed by the clock."""
        return self.next_publication != NO_SCHEDULE and self.next_publication <= now


def generation_renew() -> Generation:
    """Renew the generation now. Services call `public_pages_changed`; this is for
    data written by other means whose transaction is already committed (or, in the
    tests, never will be). The writer also looks up the next scheduled publication
    for the new generation, so that readers need not."""
    renewed = Generation(uuid.uuid4().hex, _next_scheduled(timezone.now().timestamp()))
    cache.set(GENERATION_KEY, renewed, timeout=None)
    return renewed


def current_generation(now: float, read: "Generation | None" = None) -> Generation:
    """The generation shared by every process through the cache (`read`: the value
    just read with a page, or this process's copy). A scheduled publication falling
    due is a change of public content like any other: the first reader to notice renews
    the generation (two that notice at once renew it twice, which only costs a second
    rendering). So is a missing generation, or one written by an earlier release in
    another form."""
    if read is None:
        epoch, read = _copies.generation()
        if read is None:
            read = _copies.read(epoch)[0]
    if not isinstance(read, Generation) or read.outlived(now):
        return generation_renew()
    return read


# The generation the page-cache middleware read for the request being answered.
_request_generation: ContextVar[Generation | None] = ContextVar("pagecache_generation", default=None)


@contextmanager
def rendered_under(current: Generation):
    """What renders within keeps its fragments under `current`, the generation read
    with the page, without reading it again."""
    reset = _request_generation.set(current)
    try:
        yield
    finally:
        _request_generation.reset(reset)


def generation() -> str:
    """The current generation token (fragments are kept under it): in a request of the
    page cache, the one read for its page."""
    current = _request_generation.get() or current_generation(timezone.now().timestamp())
    return current.token


def _next_scheduled(now: float) -> float:
    from disclosure.models import Item  # the project package sits above its apps

    scheduled = Item.objects.scheduled_after(now=_aware(now)).values_list("published_at", flat=True).first()
    return scheduled.timestamp() if scheduled else NO_SCHEDULE


def _aware(moment: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(moment, tz=datetime.timezone.utc)


def next_midnight(now: float) -> float:
    """The next local midnight: pages that show what is due or overdue (work points),
    the year filters and "today" change with the date, not with a write."""
    today = timezone.localtime(_aware(now)).date()
    midnight = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight).timestamp()


@dataclass
class _Fragments:
    """The fragments this process holds for one generation, until `until`."""

    generation: str
    until: float
    values: dict = field(default_factory=dict)


_fragments = _Fragments(generation="", until=0.0)


def fragment(name: str, build):
    """`build()`'s value, kept in this process until the next change of public content
    (a scheduled publication falling due is one) or midnight, whichever comes first.
    `name` must say everything the value depends on besides public content (a column's
    fragment names the column)."""
    global _fragments
    token, now = generation(), timezone.now().timestamp()
    held = _fragments
    if held.generation != token or held.until <= now:
        held = _fragments = _Fragments(generation=token, until=next_midnight(now))
    try:
        return held.values[name]
    except KeyError:
        value = held.values[name] = build()
        return value


def process_copies_forget() -> None:
    """Drop this process's fragments and copies of pages (the tests' generations repeat
    their token)."""
    global _fragments
    _fragments = _Fragments(generation="", until=0.0)
    _copies.forget()


# --- Which pages are public ------------------------------------------------------------

# Browsers and shared caches revalidate every time (a 304 from the page cache): a
# change is visible on the next request, not minutes later.
PUBLIC_MAX_AGE = 0


class PublicCacheMixin:
    """Public pages may be kept by browsers and, for visitors without a session, by
    shared caches and the page cache, revalidated with their ETag. They vary by cookie
    (长者模式 changes the page), and carry no CSRF token: none of them has a POST form."""

    max_age = PUBLIC_MAX_AGE

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        return public_cache(request, response, self.max_age)


def public_cache(request, response, max_age=PUBLIC_MAX_AGE):
    if response.status_code in (200, 304, 410):
        # A signed-in member of staff gets a session cookie on every response
        # (SESSION_SAVE_EVERY_REQUEST); such responses must never enter a shared cache.
        shared = settings.SESSION_COOKIE_NAME not in request.COOKIES
        patch_cache_control(
            response, **{"public" if shared else "private": True}, max_age=max_age, must_revalidate=not max_age
        )
    patch_vary_headers(response, ("Cookie",))
    return response


def public_cached(view, max_age=PUBLIC_MAX_AGE):
    """`public_cache` for function views that are not ours (sitemaps)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return public_cache(request, view(request, *args, **kwargs), max_age)

    return wrapped


# --- The cache of whole pages -----------------------------------------------------------


@dataclass(frozen=True)
class StoredPage:
    status: int
    # Every header of the gzipped answer but its length, validators and Vary included,
    # so that a hit only copies them (building them again cost a tenth of a hit).
    headers: tuple[tuple[str, str], ...]
    body: bytes  # gzipped
    etag: str
    last_modified: int
    expires: float
    generation: str  # the generation it was rendered in; any other makes it stale

    def response(self, request) -> HttpResponse:
        conditional = get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)
        if conditional is not None:
            for name, value in self.headers:
                if name.lower() in NOT_MODIFIED_HEADERS:
                    conditional[name] = value
            return conditional
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        body = self.body if gzipped else gzip.decompress(self.body)
        response = HttpResponse(b"" if request.method == "HEAD" else body, status=self.status, headers=self.headers)
        if not gzipped:
            del response["Content-Encoding"]
        response["Content-Length"] = str(len(body))
        return response


class _LocalCopies:
    """This process's copies of the generation and of the pages it served last, used
    only while the cache backend can tell that the generation has not changed since
    they were read (the Redis backend's `key_watch`: Redis pushes a message when the
    generation is written). A page asked for again is then answered without a round
    trip to Redis, and a change still reaches every process within a request. With
    another backend (local memory: one process), every request reads the generation
    with its page, as without copies. The pages are kept up to `PAGE_CACHE_LOCAL_BYTES`
    (their gzipped bodies), the least recently served dropped first."""

    def __init__(self):
        self._lock = threading.Lock()
        self._generation: tuple[int, Generation] | None = None
        self._token = ""
        self._pages: OrderedDict[str, StoredPage] = OrderedDict()
        self._size = 0

    def epoch(self) -> int | None:
        watch = getattr(cache, "key_watch", None)
        return watch(GENERATION_KEY).epoch() if watch is not None else None

    def generation(self) -> tuple[int | None, Generation | None]:
        """The watch's epoch now, and the copy of the generation if the generation
        certainly did not change since the copy was read (else None: `read` it with
        that epoch)."""
        held, epoch = self._generation, self.epoch()
        if held is None or epoch is None or held[0] != epoch:
            return epoch, None
        return epoch, held[1]

    def read(self, epoch: int | None, page_key: str | None = None) -> tuple[Generation | None, StoredPage | None]:
        """The generation from the cache, and the page under `page_key` in the same round
        trip; the generation is kept as the copy under `epoch`, the watch's epoch taken
        before this read (`generation`), when there is a watch."""
        found = cache.get_many([GENERATION_KEY, page_key] if page_key else [GENERATION_KEY])
        generation = found.get(GENERATION_KEY)
        if epoch is not None and isinstance(generation, Generation):
            self._generation = (epoch, generation)
        return generation, found.get(page_key)

    def page(self, key: str, token: str) -> StoredPage | None:
        with self._lock:
            if token != self._token:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def page_keep(self, key: str, page: StoredPage) -> None:
        budget = settings.PAGE_CACHE_LOCAL_BYTES
        if self._generation is None or len(page.body) > budget:
            return
        with self._lock:
            if page.generation != self._token:  # every page of an older generation is stale
                self._pages.clear()
                self._token, self._size = page.generation, 0
            previous = self._pages.pop(key, None)
            if previous is not None:
                self._size -= len(previous.body)
            self._pages[key] = page
            self._size += len(page.body)
            while self._size > budget:
                self._size -= len(self._pages.popitem(last=False)[1].body)

    def page_forget(self, key: str) -> None:
        with self._lock:
            page = self._pages.pop(key, None)
            if page is not None:
                self._size -= len(page.body)

    def forget(self) -> None:
        with self._lock:
            self._generation, self._token, self._size = None, "", 0
            self._pages.clear()


_copies = _LocalCopies()


def page_forget(request) -> None:
    """Drop the stored page of `request`'s URL, in the shared cache and in this
    process's copies: it is rendered again on the next request (the benchmarks' pages
    nobody asked for yet)."""
    key = _page_key(request)
    cache.delete(key)
    _copies.page_forget(key)


def elder_mode_chosen(request) -> bool:
    """Whether the visitor chose 长者模式: the pages differ, and so does their key."""
    return request.COOKIES.get(ELDER_MODE_COOKIE) == "1"


def _page_key(request) -> str:
    digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    elder = "1" if elder_mode_chosen(request) else "0"
    return PAGE_KEY.format(elder=elder, digest=digest)


def request_cacheable(request) -> bool:
    """An anonymous visitor's GET or HEAD (staff carry a session cookie; a visitor
    with a pending message gets it shown on the next page rendered)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def response_storable(response) -> bool:
    """A complete public page of a type worth keeping that sets no cookie."""
    return (
        response.status_code in STORED_STATUSES
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith(STORED_TYPES)
    )


def page_store(key: str, response, current: Generation, now: float) -> StoredPage:
    content = response.content
    last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or int(now)
    expires = min(now + page_seconds(), next_midnight(now))
    if current.next_publication != NO_SCHEDULE:
        expires = min(expires, current.next_publication)
    etag = 'W/"%s"' % hashlib.sha1(content).hexdigest()[:20]
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
    headers += [("Content-Encoding", "gzip"), ("ETag", etag), ("Last-Modified", http_date(last_modified))]
    page = StoredPage(
        status=response.status_code,
        headers=tuple(headers),
        body=gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0),
        etag=etag,
        last_modified=last_modified,
        expires=expires,
        generation=current.token,
    )
    if expires - now >= 1:
        cache.set(key, page, timeout=int(expires - now))
    return page


class PageCacheMiddleware:
    """Answers anonymous requests of public pages from the cache (see the module
    docstring). Sits above the CSP, session, CSRF and authentication middleware (a
    stored page keeps the CSP header it was rendered with: the public policy has no
    nonce), so a stored page costs no database query and at most one round trip to the
    cache (the generation and the page in one read; none for this process's copies)."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Static files are answered by whitenoise below, faster than any cache.
        self.static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else None

    def __call__(self, request):
        if not request_cacheable(request) or (self.static_prefix and request.path.startswith(self.static_prefix)):
            return self.get_response(request)
        now = timezone.now().timestamp()
        # The generation is read before the view reads the database: a page rendered
        # from data older than a change is stored under the generation that change ended.
        key = _page_key(request)
        epoch, read = _copies.generation()
        copy = _copies.page(key, read.token) if read is not None else None
        if copy is not None:
            stored = copy
        elif read is not None:
            stored = cache.get(key)
        else:
            read, stored = _copies.read(epoch, key)
        current = current_generation(now, read)
        if stored is not None and stored.generation == current.token and stored.expires > now:
            if stored is not copy:
                _copies.page_keep(key, stored)
            return stored.response(request)
        with rendered_under(current):
            response = self.get_response(request)
        if not response_storable(response):
            return response
        stored = page_store(key, response, current, now)
        _copies.page_keep(key, stored)
        return stored.response(request)


class PublicPagesAdminMixin:
    """For ModelAdmins that save public data (units, columns, work points) directly
    rather than through a service: any save or deletion refreshes the public pages.
    `save_related` runs after every save of the change form and the list's
    editable fields, inlines included."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        public_pages_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_pages_changed()
