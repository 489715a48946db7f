"""Benchmark of the public site under gunicorn, driven by wrk, run on demand (never in CI).

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/furong_bench
    .venv/bin/python bench/run.py --redis-url redis://127.0.0.1:6379/1 …   # the page cache shared by the workers

It fills the database with demo items (`demo_items --items N`, skipped when the
database already holds that many), collects static files, starts gunicorn on
127.0.0.1 with production settings (DEBUG off, whitenoise, persistent database
connections) and drives it with wrk (Debian package `wrk`) on loopback, which
costs the machine far less CPU than a load generator in Python:

- warm: each page asked for again and again (`wrk -t1 -c8` by default);
- cold: many distinct URLs, each asked for once (a Lua script walks a list):
  distinct item pages, every page of every column (and the issue's pages 1–2,000
  of column 三), distinct two-character searches; the page cache is emptied (a new
  generation) before each. First among them the floor: robots.txt under distinct
  query strings, a page whose view does nothing, which no page nobody asked for yet
  can beat;
- mix: 50 connections for 60 s: the warm pages once, then an item, a column page and a
  search from the cold lists in turn, each asked for once (errors and p99).

For each list it also reports where the machine's CPU went, per request: the gunicorn
workers, PostgreSQL, Redis, wrk and the rest, read from /proc before and after (Linux).

The baseline is a static file (the stylesheet) served by the same gunicorn
through whitenoise in the same run; every page is reported as requests per
second and latency percentiles, and as the ratio of its requests per second to
the baseline's: the first measurement of the run and one taken just before the
page's own (`--baseline-duration` seconds), which a drift of the host's speed
during the run does not skew. The machine's other load moves the absolute
figures; compare ratios.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import resource
import socket
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
    parser.add_argument("--redis-url", default="", help="REDIS_URL for gunicorn (else each worker caches alone)")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections for warm and cold pages")
    parser.add_argument("--duration", type=int, default=10, help="seconds per warm page")
    parser.add_argument("--cold-duration", type=int, default=20, help="seconds per list of distinct URLs (0: skip)")
    parser.add_argument(
        "--baseline-duration", type=int, default=3, help="seconds of the static file just before each list"
    )
    parser.add_argument("--mix-duration", type=int, default=60, help="seconds of the 50-connection mix (0: skip)")
    parser.add_argument("--output", type=Path, help="also write the results as JSON here")
    return parser.parse_args()


def environment(args) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "furong_portal.settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-not-for-production",
        "PERSONAL_DATA_KEYS": "bench:000102030405060708090a0b0c0d0e0f",
        "PERSONAL_DATA_DIGEST_KEY": "101112131415161718191a1b1c1d1e1f101112131415161718191a1b1c1d1e1f",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": str(WORK / "media"),
        "PRIVATE_MEDIA_ROOT": str(WORK / "private-media"),
        "STATIC_ROOT": str(WORK / "static"),
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
        "REDIS_URL": args.redis_url,
        # The bench measures the server, not the per-client search limit (one client, many searches).
        "SEARCHES_PER_IP_MINUTE": "1000000000",
    }


def manage(env, *arguments, capture=False) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    return result.stdout or ""


PROBE = """
import json, random
from django.db import connection
from disclosure.models import Item
from disclosure.search import HAN_RUN
from responsibility.models import Column
published = Item.objects.published()
item = published.filter(attachments__isnull=False, is_normative=True).order_by("pk").first() or published.first()
ids = list(published.order_by("-published_at").values_list("pk", flat=True)[:40000])
terms = {}
for title in published.order_by("-published_at").values_list("title", flat=True)[:60000]:
    for run in HAN_RUN.findall(title):
        for i in range(len(run) - 1):
            terms.setdefault(run[i : i + 2], None)
    if len(terms) >= 4000:
        break
