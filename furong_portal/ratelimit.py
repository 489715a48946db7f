"""Fixed-window abuse limits kept in Django's cache (Redis in production, so every worker
counts together; local memory in development).

Counting is atomic: `take` increments first and then compares, so twenty simultaneous
requests against an allowance of ten let exactly ten through (a check followed by a separate
record let eleven through). A use that turns out not to count (a form with a typo, a
successful lookup) is handed back with `give_back`.

Keys are hashes: neither client addresses nor identity numbers are written to the cache."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

# scope: (how many, per seconds). Overridden per scope by settings.RATE_LIMITS.
DEFAULT_LIMITS = {
    "submit_per_ip": (10, 60 * 60),
    "submit_per_identity": (5, 24 * 60 * 60),
    "lookup_per_ip": (30, 60 * 60),
    "lookup_per_number": (10, 60 * 60),
    "login_failures_per_ip": (20, 15 * 60),
    # 意见征集 comments and 社会评议 evaluations (disclosure.consultations, .evaluations).
    "comment_per_ip": (10, 60 * 60),
    "evaluation_per_ip": (5, 24 * 60 * 60),
    # Uncached public searches per client (disclosure.views).
    "search_per_ip": (30, 60),
}


def _limit(scope: str) -> tuple[int, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "RATE_LIMITS", {})}[scope]


def _key(scope: str, value: str) -> str:
    _, window = _limit(scope)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{value}".encode()).hexdigest()[:32]
    return f"rate:{scope}:{digest}:{int(time.time() // window)}"


def _increment(key: str, window: int) -> int:
    for _ in range(3):
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            continue
    return 1


def take(scope: str, value: str) -> str | None:
    """Use one of `value`'s allowance in `scope`. Returns a receipt for `give_back`, or None
    when the allowance is used up (the attempt must then be refused)."""
    limit, window = _limit(scope)
    key = _key(scope, value)
    if _increment(key, window) <= limit:
        return key
    give_back(key)  # the counter holds granted uses only
    return None


def give_back(receipt: str | None) -> None:
    """Return a use that `take` counted but that should not count after all."""
    if receipt is None:
        return
    try:
        cache.decr(receipt)
    except ValueError:  # the window ended meanwhile
        pass


def hit(scope: str, value: str) -> None:
    """Count one event (e.g. a failed login) without asking whether it is allowed."""
    _, window = _limit(scope)
    _increment(_key(scope, value), window)


def exceeded(scope: str, value: str) -> bool:
    """True once `value` has used up the scope's allowance in the current window."""
    limit, _ = _limit(scope)
    return (cache.get(_key(scope, value)) or 0) >= limit


def retry_after(scope: str) -> int:
    """Seconds until the scope's current window ends."""
    _, window = _limit(scope)
    return max(1, int(window - time.time() % window))
