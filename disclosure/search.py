"""Full-text search for Chinese government information without a Chinese word segmenter.

pg_trgm does not index one- or two-character CJK words, and neither pg_bigm nor
zhparser is packaged for Debian, so the text is cut into tokens here, in Python,
the same way for documents and for queries:

- a run of Han characters becomes its overlapping bigrams (扶贫信息 → 扶贫 贫信 信息);
  a run of one character stays a unigram;
- Latin letters and digits become words (after NFKC, so full-width ＡＢ１ = ab1);
- everything else (punctuation, 〔〕, /, -) separates tokens.

`Item.search_text` holds that token stream (separated by spaces) followed by the
distinct Han characters of the item, so that a one-character query has a token to
match. The databases only index whitespace-separated tokens (migration
`0002_search_index`): PostgreSQL a generated `tsvector` column with a GIN index,
SQLite an FTS5 table. A query word of several Han characters becomes a phrase of
its bigrams (adjacent positions), so 扶贫信息 does not match a text that merely
contains 扶贫 and 信息 far apart.
"""

from __future__ import annotations

import datetime
import html
import importlib
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F, FloatField, QuerySet, Value
from django.db.models.expressions import Expression, RawSQL

from furong_portal.pagecache import public_pages_changed

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TOKEN_RUN = re.compile(rf"[{HAN}]+|[0-9a-z]+")
HAN_RUN = re.compile(rf"[{HAN}]+")
TAG = re.compile(r"<\s*/?\s*([a-zA-Z0-9]*)[^>]*>")
# Tags that separate words; inline ones (<b>, <a>, <span> …) may sit inside a word: 扶<b>贫</b>.
BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr "
    "li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)
# PostgreSQL stores positions up to 16383; a longer text still has all its
# tokens indexed, only phrase matching past that point becomes approximate.
MAX_STREAM_TOKENS = 16000
FTS_TABLE = "disclosure_item_fts"
# Ordering by relevance ranks the newest this many matches (ItemQuerySet.by_relevance).
RANK_CANDIDATES = 1000
# Publication times before and after any item's (the bounds of `newest_matches`'s oldest and newest spans).
EVER = (datetime.datetime.min.replace(tzinfo=datetime.UTC), datetime.datetime.max.replace(tzinfo=datetime.UTC))
# Where the term counts' recount and trigger names live (as demo.py does for 0002).
TERM_COUNTS_MIGRATION = "disclosure.migrations.0016_search_term_counts_by_quarter"
# Where the GIN index over recent items is defined.
RECENT_INDEX_MIGRATION = "disclosure.migrations.0017_item_search_vector_recent"


