"""What a page-cache miss costs in-process under production settings, run on demand (never in CI).

    .venv/bin/python bench/miss_cost.py --database-url postgres://postgres@127.0.0.1:5432/furong_bench \
        --redis-url redis://127.0.0.1:6379/6 /items/5000/ /columns/3/?page=300

Unlike `profile_pages.py` (Django's test client, DEBUG on, which wraps every cursor to
log its queries), this calls the WSGI application gunicorn serves with a plain WSGI
environ, DEBUG off, as bench/run.py configures the server. Before each request the
stored page is removed (`page_forget`, the generation kept: a page nobody asked for
yet). `{n}` in a URL is replaced by the request's number (`/items/{n}/` walks distinct
items). Reported per URL: median, fastest and the median CPU time of this process;
`--split` adds the mean CPU time of each part of a miss (`split_install`), `--profile`
cProfile's top functions, `--sample` pyinstrument's tree (if it is installed).
"""

from __future__ import annotations

import argparse
import collections
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
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--start", type=int, default=1000, help="first {n}")
    parser.add_argument("--split", action="store_true", help="CPU time of each part of a miss")
    parser.add_argument("--profile", action="store_true", help="cProfile's top functions")
    parser.add_argument("--sample", action="store_true", help="pyinstrument's tree, if installed")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    return parser.parse_args()


SPLIT = collections.defaultdict(float)


def split_install():
    """Count the thread's CPU time in the parts of a miss (outermost call of each only):
    Django's handler below the page cache, the templates, storing the page (gzip and the
    cache write within it), reading the cache, the database's statements and health check."""
    from django.core.cache.backends import redis as django_redis
    from django.core.handlers import base
    from django.db.backends import utils as db_utils
    from django.db.backends.postgresql import base as postgresql
    from django.template.backends import django as django_templates

    from furong_portal import pagecache

    parts = (
        (pagecache.PageCacheMiddleware, "__call__", "page cache middleware"),
        (base.BaseHandler, "_get_response", "view with templates"),
        (django_templates.Template, "render", "templates"),
        (pagecache, "page_store", "storing the page"),
        (pagecache.gzip, "compress", "gzip"),
        (django_redis.RedisCacheClient, "set", "cache write"),
        (django_redis.RedisCacheClient, "get", "cache read"),
        (django_redis.RedisCacheClient, "get_many", "cache read"),
        (db_utils.CursorWrapper, "execute", "statements"),
        (postgresql.DatabaseWrapper, "is_usable", "health check"),
    )
    depth = collections.Counter()
    for owner, name, label in parts:
        original = getattr(owner, name)

        def timed(*args, __original=original, __label=label, **kwargs):
            if depth[__label]:
                return __original(*args, **kwargs)
            depth[__label] += 1
            started = time.thread_time()
            try:
                return __original(*args, **kwargs)
            finally:
                SPLIT[__label] += time.thread_time() - started
                depth[__label] -= 1

        setattr(owner, name, timed)


def split_report(total: float, count: int) -> str:
    mean = {label: seconds * 1000 / count for label, seconds in SPLIT.items()}
    middleware = mean["page cache middleware"]
    view = mean.get("view with templates", 0)
    rest = middleware - view - mean.get("storing the page", 0) - mean.get("cache read", 0)
    return (
        f"  mean CPU ms: all {total * 1000 / count:.3f} = Django's handler above the page cache "
        f"{total * 1000 / count - middleware:.3f} + middleware below it and the answer {rest:.3f} + cache read "
        f"{mean.get('cache read', 0):.3f} + view {view - mean.get('templates', 0):.3f} (statements "
        f"{mean.get('statements', 0):.3f}, health check {mean.get('health check', 0):.3f}) + templates "
        f"{mean.get('templates', 0):.3f} + storing the page {mean.get('storing the page', 0):.3f} (gzip "
        f"{mean.get('gzip', 0):.3f}, cache write {mean.get('cache write', 0):.3f})"
    )


def environ_for(url: str) -> dict:
    path, _, query = url.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip, deflate",
        "HTTP_USER_AGENT": "wrk",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main():
    args = parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="furong_portal.settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-0123456789-not-for-production",
        PERSONAL_DATA_KEYS="bench:000102030405060708090a0b0c0d0e0f",
        PERSONAL_DATA_DIGEST_KEY="101112131415161718191a1b1c1d1e1f101112131415161718191a1b1c1d1e1f",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        DB_CONN_MAX_AGE="600",
        SEARCHES_PER_IP_MINUTE="1000000000",
    )
    os.environ.setdefault("STATIC_ROOT", "/tmp/furong-bench/static")  # collected (bench/run.py does it)
    if args.split:
        import django

        django.setup()
        split_install()  # before the handler is built: it keeps its bound methods
    from django.test import RequestFactory

    from furong_portal import pagecache
    from furong_portal.wsgi import application

    statuses = {}

    def start_response(status, headers, exc_info=None):
        statuses["last"] = status

    def call(url):
        body = application(environ_for(url), start_response)
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()

    factory = RequestFactory(SERVER_NAME="127.0.0.1", HTTP_HOST="127.0.0.1")

    def prepare(url, n):
        url = url.replace("{n}", str(n))
        pagecache.page_forget(factory.get(url, HTTP_HOST="127.0.0.1"))
        return url

    print(f"load average {os.getloadavg()[0]:.2f}")
    for url_template in args.urls:
        for n in range(5):  # warm the connection, prepared statements, imports and fragments
            call(prepare(url_template, args.start - 1 - n))
        times, cpu = [], []
        SPLIT.clear()
        for n in range(args.repeat):
            url = prepare(url_template, args.start + n)
            started, started_cpu = time.perf_counter(), time.thread_time()
            call(url)
            times.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - started_cpu)
            assert statuses["last"].split()[0] in ("200", "410", "302"), (url, statuses["last"])
        print(
            f"{url_template}: median {statistics.median(times) * 1000:.3f} ms "
            f"(fastest {min(times) * 1000:.3f}; CPU median {statistics.median(cpu) * 1000:.3f}) {statuses['last']}"
        )
        if args.split:
            print(split_report(sum(cpu), args.repeat))
        if args.profile:
            profiler = cProfile.Profile()
            for n in range(args.repeat):
                url = prepare(url_template, args.start + args.repeat + n)
                profiler.runcall(call, url)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
        if args.sample:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0001)
            profiler.start()
            for n in range(args.repeat):
                prepare(url_template, args.start + 2 * args.repeat + n)
                call(url_template.replace("{n}", str(args.start + 2 * args.repeat + n)))
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
