"""The page cache (furong_portal/pagecache.py): what it stores, for whom, and that
every change the public can see makes the pages fresh on the next request."""

import datetime
import gzip
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.models import Item
from furong_portal import pagecache
from responsibility.services import column_duties_replace
from tests.disclosure.public_data import publish
from tests.disclosure.staff import (
    COLUMN_A,
    UNIT_A,
    column,
    district_officer,
    exempted,
    published_item,
    unit,
)  # fmt: skip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code in (200, 410), url
    return response.content.decode()


def published(editor, reviewer, committed, title="关于印发行政执法公示制度的通知", at=None, **data) -> Item:
    def write():
        item = services.item_create(actor=editor, column=column(COLUMN_A), data={"title": title, **data})
        item = services.item_submit(actor=editor, item=item)
        if item.is_normative:
            exempted(item)  # 三同步 is tested elsewhere
        return services.item_publish(actor=reviewer, item=item, at=at, secrecy_confirmed=True)

    return committed(write)


# --- What is stored, for whom ---------------------------------------------------------


def test_a_change_behind_the_services_back_stays_unseen_until_the_generation_changes(client, seed, a):
    item = published_item(unit=a, column=column(COLUMN_A), title="旧标题")
    assert "旧标题" in page(client, item.get_absolute_url())
    Item.objects.filter(pk=item.pk).update(title="新标题")
    assert "旧标题" in page(client, item.get_absolute_url())  # served from the cache
    pagecache.generation_renew()
    assert "新标题" in page(client, item.get_absolute_url())


def test_a_generation_in_an_earlier_releases_form_is_renewed(client, seed):
    from django.core.cache import cache

    cache.set(pagecache.GENERATION_KEY, "a-token-as-release-1-wrote-it", timeout=None)
    assert client.get("/").status_code == 200
    assert isinstance(cache.get(pagecache.GENERATION_KEY), pagecache.Generation)

def test_a_signed_in_member_of_staff_neither_fills_nor_reads_the_cache(client, seed, a):
    item = published_item(unit=a, column=column(COLUMN_A), title="旧标题")
    client.force_login(district_officer())
    assert "private" in client.get(item.get_absolute_url())["Cache-Control"]
    Item.objects.filter(pk=item.pk).update(title="新标题")
    assert "新标题" in page(client, item.get_absolute_url())
    client.logout()
    client.cookies.clear()
    assert "新标题" in page(client, item.get_absolute_url())  # nothing was stored for staff


def test_a_page_that_sets_a_cookie_is_never_stored(client, seed):
    first = client.get(reverse("requests:apply"))
    assert first.status_code == 200 and first.cookies  # the form's CSRF cookie
    assert "ETag" not in first
    client.cookies.clear()
    second = client.get(reverse("requests:apply"))
    assert second.cookies and "ETag" not in second


def test_elder_mode_is_part_of_the_key(client, seed):
    assert 'class="elder-mode' not in page(client, "/")
    client.cookies["elder_mode"] = "1"
    assert 'class="elder-mode' in page(client, "/")
    del client.cookies["elder_mode"]
    assert 'class="elder-mode' not in page(client, "/")


def test_the_query_string_is_part_of_the_key(client, seed):
    publish(title="扶贫资金公示")
    assert "资金公示" in page(client, reverse("disclosure:search") + "?q=扶贫")  # the term itself is highlighted
    assert "资金公示" not in page(client, reverse("disclosure:search") + "?q=预算")


