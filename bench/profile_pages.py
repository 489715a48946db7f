"""Where the time of an uncached public page goes, run on demand (never in CI).

    .venv/bin/python bench/profile_pages.py --database-url postgres://postgres@127.0.0.1:5432/furong_bench /columns/3/ /items/5/

Each URL is rendered `--repeat` times in this process through the whole Django stack,
with the page cache emptied before each request: a new generation (the first pages
after a change: fragments and the directory built again), or with `--cold` only the
stored page removed (a page nobody asked for yet, as the benchmark's lists of distinct
URLs). Reported: the median and fastest request (and the median CPU time of this process,
which other work on a shared machine disturbs less), and the mean split into database time
(the queries' own wall time), template rendering and the rest (middleware, views, ORM
object building), followed by cProfile's top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--cold", action="store_true", help="keep the generation, remove only the stored page")
    parser.add_argument("--top", type=int, default=20, help="functions to list from cProfile")
    return parser.parse_args()


def main():
    args = parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.update(
        DJANGO_SETTINGS_MODULE="furong_portal.settings", DEBUG="1", LOG_LEVEL="WARNING", ALLOWED_HOSTS="testserver"
    )
    import django

    django.setup()
    from django.db import connection
    from django.template import Template
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from furong_portal import pagecache

    rendering = [0.0]
    original_render = Template.render

    def timed_render(self, context):
        if getattr(timed_render, "depth", 0):
            return original_render(self, context)
        timed_render.depth = 1
        started = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            rendering[0] += time.perf_counter() - started
            timed_render.depth = 0

    Template.render = timed_render
    client = Client()

    def empty(request):
        if args.cold:
            pagecache.page_forget(request)
        else:
            pagecache.generation_renew()

    for url in args.urls:
        request = RequestFactory().get(url)
        pagecache.generation_renew()
        client.get(url)  # warm the connection, prepared statements, imports and fragments
        rendering[0], database, queries, times, cpu = 0.0, 0.0, 0, [], []
        for _ in range(args.repeat):
            empty(request)
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            assert response.status_code in (200, 410), (url, response.status_code)
            database += sum(float(query["time"]) for query in captured.captured_queries)
            queries += len(captured.captured_queries)
        per, total = 1000 / args.repeat, sum(times)
        print(f"\n{url}: median {statistics.median(times) * 1000:.2f} ms (fastest {min(times) * 1000:.2f}, "
              f"mean {total * per:.2f}; this process's CPU {statistics.median(cpu) * 1000:.2f}), "
              f"{queries // args.repeat} queries")  # fmt: skip
        print(f"  mean: database {database * per:.2f} ms · templates {rendering[0] * per:.2f} ms · "
              f"the rest {(total - database - rendering[0]) * per:.2f} ms")  # fmt: skip
        # Profiled apart: cProfile's own cost would inflate the figures above.
        profiler = cProfile.Profile()
        for _ in range(args.repeat):
            empty(request)
            profiler.runcall(client.get, url)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))

if __name__ == "__main__":
    main()
