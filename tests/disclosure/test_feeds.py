"""RSS and Atom feeds, sitemap.xml and robots.txt."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.models import Item
from tests.disclosure.public_data import publish

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_site_rss_lists_published_items_newest_first_with_metadata(client, seed):
    publish(title="较早的通知", published_at=timezone.now() - datetime.timedelta(days=3), body="<p>正文<b>摘要</b></p>")
    publish(title="最新的通知", doc_number="芙政办发〔2025〕1号")
    publish(title="草稿", state=Item.State.DRAFT, published_at=None, index_number=None)
    channel = xml(client.get(reverse("disclosure:feed"))).find("channel")
    entries = channel.findall("item")
    assert [entry.findtext("title") for entry in entries] == ["最新的通知", "较早的通知"]
    assert "芙政办发〔2025〕1号" in entries[0].findtext("description")
    assert "正文摘要" in entries[1].findtext("description")
    assert entries[0].findtext("link").startswith("http://testserver/items/")


def test_column_atom_feed_covers_the_subtree_only(client, seed):
    publish("3-12-1", title="扶贫信息")
    publish("3-7", "区财政局", title="预算信息")
    feed = xml(client.get(reverse("disclosure:column-atom", args=("3-12",))))
    assert feed.tag == f"{ATOM}feed"
    assert [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")] == ["扶贫信息"]
    assert "重大民生信息" in feed.findtext(f"{ATOM}title")


def test_column_feed_of_an_unknown_column_is_404(client, seed):
    assert client.get(reverse("disclosure:column-feed", args=("nope",))).status_code == 404


def test_sitemap_index_links_sections_that_list_columns_and_public_items(client, seed):
    public = publish(title="公开的")
    hidden = publish(title="定时的", published_at=timezone.now() + datetime.timedelta(days=1))
    index = xml(client.get("/sitemap.xml"))
    sections = [node.findtext(f"{SITEMAP}loc") for node in index.findall(f"{SITEMAP}sitemap")]
    assert "http://testserver/sitemap-items.xml" in sections and "http://testserver/sitemap-columns.xml" in sections
    items = xml(client.get("/sitemap-items.xml"))
    locations = {node.findtext(f"{SITEMAP}loc") for node in items.findall(f"{SITEMAP}url")}
    assert f"http://testserver{public.get_absolute_url()}" in locations
    assert f"http://testserver{hidden.get_absolute_url()}" not in locations
    columns = xml(client.get("/sitemap-columns.xml"))
    assert len(columns.findall(f"{SITEMAP}url")) == 48


def test_feeds_and_sitemaps_are_cacheable(client, seed):
    for url in ("/rss/", "/atom/", "/sitemap.xml", "/sitemap-items.xml"):
        assert "public" in client.get(url)["Cache-Control"], url
