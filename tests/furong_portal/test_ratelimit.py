"""Atomic counters: simultaneous attempts never overrun an allowance."""

import threading

from django.core.cache import cache
from django.test import override_settings

from furong_portal import ratelimit


@override_settings(RATE_LIMITS={"submit_per_ip": (10, 3600)})
def test_twenty_simultaneous_attempts_against_ten_let_exactly_ten_through():
    cache.clear()
    start, granted = threading.Barrier(20), []

    def attempt():
        start.wait()
        granted.append(ratelimit.take("submit_per_ip", "203.0.113.1"))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len([receipt for receipt in granted if receipt]) == 10
    cache.clear()


@override_settings(RATE_LIMITS={"submit_per_ip": (1, 3600)})
def test_a_use_handed_back_can_be_taken_again():
    cache.clear()
    receipt = ratelimit.take("submit_per_ip", "a")
    assert ratelimit.take("submit_per_ip", "a") is None
    ratelimit.give_back(receipt)
    assert ratelimit.take("submit_per_ip", "a") is not None
    cache.clear()
