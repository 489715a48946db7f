"""Fixed-window rate limits kept in Django's cache, so no outside service is needed.

Keys are hashes: neither client addresses nor identity numbers are written to the cache."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS = {
    "submit_per_ip": (10, 60 * 60),
    "submit_per_identity": (5, 24 * 60 * 60),
    "lookup_per_ip": (30, 60 * 60),
    # 意见征集 comments and 社会评议 evaluations reuse these limits (disclosure.consultations, .evaluations).
    "comment_per_ip": (10, 60 * 60),
    "evaluation_per_ip": (5, 24 * 60 * 60),
    "search_per_ip": (30, 60),
}


def _limit(scope: str) -> tuple[int, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "REQUESTS_RATE_LIMITS", {})}[scope]


def _key(scope: str, value: str) -> str:
    limit, window = _limit(scope)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{value}".encode()).hexdigest()[:32]
    return f"requests:rate:{scope}:{digest}:{int(time.time() // window)}"


def exceeded(scope: str, value: str) -> bool:
    """True once `value` has used up the scope's allowance in the current window."""
    limit, _ = _limit(scope)
    return (cache.get(_key(scope, value)) or 0) >= limit


def retry_after(scope: str) -> int:
    """Seconds until the scope's current window ends."""
    _, window = _limit(scope)
    return max(1, int(window - time.time() % window))


def record(scope: str, value: str) -> None:
    _, window = _limit(scope)
    key = _key(scope, value)
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