def test_a_repeat_visitor_gets_304_by_etag_or_date(client, seed, a):
    item = published_item(unit=a, column=column(COLUMN_A))
    first = client.get(item.get_absolute_url())
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    not_modified = client.get(item.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
        assert not_modified[header] == first[header], header
    assert client.get(item.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    changed = client.get(item.get_absolute_url(), HTTP_IF_NONE_MATCH='W/"something-else"')
    assert changed.status_code == 200


def test_html_is_compressed_for_clients_that_accept_gzip(client, seed):
    plain = client.get("/")
    zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3


def test_head_is_answered_from_the_cache_without_a_body(client, seed):
    client.get("/")
    response = client.head("/")
    assert response.status_code == 200 and response.content == b"" and response["ETag"]



def test_a_stored_page_keeps_the_content_security_policy(client, seed):
    rendered = client.get("/")
    stored = client.get("/")
    assert stored["ETag"] == rendered["ETag"]  # the second answer came from the cache
    assert stored["Content-Security-Policy"] == rendered["Content-Security-Policy"] != ""


def test_static_files_pass_by_the_page_cache(client, seed):
    from django.core.cache import cache

    reads = []
    original = cache.get_many
    cache.get_many = lambda keys, *args, **kwargs: reads.append(keys) or original(keys, *args, **kwargs)
    try:
        assert client.get("/static/css/portal.css").status_code == 200
    finally:
        cache.get_many = original
    assert reads == []  # whitenoise answered without a cache read


# --- Every change the public can see --------------------------------------------------


def test_publishing_an_item_shows_it_on_the_home_and_column_pages(client, editor, reviewer, committed):
    for url in ("/", reverse("disclosure:column", args=(COLUMN_A,)), reverse("disclosure:column", args=("3",))):
        assert "行政执法公示制度" not in page(client, url)
    published(editor, reviewer, committed)
    for url in ("/", reverse("disclosure:column", args=(COLUMN_A,)), reverse("disclosure:column", args=("3",))):
        assert "行政执法公示制度" in page(client, url)


def test_editing_a_published_item_shows_the_new_text(client, editor, reviewer, committed):
    item = published(editor, reviewer, committed)
    assert "行政执法公示制度" in page(client, item.get_absolute_url())
    committed(lambda: services.item_update(actor=district_officer(), item=item, data={"title": "更正后的标题"}))
    assert "更正后的标题" in page(client, item.get_absolute_url())


def test_withdrawing_an_item_answers_410_and_takes_it_off_the_lists(client, editor, reviewer, committed):
    item = published(editor, reviewer, committed)
    assert "行政执法公示制度" in page(client, "/")
    committed(lambda: services.item_withdraw(actor=reviewer, item=item, reason="内容有误"))
    assert client.get(item.get_absolute_url()).status_code == 410
    assert "行政执法公示制度" not in page(client, "/")


def test_a_change_of_validity_shows_on_the_document_and_in_the_library(client, editor, reviewer, committed):
    item = published(editor, reviewer, committed, is_normative=True)
    assert "废止" not in page(client, item.get_absolute_url())
    library = page(client, reverse("disclosure:documents") + "?validity=repealed")
    assert "行政执法公示制度" not in library
    committed(
        lambda: services.item_set_validity(
            actor=district_officer(), item=item, validity=Item.Validity.REPEALED, since=datetime.date(2024, 1, 1)
        )
    )
    assert "废止" in page(client, item.get_absolute_url())
    assert "行政执法公示制度" in page(client, reverse("disclosure:documents") + "?validity=repealed")


def test_an_interpretation_linked_to_a_document_shows_on_the_document(client, editor, reviewer, committed):
    document = published(editor, reviewer, committed, is_normative=True)
    interpretation = published(editor, reviewer, committed, title="图解行政执法公示制度")
    assert "图解行政执法公示制度" not in page(client, document.get_absolute_url())
    committed(
        lambda: services.item_update(actor=district_officer(), item=interpretation, data={"interprets": document})
    )
    assert "图解行政执法公示制度" in page(client, document.get_absolute_url())


def test_a_scheduled_item_appears_when_its_time_comes_without_any_job(
    client, editor, reviewer, committed, monkeypatch
):
    at = timezone.now() + datetime.timedelta(minutes=5)
    published(editor, reviewer, committed, at=at)
    assert "行政执法公示制度" not in page(client, "/")
    assert "行政执法公示制度" not in page(client, "/")  # stored, but only until `at`
    later = at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "行政执法公示制度" in page(client, "/")


def test_scheduled_items_fall_due_one_after_the_other(
    client, editor, reviewer, committed, monkeypatch, django_assert_num_queries
):
    start = timezone.now()
    published(editor, reviewer, committed, title="第一条定时发布的通知", at=start + datetime.timedelta(minutes=5))
    published(editor, reviewer, committed, title="第二条定时发布的通知", at=start + datetime.timedelta(minutes=10))
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(minutes=5, seconds=1))
    home = client.get("/")
    assert "第一条定时发布的通知" in home.content.decode() and "第二条定时发布的通知" not in home.content.decode()
    with django_assert_num_queries(0):  # stored again, until the next scheduled moment
        assert client.get("/")["ETag"] == home["ETag"]
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(minutes=10, seconds=1))
    assert "第二条定时发布的通知" in page(client, "/")

