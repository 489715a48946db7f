"""Lists count up to a limit and rank a bounded set: no query grows with the collection."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure import search, views
from tests.disclosure.public_data import publish

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_a_list_longer_than_the_limit_says_how_many_it_counted_and_plus(client, seed, monkeypatch):
    monkeypatch.setattr(views, "COUNT_LIMIT", 40)
    for number in range(45):
        publish(title=f"扶贫通知第{number}号")
    page = text(client.get(reverse("disclosure:search"), {"q": "扶贫", "sort": "date"}))
    assert "（40+ 条）" in page
    assert "第 1/2 页" in page and "更早的信息请按年份、机构筛选或检索" in page


def test_a_list_within_the_limit_is_counted_exactly(client, seed, monkeypatch):
    monkeypatch.setattr(views, "COUNT_LIMIT", 40)
    for number in range(25):
        publish(title=f"扶贫通知第{number}号")
    page = text(client.get(reverse("disclosure:search"), {"q": "扶贫", "sort": "date"}))
    assert "（25 条）" in page and "第 1/2 页" in page and "更早的信息" not in page


def test_a_page_beyond_the_counted_range_redirects_to_the_last_counted_page(client, seed, monkeypatch):
    monkeypatch.setattr(views, "COUNT_LIMIT", 40)
    for number in range(65):
        publish(title=f"扶贫通知第{number}号")
    response = client.get(reverse("disclosure:search"), {"q": "扶贫", "sort": "date", "page": "3"}, follow=True)
    assert response.redirect_chain == [("/search/?q=%E6%89%B6%E8%B4%AB&sort=date&page=2", 302)]
    assert "第 2/2 页" in text(response)
    column = reverse("disclosure:column", args=("3-12-1",))
    for number in ("3", "2000", "9" * 5000):
        assert client.get(column, {"page": number})["Location"] == f"{column}?page=2"
    for number in ("2", "abc", "0", "²"):  # the last page itself, and numbers no list has (as before)
        assert client.get(column, {"page": number}).status_code == 200


def test_relevance_ranks_the_newest_matches_and_the_heading_counts_all(client, seed, monkeypatch):
    monkeypatch.setattr(search, "RANK_CANDIDATES", 2)
    now = timezone.now()
    publish(title="扶贫扶贫扶贫资金扶贫甲", published_at=now - datetime.timedelta(days=30))  # best, but oldest
    publish(title="关于扶贫的通知乙", published_at=now - datetime.timedelta(days=2))
    publish(title="扶贫扶贫工作简报丙", published_at=now - datetime.timedelta(days=1))
    page = text(client.get(reverse("disclosure:search"), {"q": "扶贫"}))
    assert "（3 条）" in page and "按相关度排列其中最新的 2 条" in page
    assert "资金" not in page  # the search terms themselves are highlighted: look at the rest
    assert page.index("工作简报丙") < page.index("的通知乙")
    by_date = text(client.get(reverse("disclosure:search"), {"q": "扶贫", "sort": "date"}))
    assert "资金" in by_date


def test_pages_read_from_their_first_row_are_the_pages_counted_through(seed):
    """Keyset pages (ItemQuerySet.page_starts, from_start) against OFFSET pages, with
    items sharing a publication time: the same rows on every page."""
    from disclosure.models import Item

    moment = timezone.now() - datetime.timedelta(days=1)
    for number in range(11):
        publish(title=f"同时发布{number}", published_at=moment - datetime.timedelta(hours=number // 4))
    items = Item.objects.published().order_by("-published_at", "-pk")
    for per_page in (1, 3, 4):
        keyset = views.BoundedPaginator(items, per_page, starts=lambda: items.page_starts(per_page, views.COUNT_LIMIT))
        offset = views.BoundedPaginator(items, per_page)
        for number in offset.page_range:
            assert [item.pk for item in keyset.page(number)] == [item.pk for item in offset.page(number)], (
                per_page, number,
            )


def test_a_columns_compiled_pages_are_the_pages_counted_through(client, seed):
    """A column's whole list (no filter chosen) reads its pages by a compiled statement
    (views.COLUMN_PAGE_ROWS) from each page's first row: the same rows as OFFSET pages,
    items sharing a publication time and those of a sub-column included."""
    from disclosure.models import Item, column_subtree_ids
    from responsibility.models import Column

    moment = timezone.now() - datetime.timedelta(days=1)
    for number in range(45):
        published_at = moment - datetime.timedelta(hours=number // 7)
        publish("3-12-1" if number % 3 else "3-12", title=f"同时发布{number}", published_at=published_at)
    column = Column.objects.get(slug="3-12")
    items = Item.objects.published().in_columns(column_subtree_ids(column.pk)).order_by("-published_at", "-pk")
    offset = views.BoundedPaginator(items, views.PAGE_SIZE)
    assert offset.num_pages == 3
    for number in offset.page_range:
        page = text(client.get(column.get_absolute_url(), {"page": number}))
        shown = [title for title in (item.title for item in Item.objects.all()) if f">{title}</a>" in page]
        expected = [item.title for item in offset.page(number)]
        assert sorted(shown) == sorted(expected)
        places = [page.index(f">{title}</a>") for title in expected]
        assert places == sorted(places)
