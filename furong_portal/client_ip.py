"""The address of the person making a request: the one rule the audit log and every abuse
limit use.

Without a reverse proxy, that is the TCP peer (`REMOTE_ADDR`); `X-Forwarded-For` is ignored,
because anyone can write it. Behind nginx, the TCP peer is nginx itself, so the setting
`TRUSTED_PROXIES` (environment variable of the same name: addresses or networks, comma
separated, e.g. "127.0.0.1,10.0.0.0/24") names the proxies whose word is taken. The header
is then read from the right: each hop a trusted proxy added is skipped, and the first address
that is not a trusted proxy is the client. Anything a client wrote into the header itself sits
further left and is never reached. nginx must append, not replace:
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` (docs/deploy.md)."""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's IP address as text, or None when there is no request or no valid peer."""
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not _is_trusted(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:  # garbage in the header: trust nothing further left
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
