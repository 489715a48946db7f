"""Every public page runs a constant number of queries whatever the amount of data."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Item
from disclosure.views import PaginatedMixin
from furong_portal import pagecache
from tests.disclosure.public_data import attach, publish

pytestmark = pytest.mark.django_db

LEAVES = ("3-1", "3-7", "3-12-1", "3-12-2", "7-7")
UNITS = {"3-1": "区司法局", "3-7": "区财政局", "3-12-1": "区农业农村局", "3-12-2": "区教育局", "7-7": "区民政局"}


def add_items(count: int) -> Item:
    """`count` items in several columns: normative ones, interpretations, attachments;
    returns a normative document that has interpretations, a successor and attachments."""
    start = timezone.now() - datetime.timedelta(days=count + 10)
    document = publish("3-1", "区司法局", title="扶贫管理办法", is_normative=True, validity="repealed", published_at=start)
    document.successor = publish("3-1", "区司法局", title="新扶贫管理办法", is_normative=True, validity="valid")
    document.save()
    for number in range(count):
        slug = LEAVES[number % len(LEAVES)]
        item = publish(
            slug, UNITS[slug], title=f"关于扶贫工作的通知第{number}号",
            published_at=start + datetime.timedelta(days=number, hours=1),
            is_normative=number % 3 == 0, validity="valid" if number % 3 == 0 else "",
            interprets=document if number % 4 == 0 else None,
        )  # fmt: skip
        if number % 5 == 0:
            attach(item)
            attach(document, "xlsx")
    return document


def pages(document: Item) -> list[str]:
    return [
        "/",
        reverse("disclosure:column", args=("3",)),
        reverse("disclosure:column", args=("3-12-1",)),
        reverse("disclosure:column", args=("3-12-1",)) + "?year=2025&page=1",
        document.get_absolute_url(),
        reverse("disclosure:documents"),
        reverse("disclosure:documents") + "?validity=valid&doc_number=芙",
        reverse("disclosure:search") + "?q=扶贫",
        reverse("disclosure:search") + "?q=扶贫&sort=date&column=5",
        reverse("disclosure:search"),
        reverse("disclosure:feed"),
        reverse("disclosure:column-feed", args=("3",)),
        reverse("disclosure:sitemap-section", args=("items",)),
        reverse("responsibility:unit", args=(document.unit_id,)),
        reverse("disclosure:site-map"),
        reverse("disclosure:contact"),
    ]


def query_counts(client, urls) -> dict[str, int]:
    """Queries per page on a cold cache (the home page caches its column tree)."""
    counts = {}
    for url in urls:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_count_does_not_grow_with_the_data(client, seed, django_assert_max_num_queries):
    document = add_items(6)
    few = query_counts(client, pages(document))
    add_items(60)
    many = query_counts(client, pages(document))
    assert many == few, many
    for url in pages(document):
        cache.clear()
        with django_assert_max_num_queries(12, info=url):
            client.get(url)


def test_home_page_serves_the_column_tree_from_the_cache_once_filled(client, seed):
    client.cookies["sessionid"] = "anything"  # past the page cache, as for staff
    client.get("/robots.txt")  # the session now exists
    cache.clear()
    pagecache.generation_renew()  # an emptied cache has no generation, and renewing one costs a query
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/")
    with CaptureQueriesContext(connection) as warm:
        second = client.get("/")
    # Once per generation: the directory's units, columns and duties (responsibility/directory.py).
    assert len(warm) == len(cold) - 3
    assert second.content == first.content


def test_a_page_nobody_asked_for_yet_reads_only_its_own_rows(client, seed, django_assert_num_queries, monkeypatch):
    """What pages share is read once per generation (the directory of columns and units,
    rendered fragments, a column's first and latest dates and count): a page first asked for in a
    generation that other pages filled runs only the queries of its own rows."""
    monkeypatch.setattr(PaginatedMixin, "page_size", 2)  # second pages with a few items
    document = add_items(6)
    column = reverse("disclosure:column", args=("3",))
    for url in ("/", column, reverse("disclosure:documents")):
        client.get(url)
    plain = Item.objects.get(title="关于扶贫工作的通知第2号")  # nothing attached, nothing linked
    expected = {
        plain.get_absolute_url(): 1,  # the row, with flags for the lists it could show
        document.get_absolute_url(): 3,  # and its linked documents, and its attachments
        column + "?page=2": 2,  # the rows and where each page starts (the count was kept with page 1)
        column + "?page=3": 1,  # the rows: both were kept
        column + "?year=2020": 2,  # a filtered list: its count and its rows
        reverse("disclosure:documents") + "?page=2": 1,  # the library's count was kept too
        reverse("disclosure:documents") + "?validity=valid": 2,  # a filtered library: its count and rows
    }
    for url, count in expected.items():
        with django_assert_num_queries(count, info=url):
            assert client.get(url).status_code == 200


def test_a_public_page_asked_for_again_runs_no_query(client, seed, django_assert_num_queries):
    document = add_items(3)
    for url in pages(document):
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200, url
