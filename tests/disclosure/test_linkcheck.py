"""The daily link checker, against a server on this machine (never the internet)."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from disclosure.checks import linkcheck
from disclosure.checks.linkcheck import links_check
from disclosure.checks.models import LinkStatus
from tests.disclosure.public_data import publish
from tests.disclosure.staff import district_officer

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    requests: list = []

    def _answer(self, body: bool):
        Handler.requests.append((self.command, self.path, self.headers.get("User-Agent")))
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def linked(*urls, title="带链接的通知"):
    return publish(title=title, body="".join(f'<p><a href="{url}">链接</a></p>' for url in urls))


def test_broken_links_are_recorded_with_the_items_that_hold_them(server, seed):
    item = linked(f"{server}/ok", f"{server}/gone", f"{server}/no-head", "/items/999999/")
    report = links_check(now=timezone.now(), delay=0)
    assert (report.found, report.checked, report.broken) == (4, 4, 2)
    gone = LinkStatus.objects.get(url=f"{server}/gone")
    assert gone.is_broken and gone.status_code == 404 and list(gone.items.all()) == [item]
    assert not LinkStatus.objects.get(url=f"{server}/no-head").is_broken  # GET after a refused HEAD
    assert LinkStatus.objects.get(url="/items/999999/").is_broken
    assert ("GET", "/no-head") in [(method, path) for method, path, _ in Handler.requests]
    assert all(agent == linkcheck.USER_AGENT for _, _, agent in Handler.requests)


def test_an_unreachable_host_is_broken_with_the_reason(seed):
    linked("http://127.0.0.1:9/closed")
    links_check(now=timezone.now(), delay=0, timeout=2)
    status = LinkStatus.objects.get()
    assert status.is_broken and status.status_code is None and status.error


def test_a_run_is_bounded_and_checks_each_address_once_a_day(server, seed):
    linked(*(f"{server}/ok?{n}" for n in range(5)))
    now = timezone.now()
    first = links_check(now=now, delay=0, limit=3)
    assert (first.checked, first.skipped) == (3, 2)
    second = links_check(now=now + timedelta(hours=1), delay=0, limit=3)
    assert (second.checked, second.skipped) == (2, 3)  # the two left over; the others were checked an hour ago
    assert links_check(now=now + timedelta(hours=2), delay=0).checked == 0
    assert links_check(now=now + timedelta(days=1), delay=0).checked == 5
    assert len(Handler.requests) == 10


def test_requests_to_one_host_are_spaced_by_the_delay():
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    pacer = linkcheck._Pacer(2.0, sleep=sleep, clock=lambda: now[0])
    pacer.wait("a.example")
    now[0] += 0.5
    pacer.wait("a.example")  # 0.5 s after the first: waits 1.5 s more
    pacer.wait("b.example")  # another host: no wait
    now[0] += 3
    pacer.wait("a.example")  # long enough ago
    assert slept == [1.5]


def test_addresses_no_longer_linked_are_dropped_and_a_repaired_link_recovers(server, seed):
    item = linked(f"{server}/gone")
    links_check(now=timezone.now(), delay=0)
    assert LinkStatus.objects.broken().count() == 1
    item.body = f'<p><a href="{server}/ok">链接</a></p>'
    item.save()
    report = links_check(now=timezone.now(), delay=0)
    assert report.removed >= 1 and LinkStatus.objects.broken().count() == 0


def test_the_command_reports_and_dry_run_saves_nothing(server, seed, capsys):
    linked(f"{server}/gone")
    call_command("check_links", "--delay", "0", "--dry-run")
    assert "无法访问 1 个" in capsys.readouterr().out and not LinkStatus.objects.exists()
    call_command("check_links", "--delay", "0")
    assert LinkStatus.objects.broken().count() == 1


def test_the_office_dashboard_shows_broken_links_beside_the_inspection_panel(client, server, seed):
    item = linked(f"{server}/gone", title="含失效链接的通知")
    links_check(now=timezone.now(), delay=0)
    client.force_login(district_officer())
    page = client.get(reverse("admin:tasks_office")).content.decode()
    assert page.index('id="risk-heading"') < page.index('id="links-heading"')
    panel = page[page.index('id="links-heading"') :]
    assert f"{server}/gone" in panel and "HTTP 404" in panel and item.title in panel
