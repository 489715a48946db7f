"""The abuse guard of /search/: a client may run only so many uncached searches."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_per_minute(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search_per_ip": (3, 60)}


def search(client, term, address="198.51.100.7"):
    return client.get(reverse("disclosure:search"), {"q": term}, REMOTE_ADDR=address)


def test_a_client_past_its_allowance_gets_429_with_retry_after_and_a_chinese_page(client, seed, three_per_minute):
    for term in ("扶贫", "预算", "教育"):
        assert search(client, term).status_code == 200
    refused = search(client, "医疗")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "检索过于频繁" in refused.content.decode() and "no-store" in refused["Cache-Control"]


def test_the_limit_is_per_client(client, seed, three_per_minute):
    for term in ("扶贫", "预算", "教育"):
        search(client, term)
    assert search(client, "医疗").status_code == 429
    assert search(client, "医疗", address="203.0.113.9").status_code == 200


def test_searches_answered_from_the_page_cache_are_not_counted(client, seed, three_per_minute):
    for _ in range(10):
        assert search(client, "扶贫").status_code == 200
    assert search(client, "预算").status_code == 200


def test_the_refusal_is_not_stored_by_the_page_cache(client, seed, three_per_minute):
    for term in ("扶贫", "预算", "教育"):
        search(client, term)
    assert search(client, "医疗").status_code == 429
    assert search(client, "医疗", address="203.0.113.9").status_code == 200
    assert search(client, "医疗").status_code == 200  # now stored, for everyone


def test_keyword_queries_through_the_api_share_the_search_allowance(client, seed, three_per_minute):
    for term in ("扶贫", "预算"):
        assert search(client, term).status_code == 200
    api = client.get("/api/v1/items", {"q": "教育"}, REMOTE_ADDR="198.51.100.7")
    assert api.status_code == 200
    refused = client.get("/api/v1/items", {"q": "医疗"}, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert "检索过于频繁" in refused.json()["detail"] and "no-store" in refused["Cache-Control"]
    assert search(client, "卫生").status_code == 429
    assert client.get("/api/v1/items", REMOTE_ADDR="198.51.100.7").status_code == 200  # no keyword: not counted