def normalise(text: str) -> str:
    """NFKC (full-width to half-width, compatibility ideographs) and case-folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def strip_tags(markup: str) -> str:
    """The text of an HTML fragment, with a space where a block ends."""
    return html.unescape(TAG.sub(lambda tag: " " if tag[1].lower() in BLOCK_TAGS else "", markup or ""))


def _run_tokens(run: str) -> list[str]:
    if HAN_RUN.fullmatch(run) and len(run) > 1:
        return [run[i : i + 2] for i in range(len(run) - 1)]
    return [run]


def _tokens(normalised: str) -> list[str]:
    tokens: list[str] = []
    for run in TOKEN_RUN.findall(normalised):
        tokens.extend(_run_tokens(run))
    return tokens


def tokenize(text: str) -> list[str]:
    """The token stream of `text`, in order (see the module docstring)."""
    return _tokens(normalise(text))


def search_text_from(*parts: str) -> str:
    """The value of `Item.search_text` for the given texts (HTML is stripped)."""
    stream: list[str] = []
    han: dict[str, None] = {}
    for part in parts:
        plain = normalise(strip_tags(part))
        stream.extend(_tokens(plain))
        for run in HAN_RUN.findall(plain):
            han.update(dict.fromkeys(run))
    return " ".join(stream[:MAX_STREAM_TOKENS] + list(han))


def search_text_for(item) -> str:
    """What `Item.search_text` must hold: title, 文号, 索引号, keywords and body.

    The publish service calls this (and then `search_index_update`) on every write."""
    return search_text_from(item.title, item.doc_number, item.index_number or "", item.keywords, item.body)


# --- Queries ---------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """A user's keywords as groups of tokens: every group must match; the tokens of a
    group that come from one Han run must be adjacent (a phrase)."""

    groups: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, text: str) -> "SearchQuery":
        groups: list[tuple[str, ...]] = []
        for run in TOKEN_RUN.findall(normalise(text)):
            group = tuple(_run_tokens(run))
            if group not in groups:
                groups.append(group)
        return cls(tuple(groups))

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def rankable(self) -> bool:
        """Whether ordering by relevance means anything: a query of single characters
        (的, 区) matches most of the collection, and ranking all of it would cost a
        full pass for an order no better than by date."""
        return any(len(token) > 1 for group in self.groups for token in group)

    def as_tsquery(self) -> str:
        # Tokens hold only [0-9a-z] and Han characters, so quoting cannot be broken.
        return " & ".join("(" + " <-> ".join(f"'{token}'" for token in group) + ")" for group in self.groups)

    def as_tsquery_sql(self) -> str:
        """The tsquery as an SQL literal, written into the statement instead of bound as a
        parameter. With server-side binding psycopg prepares a statement once it has run
        five times, and PostgreSQL may then use a generic plan, which cannot see the
        tokens: it guessed a rare token for every search and read all 96,000 matches of
        关于 through the GIN index (400 ms at 100,000 items) instead of walking the date
        index. Each search's own text gets a plan for its tokens. Tokens hold only
        [0-9a-z] and Han characters, so doubling the quotes cannot be broken out of."""
        return "'" + self.as_tsquery().replace("'", "''") + "'::tsquery"

    def as_fts5(self) -> str:
        return " AND ".join('"' + " ".join(group) + '"' for group in self.groups)


class ItemSQL(Expression):
    """SQL about the item row, written with `{item}` for the item table: it becomes
    the alias the table has in the query being compiled, so the condition stays
    about the right row inside a sub-select (where RawSQL's literal table name would
    refer to the outer query's row)."""

    def __init__(self, template: str, params: tuple, output_field):
        super().__init__(output_field=output_field)
        self.template, self.params = template, params

    @property
    def conditional(self) -> bool:
        return isinstance(self.output_field, BooleanField)

    def as_sql(self, compiler, connection):
        item = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(item=item), self.params


def filter_matching(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """Items whose search text matches every group of `query`, through the index."""
    if connection.vendor == "postgresql":
        condition = ItemSQL(f"{{item}}.search_vector @@ {query.as_tsquery_sql()}", (), BooleanField())
    else:
        condition = ItemSQL(
            f"{{item}}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            (query.as_fts5(),),
            BooleanField(),
        )
    return queryset.filter(condition)


def _in_scope(columns: list[int] | None, unit: int | None) -> tuple[str, list]:
    """SQL conditions (and their parameters) narrowing the term counts or the items, which
    name the column and the unit alike, to a column subtree's ids and a unit."""
    sql, params = "", []
    if columns is not None:
        sql, params = sql + " AND column_id = ANY(%s)", [*params, list(columns)]
    if unit is not None:
        sql, params = sql + " AND unit_id = %s", [*params, unit]
    return sql, params


def _period_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(importlib.import_module(TERM_COUNTS_MIGRATION).PERIOD_ZONE)


def period_start(moment: datetime.datetime) -> datetime.datetime:
    """The start of the quarter holding `moment`, in the zone of the periods the term
    counts keep (migration 0016: `date_trunc('quarter', published_at, PERIOD_ZONE)`)."""
    local = moment.astimezone(_period_zone())
    start = datetime.datetime(local.year, local.month - (local.month - 1) % 3, 1)
    return start.replace(tzinfo=local.tzinfo)


def _next_period(start: datetime.datetime) -> datetime.datetime:
    return start.replace(year=start.year + start.month // 10, month=(start.month + 2) % 12 + 1)


def whole_periods(start, end) -> tuple | None:
    """The quarters that the dates [start, end) cover whole, as (first quarter's start,
    last quarter's end), either None where the range is open on that side; None where it
    covers no quarter whole."""
    first = None if start is None else start if period_start(start) == start else _next_period(period_start(start))
    last = None if end is None else period_start(end)
    if first is not None and last is not None and first >= last:
        return None
    return first, last


def term_match_count(query: SearchQuery, now, limit: int, *, columns=None, unit=None, start=None, end=None):
    """How many public items match `query`, up to `limit` + 1 ("more than the limit"),
    found without reading the matches; None where the term counts cannot tell (SQLite,
    a phrase, several tokens that are not common enough). `columns` (a subtree's ids),
    `unit` and the dates [`start`, `end`) narrow the count as the search's filters do.

    `disclosure_search_term` counts the published items holding each token per column
    and unit, kept exact by triggers in the writing transaction (migrations 0010, 0012);
    its empty term counts the published items. For a single token the count is exact:
    its items in the scope minus its scheduled matches there (published, `published_at`
    still ahead: a few rows through the date index). For several tokens,
    |A ∩ B| ≥ |A| + |B| − |published| is a proof, not an estimate: above `limit` it
    answers "more". With dates, see `_dated_match_count`. One statement: one snapshot."""
    if connection.vendor != "postgresql" or not query or any(len(group) > 1 for group in query.groups):
        return None
    if start is not None or end is not None:
        return None if unit is not None else _dated_match_count(query, now, limit, columns, start, end)
    tokens = [group[0] for group in query.groups]
    scope, scope_params = _in_scope(columns, unit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COALESCE(sum(items), 0) FROM disclosure_search_term WHERE term = ANY(%s){scope})"
            f" - %s * (SELECT COALESCE(sum(items), 0) FROM disclosure_search_term WHERE term = ''{scope})"
            " - (SELECT count(*) FROM disclosure_item WHERE state = 'published' AND published_at > %s"
            f" AND search_vector @@ {query.as_tsquery_sql()}{scope})",
            (tokens, *scope_params, len(tokens) - 1, *scope_params, now, *scope_params),
        )
        at_least = cursor.fetchone()[0]
    if len(tokens) == 1:
        return min(at_least, limit + 1)
    return limit + 1 if at_least > limit else None


def _dated_match_count(query: SearchQuery, now, limit: int, columns, start, end) -> int | None:
    """`term_match_count` for the dates [`start`, `end`) (either may be None), in the
    whole collection or a column subtree.

    `disclosure_search_term_period` (migration 0016) counts the same per column and
    quarter: the quarters the dates cover whole are counted from it, and only the matches
    at the edges (before the first whole quarter, after the last) are read, at most
    `limit` + 1 in all, and not at all once the quarters prove more than `limit`. Where
    an edge is the larger part of its quarter, a single token's count takes the whole
    quarter and subtracts the matches of the smaller part outside the dates instead
    (read exactly): an edge reads at most half a quarter. A single token is counted
    exactly; several tokens only proven "more" from the whole quarters (else None:
    counted by reading). Dates that cover no quarter whole: None. One statement: one
    snapshot."""
    periods = whole_periods(start, end)
    if periods is None:
        return None
    first, last = periods
    tokens = [group[0] for group in query.groups]
    edges, outside = [], []  # spans read: within the dates (bounded), outside them (subtracted)
    if start is not None and start < first:
        quarter = period_start(start)
        if len(tokens) == 1 and start - quarter < first - start:
            first, outside = quarter, [*outside, (quarter, start)]
        else:
            edges.append((start, first))
    if end is not None and last < end:
        quarter_end = _next_period(last)
        if len(tokens) == 1 and quarter_end - end < end - last:
            last, outside = quarter_end, [*outside, (end, quarter_end)]
        else:
            edges.append((last, end))
    scope, scope_params = _in_scope(columns, None)
    matching = f"search_vector @@ {query.as_tsquery_sql()}"
    quarters, quarter_params, whole, whole_params = "", [], "", []
    if first is not None:
        quarters, quarter_params = quarters + " AND period >= %s", [*quarter_params, first]
        whole, whole_params = whole + " AND published_at >= %s", [*whole_params, first]
    if last is not None:
        quarters, quarter_params = quarters + " AND period < %s", [*quarter_params, last]
        whole, whole_params = whole + " AND published_at < %s", [*whole_params, last]
    counted = f"(SELECT COALESCE(sum(items), 0) FROM disclosure_search_term_period WHERE term = ANY(%s){quarters}{scope})"
    params = [tokens, *quarter_params, *scope_params]
    if len(tokens) > 1:
        counted += (
            f" - %s * (SELECT COALESCE(sum(items), 0) FROM disclosure_search_term_period"
            f" WHERE term = ''{quarters}{scope})"
        )
        params += [len(tokens) - 1, *quarter_params, *scope_params]
    counted += (
        f" - (SELECT count(*) FROM disclosure_item WHERE state = 'published' AND published_at > %s{whole}"
        f" AND {matching}{scope})"
    )
    params += [now, *whole_params, *scope_params]
    if outside:
        counted += f" - (SELECT count(*) FROM ({_matches_within(outside, matching, scope)}) AS outside)"
        params += [now, *(bound for span in outside for bound in span), *scope_params]
    if len(tokens) > 1 or not edges:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counted}", params)
            at_least = cursor.fetchone()[0]
        if len(tokens) == 1:
            return min(at_least, limit + 1)
        return limit + 1 if at_least > limit else None
    read = _matches_within(edges, matching, scope) + " LIMIT %s"
    read_params = [now, *(bound for edge in edges for bound in edge), *scope_params, limit + 1]
    with connection.cursor() as cursor:
        # The edges' sub-select runs only in the ELSE branch (an InitPlan is run when first needed).
        cursor.execute(
            f"WITH whole AS MATERIALIZED (SELECT {counted} AS counted) SELECT least(counted + CASE WHEN counted > %s"
            f" THEN 0 ELSE (SELECT count(*) FROM ({read}) AS edges) END, %s) FROM whole",
            [*params, limit, *read_params, limit + 1],
        )
        return cursor.fetchone()[0]


def _matches_within(spans: list, matching: str, scope: str) -> str:
    """The public matches published within any of `spans`, in one read (the token's index
    entries read once); its parameters: now, each span's bounds, the scope's."""
    within = " OR ".join("(published_at >= %s AND published_at < %s)" for _ in spans)
    return (
        f"SELECT 1 FROM disclosure_item WHERE state = 'published' AND published_at <= %s AND ({within})"
        f" AND {matching}{scope}"
    )


def rank_window(query: SearchQuery, now, *, columns=None, unit=None) -> tuple | None:
    """Where to look first for the newest RANK_CANDIDATES matches of a one-token query
    (`newest_matches`): publication times, newest first, each the start of a span of
    dates likely to hold them with the newer spans; None where the plain plan is as good
    or the counts cannot tell:
    - a token in more than a quarter of the recent items: its matches are dense, the date
      index walked backwards meets 1,000 of them soon;
    - a window over more than a quarter of the items, or fewer than twice the matches
      wanted in all (a rare token): the GIN index finds its few matches, and a window that
      wide saves nothing;
    - several tokens: their matches can be far fewer than the least frequent token's,
      the window would fall short; SQLite: no term counts.

    The term counts per column and quarter (`disclosure_search_term_period`) say how many
    matches each quarter holds: the window takes the newest quarters whole until they hold
    enough, and of the quarter where they run short, the part of its time that would hold
    the matches still wanted, and a quarter more, were they spread evenly over it. That
    part is the first span; the rest of its quarter, which holds enough whatever the
    spread, is the second. So the first span is a guess about one quarter only, not about
    the whole collection (a token common years ago and rare lately gets a window that
    reaches back to its recent matches), and a wrong guess costs one more quarter's read,
    not every older match. `columns` narrows the matches counted to a column subtree;
    `unit` scales each quarter's to the unit's share of the token's matches (quarters are
    not counted per unit: there the second span is a guess too). One statement, which
    reads the quarters one by one by the key and stops where the window does: a token's
    rows of every quarter and column lie scattered over the table (3,800 rows on 1,830
    pages for a common token in twelve years of 100,000 items, 8 ms read at once)."""
    if connection.vendor != "postgresql" or not query or len(query.groups) > 1 or len(query.groups[0]) > 1:
        return None
    token = query.groups[0][0]
    columns_sql, columns_params = _in_scope(columns, None)
    share, share_params = "1.0", []
    if unit is not None:
        in_unit, in_unit_params = _in_scope(columns, unit)
        share = f"(SELECT coalesce(sum(items), 0) FROM disclosure_search_term WHERE term = %s{in_unit}) / matching"
        share_params = [token, *in_unit_params]

    def quarter(period: str) -> str:  # its matches (params: the token's, the columns'), its items, by the key
        return (
            f"(SELECT coalesce(sum(items), 0) FROM disclosure_search_term_period"
            f" WHERE term = %s AND period = {period}{columns_sql})::float8 * known.share,"
            f" (SELECT sum(items) FROM disclosure_search_term_period WHERE term = '' AND period = {period})"
        )

    quarter_params, wanted = [token, *columns_params], RANK_CANDIDATES * 5 / 4
    # Quarter by quarter, newest first, until they hold the matches wanted or more than a
    # quarter of the items: each step reads one quarter's rows by the key. None at all for
    # a token too rare for a window to save much (its matches are read whole anyway).
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE totals AS (SELECT (SELECT sum(items) FROM disclosure_search_term WHERE term = '')"
            " AS published, (SELECT sum(items) FROM disclosure_search_term WHERE term = %s"
            f"{columns_sql})::float8 AS matching), known AS (SELECT published, matching, {share} AS share FROM totals),"
            " walk (period, found, items, found_before, items_before) AS ("
            f"SELECT newest.period, {quarter('newest.period')}, 0::float8, 0::bigint FROM known, (SELECT max(period)"
            " AS period FROM disclosure_search_term_period WHERE term = '' AND period <= %s) AS newest"
            " WHERE newest.period IS NOT NULL AND known.matching * known.share >= %s"
            f" UNION ALL SELECT previous.period, {quarter('previous.period')},"
            " walk.found_before + walk.found, walk.items_before + walk.items FROM walk, known,"
            " LATERAL (SELECT max(period) AS period FROM disclosure_search_term_period"
            " WHERE term = '' AND period < walk.period) AS previous"
            " WHERE previous.period IS NOT NULL AND walk.found_before + walk.found < %s"
            " AND (walk.items_before + walk.items) * 4 <= known.published)"
            " SELECT walk.period, walk.found, walk.items, known.published FROM walk, known ORDER BY walk.period DESC",
            [token, *columns_params, *share_params, *quarter_params, now, 2 * wanted, *quarter_params, wanted],
        )
        quarters = cursor.fetchall()
    if not quarters:
        return None
    published = quarters[0][3]
    matching, recent = sum(row[1] for row in quarters), sum(row[2] for row in quarters)
    if not matching or matching * 4 > recent:
        return None  # dense among the recent items: the date index walked backwards meets enough soon
    width = 0
    for period, found, items, _ in quarters:
        if found >= wanted:
            end = min(_next_period(period.astimezone(_period_zone())), now)
            part = wanted / found
            if (width + items * part) * 4 > published:
                return None
            return (end - (end - period) * part, period) if part < 1 else (period,)
        wanted, width = wanted - found, width + items
    return None  # too few matches in a quarter of the items: the GIN index finds them all


@contextmanager
def planned_each_time():
    """Statements in this block are planned for their own values every time (PostgreSQL).

    With server-side binding psycopg prepares a statement once its text has run five
    times on a connection, and after five more runs PostgreSQL may keep one generic plan
    for any values. A search's best plan depends on its values — how wide its dates, how
    many columns, which unit: the generic plans of a search repeated on one connection
    read every match of 通知 for a year's dates (500 ms instead of 30) and of 预算 for a
    unit (180 ms instead of 25), at 1,000,000 items. Planning a search anew costs ~0.5 ms."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def newest_matches(queryset: QuerySet, window: tuple, limit: int) -> RawSQL:
    """The ids of the newest `limit` rows of `queryset` (matches, ordered by date), read
    first among the items published since `window[0]`, then, as far as those fall short,
    among the older ones down to `window[1]`, and so on (publication times, newest first;
    `rank_window`), and only then among all older ones.

    Walking the date index backwards checks the match on every row it passes, which
    reads that row's `tsvector` (~1 µs in the row since migration 0013, ~5-10 µs from
    TOAST before) and visits its heap page: for a token in 2% of the items,
    50,000 rows to find 1,000 matches. Within a span of dates a GIN index and a date
    index are combined instead (BitmapAnd): only the span's matches are read. The GIN
    index over recent items (migration 0017) serves every span after its bound, with
    the date's B-tree; the full one older spans, with the BRIN index (migration 0015).
    The planner does not price those reads, so it would rather walk the date index over
    the span: the statement runs through `disclosure_item_ids_by_bitmaps` (migration
    0011), which turns plain index scans off for it alone, and orders each span by
    `published_at + 0` (sorting ~2,000 rows is cheap). Each span after the first reads
    `LIMIT limit - count(newer spans)`, which reads nothing once they were enough: the
    same ids as without a window."""
    newest_first = (F("published_at") + Value(datetime.timedelta(0))).desc()
    # Compiled once (~0.7 ms a time), each span's bounds put in the place of these.
    every = queryset.filter(published_at__gte=EVER[0], published_at__lt=EVER[1])
    sql, params = every.order_by(newest_first, "-pk").values("pk").query.sql_with_params()
    starts, ends = params.index(EVER[0]), params.index(EVER[1])
    spans, spans_params = [], []
    for number, (start, end) in enumerate(zip((*window, EVER[0]), (EVER[1], *window))):
        spans.append(f"span{number} AS MATERIALIZED ({sql} LIMIT %s{_fewer_by(number)})")
        bounded = list(params)
        bounded[starts], bounded[ends] = start, end
        spans_params += [*bounded, limit]
    # The function plans its text anew with the values in it (as literals, quoted by the driver).
    statement = connection.ops.compose_sql(
        f"WITH {', '.join(spans)} " + " UNION ALL ".join(f"SELECT * FROM span{number}" for number in range(len(spans))),
        spans_params,
    )
    return RawSQL("SELECT disclosure_item_ids_by_bitmaps(%s)", (statement,))


def _fewer_by(spans: int) -> str:
    """Less the ids the first `spans` spans of `newest_matches` found."""
    return "".join(f" - (SELECT count(*) FROM span{number})" for number in range(spans))


def annotate_relevance(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    """Adds `relevance` (higher is better) for ordering by 相关度."""
    if connection.vendor == "postgresql":
        rank = ItemSQL(f"ts_rank({{item}}.search_vector, {query.as_tsquery_sql()})", (), FloatField())
        return queryset.annotate(relevance=rank)
    # FTS5 gives its bm25 `rank` only to a query that joins the FTS table under MATCH;
    # a correlated sub-select per row would run the full-text query once per match
    # (seconds at 100,000 items). Joining needs `extra()`: expressions cannot add a
    # table. bm25 is smaller for better matches; negated, both databases sort descending.
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = disclosure_item.id", f"{FTS_TABLE} MATCH %s"],
        params=[query.as_fts5()],
        select={"relevance": f"-{FTS_TABLE}.rank"},
    )


# --- Keeping the index in step (write path, never signals) ----------------------


def search_index_update(items: Iterable) -> None:
    """Store `search_text` for saved items and bring the SQLite FTS table in step.

    On PostgreSQL the generated column follows `search_text` by itself."""
    items = list(items)
    for item in items:
        item.search_text = search_text_for(item)
    if not items:
        return
    type(items[0]).objects.bulk_update(items, ["search_text"], batch_size=500)
    fts_replace((item.pk, item.search_text) for item in items)


def fts_replace(rows: Iterable[tuple[int, str]]) -> None:
    """(Re)write FTS rows on SQLite; a no-op on PostgreSQL."""
    if connection.vendor != "sqlite":
        return
    rows = list(rows)
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _ in rows])
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, search_text) VALUES (%s, %s)", rows)


def search_terms_recount() -> None:
    """Recount `disclosure_search_term` from the index (PostgreSQL), after a bulk load that
    ran with its triggers disabled or to repair it; a no-op on SQLite."""
    if connection.vendor != "postgresql":
        return
    # The statements live with the migration that made the table (as demo.py does for 0002).
    migration = importlib.import_module(TERM_COUNTS_MIGRATION)
    with connection.cursor() as cursor:
        for statement in migration.PG_RECOUNT:
            cursor.execute(statement)


@contextmanager
def search_terms_recounted_after():
    """For a bulk load on PostgreSQL: the term-count triggers off while it runs (they would
    upsert every token of every statement), one recount afterwards, in the same transaction
    (ALTER TABLE locks the item table until it ends)."""
    if connection.vendor != "postgresql":
        yield
        return
    migration = importlib.import_module(TERM_COUNTS_MIGRATION)
    with connection.cursor() as cursor:
        for name in migration.PG_TRIGGER_NAMES:
            cursor.execute(f"ALTER TABLE disclosure_item DISABLE TRIGGER {name}")
        yield
        for name in migration.PG_TRIGGER_NAMES:
            cursor.execute(f"ALTER TABLE disclosure_item ENABLE TRIGGER {name}")
    search_terms_recount()


def search_index_statements() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The statements that drop and build the GIN indexes of the search vectors (all
    items, recent items; PostgreSQL), for bulk loads that build them once afterwards."""
    full = importlib.import_module("disclosure.migrations.0002_search_index")
    recent = importlib.import_module(RECENT_INDEX_MIGRATION)
    return (full.PG_DROP_INDEX, recent.PG_DROP), (full.PG_CREATE_INDEX, *recent.PG_FORWARD)


