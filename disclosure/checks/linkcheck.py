"""The site-wide link checker: every address linked from a published item, checked
once a day, politely and within bounds.

Polite: one request at a time, at least `delay` seconds between two requests to the
same host, HEAD first (GET only when a server refuses HEAD), a short timeout, a
User-Agent that says who asks. Bounded: at most `limit` addresses and `max_seconds`
per run; an address checked less than `recheck_after` ago waits for the next run.
Links to this site are resolved against the database instead of fetched."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q

from disclosure.models import Item

from .models import LinkStatus
from .rules import body_links, internal_link_problem

USER_AGENT = "furong-portal-linkcheck/1.0 (government disclosure portal link checker)"
BROKEN_STATUS = 400


@dataclass
class LinkCheckReport:
    found: int = 0
    checked: int = 0
    broken: int = 0
    skipped: int = 0
    removed: int = 0
    problems: list[str] = field(default_factory=list)


def links_in_published_items(now: datetime) -> dict[str, set[int]]:
    """{address: ids of the published items linking to it}: absolute http(s) addresses
    and paths of this site (relative links starting with /)."""
    found: dict[str, set[int]] = defaultdict(set)
    bodies = Item.objects.published(now).exclude(body="").values_list("pk", "body")
    for pk, body in bodies.iterator(chunk_size=500):
        for _tag, address in body_links(body):
            parts = urlsplit(address)
            if (parts.scheme in ("http", "https") and parts.netloc) or (
                not parts.scheme and address.startswith("/") and not address.startswith("//")
            ):
                found[address[:1000]].add(pk)
    return found


def fetch_status(url: str, *, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, error) of one address: HEAD, then GET if the server refuses HEAD."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, see caller)
                return response.status, ""
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return error.code, ""
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return None, str(reason)[:300] or error.__class__.__name__
    return None, "无法访问"


class _Pacer:
    """Waits so that two requests to one host are at least `delay` seconds apart."""

    def __init__(self, delay: float, sleep=time.sleep, clock=time.monotonic):
        self.delay, self.sleep, self.clock = delay, sleep, clock
        self.last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        if host in self.last:
            remaining = self.delay - (self.clock() - self.last[host])
            if remaining > 0:
                self.sleep(remaining)
        self.last[host] = self.clock()


def links_check(
    *, now: datetime, limit: int = 300, delay: float = 2.0, timeout: float = 10.0,
    recheck_after: timedelta = timedelta(hours=20), max_seconds: float = 1800, dry_run: bool = False,
) -> LinkCheckReport:  # fmt: skip
    """Check the links of published items and record each result in `LinkStatus`;
    results of addresses no published item links to any more are removed."""
    links = links_in_published_items(now)
    report = LinkCheckReport(found=len(links))
    known = {status.url: status for status in LinkStatus.objects.filter(url__in=list(links))}
    due = [
        url
        for url in links
        if url not in known or known[url].checked_at is None or known[url].checked_at <= now - recheck_after
    ]
    # Never checked first, then the longest unchecked.
    due.sort(
        key=lambda url: (
            url in known and known[url].checked_at is not None,
            known[url].checked_at if url in known and known[url].checked_at else now,
        )
    )
    report.skipped = max(0, len(links) - len(due)) + max(0, len(due) - limit)
    pacer, started = _Pacer(delay), time.monotonic()
    results: dict[str, tuple[int | None, str]] = {}
    for url in due[:limit]:
        if time.monotonic() - started > max_seconds:
            report.skipped += 1
            continue
        if url.startswith("/"):
            problem = internal_link_problem(urlsplit(url).path)
            results[url] = (None if problem else 200, problem or "")
        else:
            pacer.wait(urlsplit(url).netloc.lower())
            results[url] = fetch_status(url, timeout=timeout)
        report.checked += 1
    for url, (status_code, error) in results.items():
        if status_code is None or status_code >= BROKEN_STATUS:
            report.broken += 1
            report.problems.append(f"{url}：{f'HTTP {status_code}' if status_code else error}")
    if not dry_run:
        report.removed = _record(now=now, links=links, results=results)
    return report


@transaction.atomic
def _record(*, now: datetime, links: dict[str, set[int]], results: dict[str, tuple[int | None, str]]) -> int:
    removed, _ = LinkStatus.objects.filter(~Q(url__in=list(links))).delete()
    for url, item_ids in links.items():
        status, _ = LinkStatus.objects.get_or_create(url=url)
        if url in results:
            status_code, error = results[url]
            broken = status_code is None or status_code >= BROKEN_STATUS
            status.broken_since = (status.broken_since or now) if broken else None
            status.is_broken, status.status_code, status.error, status.checked_at = broken, status_code, error, now
        status.last_seen_at = now
        status.save()
        status.items.set(item_ids)
    return removed


@dataclass
class LinkSummary:
    """What the office's dashboard shows of the last link check."""

    checked_at: datetime | None
    total: int
    broken_count: int
    broken: list[LinkStatus]


def link_summary(*, shown: int = 20) -> LinkSummary:
    statuses = LinkStatus.objects.all()
    broken = LinkStatus.objects.broken().order_by("broken_since", "url").prefetch_related("items")
    return LinkSummary(
        checked_at=statuses.order_by("-checked_at").values_list("checked_at", flat=True).first(),
        total=statuses.count(),
        broken_count=broken.count(),
        broken=list(broken[:shown]),
    )
