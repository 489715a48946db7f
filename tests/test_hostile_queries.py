"""Every public URL, walked with hostile query strings: no answer is a 5xx."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from disclosure.models import Item
from tests.disclosure.public_data import attach, publish
from tasks.models import WorkPoint

pytestmark = pytest.mark.django_db

HOSTILE = (
    "end=9999-12-31",
    "start=0001-01-01",
    "start=0001-01-01&end=9999-12-31",
    "start=2020-02-30",
    "year=0",
    "year=99999999999999999999",
    "page=-1",
    "page=0",
    "page=99999999999999999999",
    "page=abc",
    "column=abc",
    "column=99999999999999999999",
    "column=-1",
    "unit=1e9",
    "unit=%27%3B--",
    "theme=%00",
    "q=%00",
    "q=" + "字" * 500,
    "q=%22%27%3C%3E*()%3A%5E~",
    "q=NEAR(a b)",
    "q=a AND OR NOT",
    "sort=%22%3E%3Cscript%3E",
    "validity=../../",
    "number=%00",
    "genre[]=x&genre=y",
    "%ZZ=%ZZ",
)


def public_routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


@pytest.fixture
def paths(seed):
    item = publish(title="敌意查询测试")
    attachment = attach(item)
    values = {
        "slug": item.column.slug,
        "pk": str(item.pk),
        "number": str(WorkPoint.objects.order_by("number").first().number),
        "section": "items",
        "year": "2020",
        "name": attachment.file.name,
    }

    def fill(route):
        if "attachments/" in route:
            return route.replace("<int:pk>", str(attachment.pk))
        if route.startswith("units/"):
            return route.replace("<int:pk>", str(item.unit_id))
        if route.startswith("requests/"):
            return route.replace("<str:number>", "YSQ-2020-00001")
        # Any other parameter (the open-data API's ids …) gets the published item's id.
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values.get(match[1], str(item.pk)), route)

    return sorted({"/" + fill(route) for route in public_routes()})


def test_the_walk_covers_the_public_site(paths):
    assert {"/", "/search/", "/documents/", "/work-points/", "/requests/status/"} <= set(paths)
    assert len(paths) >= 20
    assert Item.objects.filter(title="敌意查询测试").exists()


# One test per query string, so that the test workers share the walk's ~1,800 requests.
@pytest.mark.parametrize("query", HOSTILE)
def test_no_public_url_answers_a_hostile_query_string_with_a_5xx(client, paths, query):
    failures = []
    for path in paths:
        response = client.get(f"{path}?{query}")
        if response.status_code >= 500:
            failures.append(f"{path}?{query[:60]} → {response.status_code}")
    assert failures == []