random.Random(9).shuffle(ids)
# Every page each column offers (500 at most: later numbers redirect), column 三 first,
# then the others by size; interleaved so that a short run sees all kinds of column.
columns = []
for column in Column.objects.order_by("pk"):
    pages = min(500, -(-published.in_column_tree(column).count() // 20))
    columns.append((column.slug != "3", -pages, column.get_absolute_url(), pages))
column_pages = [f"{url}?page={n}" for _, _, url, pages in sorted(columns) for n in range(1, pages + 1)]
random.Random(9).shuffle(column_pages)
print(json.dumps({"count": Item.objects.count(), "item": item.pk if item else None, "vendor": connection.vendor,
                  "ids": ids, "terms": list(terms)[:4000], "column_pages": column_pages}))
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


# --- Where the machine's CPU goes ---------------------------------------------------------

CPU_GROUPS = ("gunicorn", "postgres", "redis-server", "wrk")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_by_process() -> dict[str, float] | None:
    """CPU seconds used so far by the processes of each group (user and system), and by
    the whole machine and its idle time, read from /proc (Linux; None elsewhere). wrk is
    counted among this process's waited-for children: it has ended by the second reading."""
    try:
        with open("/proc/stat") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return None
    used = {group: 0.0 for group in CPU_GROUPS}
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    used["wrk"] = children.ru_utime + children.ru_stime
    used["machine"], used["idle"] = sum(ticks) / CLOCK_TICKS, (ticks[3] + ticks[4]) / CLOCK_TICKS
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                line = stat.read()
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended meanwhile
        name = line[line.index("(") + 1 : line.rindex(")")]
        group = "gunicorn" if "gunicorn" in command else name
        if group in used and group != "wrk":
            fields = line[line.rindex(")") + 2 :].split()
            used[group] += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return used


def cpu_per_request(before, after, requests: int) -> dict[str, float] | None:
    """Milliseconds of CPU per request in each group between two readings; `other` is
    what the rest of the machine (the kernel's own threads included) used meanwhile."""
    if before is None or after is None or not requests:
        return None
    spent = {group: (after[group] - before[group]) * 1000 / requests for group in after}
    busy = spent.pop("machine") - spent.pop("idle")
    spent["other"] = max(0.0, busy - sum(spent.values()))
    spent["idle"] = (after["idle"] - before["idle"]) * 1000 / requests
    return spent


# --- wrk -------------------------------------------------------------------------------

# Walks the paths in the file $BENCH_PATHS in order, one request each (wrapping round
# at the end), and prints the figures as one JSON line. Each of wrk's $BENCH_THREADS
# threads runs its own copy of the script: thread n takes paths n, n + threads, … so
# that together they still ask for each path once per walk of the list (when each
# walked all of it, every path was asked for once per thread, at about the same moment).
LUA = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local threads = tonumber(os.getenv("BENCH_THREADS"))
local started = 0
setup = function(thread)
  thread:set("offset", started)
  started = started + 1
end
local position = nil
request = function()
  position = position or offset
  local path = paths[position % #paths + 1]
  position = position + threads
  return wrk.format("GET", path, {["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "errors": %d, "non_2xx": %d, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "paths": %d}\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, #paths))
end
"""


def wrk(port: int, paths: list[str], *, seconds: int, connections: int, threads: int = 1) -> dict:
    listing = WORK / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = WORK / "paths.lua"
    script.write_text(LUA)
    before = cpu_by_process()
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}/"],
        env={**os.environ, "BENCH_PATHS": str(listing), "BENCH_THREADS": str(threads)}, check=True, text=True, stdout=subprocess.PIPE,
    )  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line[len("BENCH ") :])
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["cpu_ms"] = cpu_per_request(before, cpu_by_process(), figures["requests"])
    # A list shorter than the requests made was walked more than once: partly warm.
    figures["wrapped"] = figures["requests"] > figures["paths"] > 1
    return figures


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int, path: str) -> int:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return 0


def start_gunicorn(args, env, port) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")), "furong_portal.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--access-logfile", "/dev/null", "--error-logfile", str(WORK / "gunicorn.log"),
        ],
        env=env, cwd=ROOT,
    )  # fmt: skip
    for _ in range(150):
        time.sleep(0.2)
        if answers(port, "/robots.txt") == 200:
            return server
    server.terminate()
    raise SystemExit(f"gunicorn did not answer; see {WORK / 'gunicorn.log'}")


RENEW = "from furong_portal import pagecache; pagecache.generation_renew()"


def cache_emptied(args, env) -> None:
    """A new generation: every stored page is stale (with local memory, each worker's
    cache is its own and only a restart empties it; the caller restarts)."""
    if args.redis_url:
        manage(env, "shell", "-v0", "-c", RENEW)


def pages(state) -> tuple[list[tuple[str, list[str]]], ...]:
    """The warm pages, the cold lists of the mix, and every cold list measured alone."""
    search = "/search/?q="
    warm = [
        ("static file (baseline)", [state["stylesheet"]]),
        ("home", ["/"]),
        ("top-level column 三", ["/columns/3/"]),
        ("leaf column 扶贫信息", ["/columns/3-12-1/"]),
        ("item", [f"/items/{state['item']}/"]),
        ("政府文件库", ["/documents/"]),
        ("search 扶贫", [search + quote("扶贫")]),
        ("search 预算 by date", ["/search/?sort=date&q=" + quote("预算")]),
        ("search 公 (one character)", [search + quote("公")]),
    ]
    cold = [
        (f"{len(state['ids'])} distinct item pages", [f"/items/{pk}/" for pk in state["ids"]]),
        (f"{len(state['column_pages'])} distinct column pages, every column", state["column_pages"]),
        # Each term's first result page, then its second (the demo titles hold ~3,000 distinct pairs of
        # characters: page 2 keeps the mix from running out of distinct searches within its minute).
        (
            f"{len(state['terms'])} distinct two-character searches",
            [search + quote(term) + suffix for suffix in ("", "&page=2") for term in state["terms"]],
        ),
    ]
    # The issue's list: column 三 offers 500 pages (10,000 items), later numbers redirect to page 500.
    # Too short not to be walked more than once now; the mix takes every column's pages instead.
    issue_pages = ("pages 1–2,000 of column 三", [f"/columns/3/?page={number}" for number in range(1, 2001)])
    # What any page nobody asked for yet costs before its view does anything: robots.txt (no query,
    # no template) under distinct query strings goes through the whole request cycle, the page cache's
    # read and its store, as each of the lists above does.
    robots = [f"/robots.txt?n={n}" for n in range(40000)]
    floor = (f"floor: {len(robots):,} distinct query strings of robots.txt", robots)
    return warm, cold, [floor, cold[0], issue_pages, *cold[1:]]


def run(args, env, state) -> dict:
    warm, cold, cold_alone = pages(state)
    results = {"warm": [], "cold": [], "mix": None}
    port = free_port()
    server = start_gunicorn(args, env, port)
    try:
        static = warm[0][1]

        def measured(paths, seconds):
            """A list's figures, with the static file's requests per second measured just before
            it: the host's speed drifts over a run, and a ratio to a baseline taken minutes
            earlier carries that drift."""
            alongside = wrk(port, static, seconds=args.baseline_duration, connections=args.connections)["rps"]
            return {**wrk(port, paths, seconds=seconds, connections=args.connections), "static_rps": alongside}

        cache_emptied(args, env)
        for label, paths in warm:
            wrk(port, paths, seconds=2, connections=args.connections)  # fill the cache, warm the workers
            results["warm"].append((label, measured(paths, args.duration)))
            print(f"  {label}: {results['warm'][-1][1]['rps']:.0f} req/s", flush=True)
        for label, paths in cold_alone if args.cold_duration else ():
            if not args.redis_url:
                server.terminate()
                server.wait(timeout=30)
                server = start_gunicorn(args, env, port)
            cache_emptied(args, env)
            results["cold"].append((label, measured(paths, args.cold_duration)))
            print(f"  {label}: {results['cold'][-1][1]['rps']:.0f} req/s", flush=True)
        if args.mix_duration:
            cache_emptied(args, env)
            # Each cold list in turn, as far as the shortest goes: the same blend throughout.
            shortest = min(len(paths) for _, paths in cold)
            mix = [path for index in range(shortest) for _, paths in warm + cold for path in paths[index : index + 1]]
            results["mix"] = wrk(port, mix, seconds=args.mix_duration, connections=50, threads=2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def report(args, state, results) -> None:
    baseline = results["warm"][0][1]["rps"]
    print()
    print(
        f"{state['count']} items on {state['vendor']}; gunicorn {args.workers} sync workers"
        f"{', Redis' if args.redis_url else ', local-memory cache'}; wrk -t1 -c{args.connections}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python {platform.python_version()}"
    )
    print("| page | req/s | ÷ static (first) | static just before | ÷ static just before | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in ("warm", "cold"):
        for label, figures in results[kind]:
            note = " (list walked more than once)" if figures["wrapped"] else ""
            alongside = figures["static_rps"]
            print(
                f"| {label}{note} | {figures['rps']:.0f} | {figures['rps'] / baseline:.3f} | {alongside:.0f} "
                f"| {figures['rps'] / alongside:.3f} | {figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} "
                f"| {figures['errors'] + figures['non_2xx']} |"
            )
    listed = results["warm"] + results["cold"] + ([("mix", results["mix"])] if results["mix"] else [])
    if any(figures["cpu_ms"] for _, figures in listed):
        print("\nCPU per request, ms (from /proc, the whole run of each list: wrk's start-up and idle time included)")
        print("| page | gunicorn | PostgreSQL | Redis | wrk | other | idle |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, figures in listed:
            if figures["cpu_ms"]:
                spent = figures["cpu_ms"]
                print(
                    f"| {label} | "
                    + " | ".join(f"{spent[group]:.2f}" for group in (*CPU_GROUPS, "other", "idle"))
                    + " |"
                )
    mix = results["mix"]
    if mix:
        print(
            f"\nMix of pages nobody asked for yet{' (list walked more than once)' if mix['wrapped'] else ''}, 50 connections for "
            f"{args.mix_duration} s: {mix['paths']} distinct paths, {mix['requests']} requests, "
            f"{mix['rps']:.0f} req/s, p99 {mix['p99_ms']:.0f} ms, max {mix['max_ms']:.0f} ms, "
            f"{mix['errors']} socket errors, {mix['non_2xx']} non-2xx answers"
        )


def main():
    args = parse_args()
    env = environment(args)
    state = prepare(args, env)
    results = run(args, env, state)
    report(args, state, results)
    if args.output:
        state = {key: value for key, value in state.items() if key not in ("ids", "terms")}
        args.output.write_text(json.dumps({"state": state, "args": {k: str(v) for k, v in vars(args).items()},
                                           "results": results}, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
