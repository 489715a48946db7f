"""One client-IP rule behind a reverse proxy: the audit log and the rate limits both use it."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from furong_portal.client_ip import client_ip
from responsibility.audit import audit_record
from responsibility.models import AuditEvent

PROXY = "10.0.0.2"


def request_from(peer: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_ip(request_from("198.51.100.7", "1.2.3.4")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_behind_a_trusted_proxy_the_client_is_the_hop_the_proxy_added():
    assert client_ip(request_from(PROXY, "203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_an_address_the_client_wrote_itself_is_never_believed():
    # nginx appends the real peer to whatever the client sent.
    assert client_ip(request_from(PROXY, "127.0.0.1, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "127.0.0.1"])
def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert client_ip(request_from("127.0.0.1", "203.0.113.9, 10.0.0.5")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_garbage_in_the_header_stops_the_walk():
    assert client_ip(request_from(PROXY, "203.0.113.9, not-an-ip")) == PROXY


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_a_peer_outside_the_trusted_proxies_cannot_forward():
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_the_audit_log_records_the_client_behind_the_proxy_not_the_proxy():
    event = audit_record(action=AuditEvent.Action.LOGIN_FAILED, username="x", request=request_from(PROXY, "203.0.113.9"))
    assert event.ip_address == "203.0.113.9"


@pytest.mark.django_db
@override_settings(
    TRUSTED_PROXIES=["10.0.0.0/24"],
    RATE_LIMITS={"lookup_per_ip": (2, 3600), "lookup_per_number": (100, 3600)},
)
def test_rate_limits_count_each_client_behind_the_proxy_separately(client, seed):
    from django.core.cache import cache

    cache.clear()
    url = reverse("requests:lookup")
    data = {"number": "YSQ-2020-00001", "code": "AAAA-BBBB"}
    for _ in range(2):
        client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    blocked = client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1")
    other = client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert blocked.status_code == 429
    assert other.status_code == 200
    cache.clear()