def test_editing_a_column_in_the_admin_shows_the_new_title(client, seed, committed):
    target = column("3-4")
    assert "统计信息新版" not in page(client, "/")
    admin = UserFactory(username="root-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:responsibility_column_change", args=(target.pk,))
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        title="统计信息新版", parent=target.parent_id,
        **{"duties-TOTAL_FORMS": 0, "duties-INITIAL_FORMS": 0, "duties-MIN_NUM_FORMS": 0, "duties-MAX_NUM_FORMS": 1000},
    )  # fmt: skip
    response = committed(lambda: client.post(url, data))
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    client.cookies.clear()
    assert "统计信息新版" in page(client, "/")


def test_rebuilding_a_columns_duties_shows_the_new_units(client, seed, committed):
    url = reverse("disclosure:column", args=("3-4",))
    assert "区发展改革局" not in page(client, url)
    committed(lambda: column_duties_replace(column=column("3-4"), responsibility_text="区统计局、区发展改革局"))
    assert "区发展改革局" in page(client, url)


def test_a_revised_table_renaming_a_column_shows_the_new_title(client, seed, committed):
    from responsibility.table_import import table_apply, table_text_parse
    from tests.responsibility.test_table_import import seed_table_lines

    url = reverse("disclosure:column", args=("3-4",))
    assert "统计数据" not in page(client, url)
    lines = [line.replace("统计信息", "统计数据") for line in seed_table_lines()]  # the title alone, no duty
    committed(lambda: table_apply(nodes=table_text_parse(lines)))
    assert "统计数据" in page(client, url)


def test_importing_columns_shows_the_new_duties(client, seed, committed):
    from responsibility.resources import ColumnResource
    from tests.responsibility.test_resources import column_dataset

    url = reverse("disclosure:column", args=("3-4",))
    assert "区发展改革局" not in page(client, url)
    dataset = column_dataset(**{"3-4": {"责任单位": "区统计局、区发展改革局"}})
    result = committed(lambda: ColumnResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True))
    assert result.totals["update"] == 1
    assert "区发展改革局" in page(client, url)


# --- Two application servers sharing Redis ---------------------------------------------

