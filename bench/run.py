"""Benchmark of the public site under gunicorn, run on demand (never in CI).

    .venv/bin/python bench/run.py                       # SQLite file under /tmp/furong-bench
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/furong_bench

It fills the database with demo items (`demo_items --items N`, skipped when the
database already holds that many), collects static files, starts gunicorn on
127.0.0.1 with production settings (DEBUG off, whitenoise, persistent DB
connections), and drives each page with a bounded load generator on loopback:
`--concurrency` client processes, each sending requests one after another on a
fresh connection for `--duration` seconds per page (at most `--max-requests`
each), in `--rounds` slices that take the pages in turn. The
baseline is a static file (the stylesheet) served by the same gunicorn through
whitenoise in the same run; every page is reported as requests per second and
95th-percentile latency, and as the ratio of each to the baseline.

The client processes share the machine's cores with gunicorn, so absolute figures
understate the server; the ratios compare pages under the same handicap.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/furong-bench"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=f"sqlite:///{WORK / 'bench.sqlite3'}")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per page in all")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved slices of each page's time")
    parser.add_argument("--max-requests", type=int, default=20_000, help="upper bound per client and page")
    parser.add_argument("--output", type=Path, help="also write the results as JSON here")
    return parser.parse_args()


def environment(args) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "furong_portal.settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-not-for-production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": str(WORK / "media"),
        "STATIC_ROOT": str(WORK / "static"),
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
    }


def manage(env, *arguments, capture=False) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    return result.stdout or ""


PROBE = """
import json
from django.db import connection
from disclosure.models import Item
published = Item.objects.published()
item = published.filter(attachments__isnull=False, is_normative=True).order_by("pk").first() or published.first()
print(json.dumps({"count": Item.objects.count(), "item": item.pk if item else None, "vendor": connection.vendor}))
"""
MAINTAIN = """
from django.db import connection
with connection.cursor() as cursor:
    if connection.vendor == "postgresql":
        cursor.execute("VACUUM ANALYZE disclosure_item")
    else:
        cursor.execute("ANALYZE")
"""


def probe(env) -> dict:
    return json.loads(manage(env, "shell", "-v0", "-c", PROBE, capture=True).strip().splitlines()[-1])


def database_create_if_missing(database_url: str) -> None:
    """A PostgreSQL bench database is created on first use, like the SQLite file."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            connection.execute(f'create database "{name}"')


def prepare(args, env) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    database_create_if_missing(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_seed", "-v0")
    state = probe(env)
    if state["count"] < args.items:
        started = time.monotonic()
        manage(env, "demo_items", "--items", str(args.items - state["count"]), "--force")
        print(f"filled {args.items - state['count']} items in {time.monotonic() - started:.0f} s", flush=True)
        manage(env, "shell", "-v0", "-c", MAINTAIN)
        state = probe(env)
    manage(env, "collectstatic", "--noinput", "-v0")
    manifest = json.loads((WORK / "static" / "staticfiles.json").read_text())
    state["stylesheet"] = "/static/" + manifest["paths"]["css/portal.css"]
    return state


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started


def client(job) -> tuple[list[float], int]:
    port, path, duration, max_requests = job
    latencies, errors = [], 0
    deadline = time.perf_counter() + duration
    while time.perf_counter() < deadline and len(latencies) + errors < max_requests:
        status, elapsed = get(port, path)
        if status == 200:
            latencies.append(elapsed)
        else:
            errors += 1
    return latencies, errors


def measure(pool, args, port, pages) -> list[dict]:
    """Each page for `duration` seconds in all, split into `rounds` interleaved slices
    so that a change in the machine's load during the run hits every page alike."""
    for _, path in pages:
        for _ in range(5):  # warm the workers' connections and caches
            get(port, path)
    slice_seconds = args.duration / args.rounds
    latencies = [[] for _ in pages]
    errors = [0] * len(pages)
    elapsed = [0.0] * len(pages)
    for _ in range(args.rounds):
        for index, (_, path) in enumerate(pages):
            started = time.perf_counter()
            jobs = [(port, path, slice_seconds, args.max_requests // args.rounds)] * args.concurrency
            for part, failed in pool.map(client, jobs):
                latencies[index].extend(part)
                errors[index] += failed
            elapsed[index] += time.perf_counter() - started
    results = []
    for index in range(len(pages)):
        done = sorted(latencies[index])
        p95 = statistics.quantiles(done, n=100)[94] if len(done) >= 2 else float("nan")
        results.append(
            {"requests": len(done), "errors": errors[index], "rps": len(done) / elapsed[index], "p95_ms": p95 * 1000}
        )
    return results


def start_gunicorn(args, env, port) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")), "furong_portal.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--access-logfile", "/dev/null", "--error-logfile", str(WORK / "gunicorn.log"),
        ],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(100):
        time.sleep(0.2)
        if get(port, "/robots.txt")[0] == 200:
            return server
    server.terminate()
    raise SystemExit(f"gunicorn did not answer; see {WORK / 'gunicorn.log'}")


def main():
    args = parse_args()
    env = environment(args)
    state = prepare(args, env)
    pages = [
        ("static file (baseline)", state["stylesheet"]),
        ("home", "/"),
        ("column (top level 三)", "/columns/3/"),
        ("column (leaf 扶贫信息)", "/columns/3-12-1/"),
        ("item", f"/items/{state['item']}/"),
        ("search 扶贫 (relevance)", "/search/?q=" + quote("扶贫")),
        ("search 预算 (by date)", "/search/?sort=date&q=" + quote("预算")),
    ]
    port = free_port()
    server = start_gunicorn(args, env, port)
    try:
        with multiprocessing.Pool(args.concurrency) as pool:
            results = [(label, path, result) for (label, path), result in zip(pages, measure(pool, args, port, pages))]
    finally:
        server.terminate()
        server.wait(timeout=30)
    baseline = results[0][2]
    print()
    print(
        f"{state['count']} items on {state['vendor']}; gunicorn {args.workers} sync workers; "
        f"{args.concurrency} client processes × {args.duration:g} s per page in {args.rounds} rounds; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    )
    print("| page | req/s | p95 ms | req/s ÷ static | p95 ÷ static | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, _, result in results:
        print(
            f"| {label} | {result['rps']:.0f} | {result['p95_ms']:.1f} | {result['rps'] / baseline['rps']:.2f} "
            f"| {result['p95_ms'] / baseline['p95_ms']:.1f} | {result['errors']} |"
        )
    if args.output:
        args.output.write_text(
            json.dumps({"state": state, "args": {k: str(v) for k, v in vars(args).items()}, "results": results}, indent=2)
        )


if __name__ == "__main__":
    main()
