"""Search at 1,000,000 items on PostgreSQL, run on demand (never in CI).

    .venv/bin/python bench/search_1m.py                       # postgres://postgres@127.0.0.1:5432/furong_bench_1m
    .venv/bin/python bench/search_1m.py --items 1000000 --repeat 20 --database-url postgres://…/name

Filling: the seed, then 5,000 realistic demo items planned in memory by
`disclosure.demo` (titles, bodies, 文号, units from each column's duties, search
text from `disclosure.search`) are copied into a temporary table, and one
`INSERT … SELECT` over `generate_series` writes N published items from them, each
with its own 索引号 and a publication time three minutes before the previous one
(about six years for a million). The GIN indexes (all items, recent ones) are built
once afterwards. This bypasses the services on purpose: it is a load generator, not
content.

Measuring: each query shape (one character, two characters, several words,
filtered by column subtree, unit and dates, ordered by date) with several terms
goes through what `/search/` runs — the FilterSet, the first result page and the
bounded count, and the page's template (the view renders inside
`disclosure.search.planned_each_time`) — in this process, and reports
p50/p95/max milliseconds per shape.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEMPLATES = 5000
SHAPES = {
    "one character": [{"q": term} for term in "公区年的市会工"],
    "two characters": [{"q": term} for term in ("扶贫", "预算", "教育", "公开", "安全", "医疗", "招聘")],
    "several words": [{"q": term} for term in ("扶贫 资金", "义务教育 招生", "政府 信息 公开", "安全生产 检查")],
    "filtered (column, unit, dates)": [],  # filled in once the seed is loaded
    "date-ordered": [{"q": term, "sort": "date"} for term in ("公", "扶贫", "预算 执行", "通知")],
    "no keywords, one column": [],
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/furong_bench_1m")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15, help="runs of each query (after one warm-up)")
    parser.add_argument("--fill-only", action="store_true")
    parser.add_argument("--per-query", action="store_true", help="also each query's p50 and its statements' ms")
    return parser.parse_args()


def setup(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="furong_portal.settings", DATABASE_URL=database_url, DEBUG="1", LOG_LEVEL="WARNING",
        SEARCHES_PER_IP_MINUTE="1000000000",  # one client asks for every query: no search limit here
    )
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            connection.execute(f'create database "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)


TEMPLATE_COLUMNS = (
    "n", "column_id", "unit_id", "title", "doc_number", "written_on", "theme", "genre", "keywords", "body",
    "search_text", "is_normative", "normative_kind", "validity",
)  # fmt: skip


def templates() -> list[tuple]:
    from django.utils import timezone

    from disclosure.demo import DemoSummary, _plan, leaf_columns_with_units
    from disclosure.search import search_text_for

    columns = [(column, units) for column, units in leaf_columns_with_units() if units]
    planned, _ = _plan(random.Random(2020), timezone.now(), columns, TEMPLATES, DemoSummary())
    rows = []
    for number, item in enumerate(planned):
        validity = (item.validity or "valid") if item.is_normative else ""
        rows.append((
            number, item.column_id, item.unit_id, item.title, item.doc_number, item.written_on, item.theme,
            item.genre, item.keywords, item.body, search_text_for(item), item.is_normative, item.normative_kind,
            validity,
        ))  # fmt: skip
    return rows


def fill(target: int) -> None:
    from django.db import connection

    from disclosure.models import Item
    from disclosure.search import TERM_COUNTS_MIGRATION, search_index_statements

    have = Item.objects.count()
    if have >= target:
        print(f"{have} items already", flush=True)
        return
    started = time.monotonic()
    rows = templates()
    drops, builds = search_index_statements()
    terms = __import__(TERM_COUNTS_MIGRATION, fromlist=["PG_TRIGGER_NAMES"])
    # Each slice commits on its own (autocommit): a crash keeps what was written, and the
    # foreign-key checks are done before the index is built.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_template (n int PRIMARY KEY, column_id bigint, unit_id bigint, title text, "
            "doc_number text, written_on date, theme text, genre text, keywords text, body text, search_text text, "
            "is_normative boolean, normative_kind text, validity text)"
        )
        with cursor.copy(f"COPY bench_template ({', '.join(TEMPLATE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        for statement in drops:
            cursor.execute(statement)
        # The term counts are recounted once at the end instead of upserted per slice.
        for name in terms.PG_TRIGGER_NAMES:
            cursor.execute(f"ALTER TABLE disclosure_item DISABLE TRIGGER {name}")
        step = 100_000
        for start in range(have + 1, target + 1, step):
            end = min(target, start + step - 1)
            cursor.execute(
                """
                INSERT INTO disclosure_item (column_id, unit_id, index_number, title, doc_number, written_on,
                    published_at, theme, genre, keywords, body, search_text, is_normative, normative_kind, validity,
                    state, review_comment, withdrawn_reason, created_at, updated_at)
                SELECT t.column_id, t.unit_id, 'BENCH/' || g, t.title, t.doc_number, t.written_on,
                    now() - g * interval '3 minutes', t.theme, t.genre, t.keywords, t.body, t.search_text,
                    t.is_normative, t.normative_kind, t.validity, 'published', '', '', now(), now()
                FROM generate_series(%s, %s) AS g JOIN bench_template t ON t.n = g %% %s
                """,
                (start, end, len(rows)),
            )
            print(f"  {end} items ({time.monotonic() - started:.0f} s)", flush=True)
        for statement in builds:
            cursor.execute(statement)
        for name in terms.PG_TRIGGER_NAMES:
            cursor.execute(f"ALTER TABLE disclosure_item ENABLE TRIGGER {name}")
        for statement in terms.PG_RECOUNT:
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE disclosure_item")
    print(f"filled {target - have} items in {time.monotonic() - started:.0f} s", flush=True)


def shapes() -> dict[str, list[dict]]:
    from responsibility.models import Column, Unit

    top, leaf = Column.objects.get(slug="3"), Column.objects.get(slug="3-7")
    unit = Unit.objects.get(name="区财政局")
    return {
        **SHAPES,
        "filtered (column, unit, dates)": [
            {"q": "预算", "column": str(top.pk)},
            {"q": "公", "column": str(leaf.pk)},
            {"q": "预算", "unit": str(unit.pk)},
            {"q": "通知", "start": "2022-01-01", "end": "2022-12-31"},
            {"q": "扶贫", "column": str(top.pk), "start": "2023-01-01", "end": "2024-06-30", "sort": "date"},
        ],
        "no keywords, one column": [{"column": str(top.pk)}, {"column": str(leaf.pk), "sort": "date"}],
    }


def measure(repeat: int, per_query: bool = False) -> None:
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from disclosure.views import SearchView

    factory = RequestFactory()
    print(f"\n{connection.vendor}, {__import__('disclosure.models', fromlist=['Item']).Item.objects.count()} items, "
          f"{repeat} runs per query after one warm-up, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| query shape | queries | p50 ms | p95 ms | max ms | results shown as |")
    print("|---|---:|---:|---:|---:|---|")
    details = []
    for label, params_list in shapes().items():
        timings, counts = [], []
        for params in params_list:
            request = factory.get("/search/", params)
            SearchView.as_view()(request).render()
            own = []
            for _ in range(repeat):
                started = time.perf_counter()
                with as_a_page_cache_miss():
                    response = SearchView.as_view()(factory.get("/search/", params))
                context = response.context_data
                list(context["items"])
                counts.append(result_count_text(context))
                own.append((time.perf_counter() - started) * 1000)
            timings.extend(own)
            if per_query:
                with CaptureQueriesContext(connection) as statements:
                    list(SearchView.as_view()(factory.get("/search/", params)).context_data["items"])
                each = " + ".join(f"{float(statement['time']) * 1000:.0f}" for statement in statements)
                details.append(f"{params}: p50 {statistics.median(own):.1f} ms; statements {each} ms")
        timings.sort()
        p95 = statistics.quantiles(timings, n=100)[94]
        print(
            f"| {label} | {len(params_list)} | {statistics.median(timings):.1f} | {p95:.1f} | {timings[-1]:.1f} "
            f"| {', '.join(sorted(set(counts)))[:60]} |"
        )
    for line in details:
        print(line)


@contextmanager
def as_a_page_cache_miss():
    """The view runs as the page-cache middleware runs it when the page is not stored:
    under the generation the middleware read (its fragments need not read it again).
    The middleware's own read and store (~0.6 ms together) are not timed."""
    from furong_portal import pagecache

    with pagecache.rendered_under(pagecache.current_generation(time.time())):
        yield


def result_count_text(context) -> str:
    counted = context.get("total") or context["paginator"]  # a ranked list counts all matches apart
    return getattr(counted, "count_text", None) or str(counted.count)


def main():
    args = parse_args()
    setup(args.database_url)
    fill(args.items)
    if not args.fill_only:
        # As the WSGI module does for gunicorn's workers: the collector's full passes no
        # longer walk what start-up built (a pass cost up to ~100 ms, a max of its own).
        gc.collect()
        gc.freeze()
        measure(args.repeat, args.per_query)


if __name__ == "__main__":
    main()