def shared_database_url(tmp_path) -> str:
    """A URL other processes can open: the PostgreSQL test database, or a file copy
    of SQLite's in-memory test database."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    connection.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    return f"sqlite:///{path}"


class Server:
    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("pagecache_worker.py"))],
            env=env, cwd=Path(__file__).resolve().parents[2], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def ask(self, line: str) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_two_servers_sharing_redis_never_disagree_after_a_change(seed, tmp_path, redis_url):
    a = unit(UNIT_A)
    item = published_item(unit=a, column=column(COLUMN_A), title="两个进程共用缓存的信息")
    officer = district_officer()
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "furong_portal.test_settings", "LOG_LEVEL": "WARNING",
        "DATABASE_URL": shared_database_url(tmp_path), "REDIS_URL": redis_url,
    }  # fmt: skip
    first, second = Server(env), Server(env)
    try:
        url = item.get_absolute_url()
        assert first.ask("renew") == "ok"  # Redis outlives the test databases
        assert first.ask(f"get {url} 两个进程共用缓存的信息") == "200 yes"
        assert second.ask(f"get {url} 两个进程共用缓存的信息") == "200 yes"
        assert first.ask("get / 两个进程共用缓存的信息") == "200 yes"
        assert second.ask(f"withdraw {item.pk} {officer.pk}") == "ok"
        assert first.ask(f"get {url} 撤回") == "410 yes"
        assert first.ask("get / 两个进程共用缓存的信息") == "200 no"
    finally:
        first.close()
        second.close()


# --- Each process's copies, with Redis telling it of every change ------------------------


@pytest.fixture
def shared_cache(settings, seed, redis_url, monkeypatch):
    """The production cache (Redis), under a key prefix of its own."""
    from django.core.cache import cache

    from furong_portal.cache import KeyWatch

    monkeypatch.setattr(KeyWatch, "RECHECK_SECONDS", 60)  # slow test machines
    settings.CACHES = {
        "default": {
            "BACKEND": "furong_portal.cache.RedisCache", "LOCATION": redis_url,
            "KEY_PREFIX": f"furong-test-{uuid.uuid4().hex}",
        }
    }  # fmt: skip
    pagecache.process_copies_forget()
    pagecache.generation_renew()
    yield cache
    client = cache._cache.get_client(write=True)
    client.delete(*client.keys(cache.make_key("*")))
    pagecache.process_copies_forget()


@pytest.fixture
def redis_commands(monkeypatch):
    """The commands this process sends to Redis from now on."""
    sent = []
    execute = redis.Redis.execute_command
    monkeypatch.setattr(redis.Redis, "execute_command", lambda self, *args, **kw: sent.append(args[0]) or execute(self, *args, **kw))
    return sent


def test_a_page_asked_for_again_is_answered_without_a_round_trip(client, shared_cache, redis_commands):
    rendered = client.get("/")
    assert redis_commands == ["MGET", "SET"]  # the generation and the page read; the page stored
    redis_commands.clear()
    again = client.get("/")
    assert again.content == rendered.content and again["ETag"] == rendered["ETag"]
    assert redis_commands == []


def test_a_page_another_process_stored_is_one_round_trip(client, shared_cache, redis_commands):
    client.get("/")
    pagecache.process_copies_forget()  # as in another process
    redis_commands.clear()
    client.get("/")
    assert redis_commands == ["MGET"]  # the generation and the page
    redis_commands.clear()
    client.get(reverse("disclosure:column", args=(COLUMN_A,)))
    assert redis_commands == ["GET", "SET"]  # the generation known: the page, not found, then stored


def test_a_change_written_by_another_process_is_seen_by_the_next_request(client, shared_cache, redis_url, a):
    from furong_portal.cache import RedisCache

    item = published_item(unit=a, column=column(COLUMN_A), title="旧标题")
    assert "旧标题" in page(client, item.get_absolute_url())
    assert "旧标题" in page(client, item.get_absolute_url())  # this process's copy
    Item.objects.filter(pk=item.pk).update(title="新标题")
    another_process = RedisCache(redis_url, {"KEY_PREFIX": shared_cache.key_prefix})
    another_process.set(pagecache.GENERATION_KEY, pagecache.Generation("another", pagecache.NO_SCHEDULE), None)
    assert "新标题" in page(client, item.get_absolute_url())


def test_without_its_watch_a_process_reads_the_generation_each_time(client, shared_cache, redis_url, a):
    from furong_portal.cache import RedisCache

    item = published_item(unit=a, column=column(COLUMN_A), title="旧标题")
    assert "旧标题" in page(client, item.get_absolute_url())
    redis.Redis.from_url(redis_url).client_kill_filter(_type="pubsub")
    Item.objects.filter(pk=item.pk).update(title="新标题")
    another_process = RedisCache(redis_url, {"KEY_PREFIX": shared_cache.key_prefix})
    another_process.set(pagecache.GENERATION_KEY, pagecache.Generation("another", pagecache.NO_SCHEDULE), None)
    assert "新标题" in page(client, item.get_absolute_url())


def test_copies_of_pages_stay_within_their_budget(client, shared_cache, settings, redis_commands):
    settings.PAGE_CACHE_LOCAL_BYTES = 1
    client.get("/")
    redis_commands.clear()
    client.get("/")
    assert redis_commands == ["GET"]  # the generation known, the page read again from Redis


def renewals(callbacks) -> list:
    return [callback for callback in callbacks if callback is pagecache.generation_renew]


def test_many_changes_in_one_transaction_renew_the_generation_once_at_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.undo()  # conftest's autouse fixture makes every call renew at once: here the real mechanism
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(3):
            pagecache.public_pages_changed()
    assert renewals(callbacks) == [pagecache.generation_renew]


def test_a_renewal_rolled_back_with_its_savepoint_is_registered_again(monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction

    monkeypatch.undo()
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                pagecache.public_pages_changed()
                assert pagecache._renewal_due_at_commit()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert not pagecache._renewal_due_at_commit()  # what the savepoint registered went with it
        pagecache.public_pages_changed()
    assert renewals(callbacks) == [pagecache.generation_renew]