def recent_search_index_bound() -> datetime.datetime | None:
    """The publication time from which items are in the GIN index over recent items
    (migration 0017: the literal in its predicate); None without that index."""
    if connection.vendor != "postgresql":
        return None
    index = importlib.import_module(RECENT_INDEX_MIGRATION).INDEX
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (regexp_match(pg_get_expr(indpred, indrelid), '''([^'']+)'''))[1]::timestamptz"
            " FROM pg_index WHERE indexrelid = to_regclass(%s)",
            (index,),
        )
        row = cursor.fetchone()
    return row[0] if row else None


def recent_search_index_roll(now: datetime.datetime) -> bool:
    """Build the GIN index over recent items again from the start of last year, if it
    starts earlier (or is missing); whether it did. Outside a transaction the new index
    is built and the old one dropped concurrently: searches and writes go on, using the
    full index meanwhile. A no-op on SQLite."""
    if connection.vendor != "postgresql":
        return False
    local = now.astimezone(_period_zone())
    bound = datetime.datetime(local.year - 1, 1, 1, tzinfo=local.tzinfo)
    if recent_search_index_bound() == bound:
        return False
    migration = importlib.import_module(RECENT_INDEX_MIGRATION)
    how = "" if connection.in_atomic_block else "CONCURRENTLY"
    building, quoted = f"{migration.INDEX}_next", connection.ops.compose_sql("%s", (bound,))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {how} IF EXISTS {building}")  # left invalid by an interrupted roll
        cursor.execute(migration.PG_CREATE.format(how=how, name=building, bound=quoted))
        cursor.execute(f"DROP INDEX {how} IF EXISTS {migration.INDEX}")
        cursor.execute(f"ALTER INDEX {building} RENAME TO {migration.INDEX}")
    return True


def search_index_rebuild() -> int:
    """Recompute every item's search text and rebuild the index; returns the count."""
    from .models import Item

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    count = 0
    batch: list = []
    for item in Item.objects.only("pk", "title", "doc_number", "index_number", "keywords", "body").iterator(2000):
        batch.append(item)
        if len(batch) == 2000:
            search_index_update(batch)
            count += len(batch)
            batch = []
    search_index_update(batch)
    search_terms_recount()
    public_pages_changed()
    return count + len(batch)
