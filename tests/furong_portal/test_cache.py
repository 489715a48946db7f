"""The Redis cache backend of production (furong_portal/cache.py), against a real Redis."""

import uuid

import pytest
import redis

from furong_portal.cache import KeyWatch, RedisCache


@pytest.fixture
def backend(redis_url):
    """A backend of its own: its keys cannot meet another test run's on the same Redis."""
    backend = RedisCache(redis_url, {"KEY_PREFIX": f"furong-test-{uuid.uuid4().hex}"})
    yield backend
    backend.delete_many(["answer", "watched", "other"])


@pytest.fixture
def another_process(redis_url, backend):
    """The same cache as seen by another application server: its own client and connections."""
    return RedisCache(redis_url, {"KEY_PREFIX": backend.key_prefix})


def test_the_redis_backend_keeps_one_client_per_connection_pool(backend):
    backend.set("answer", {"page": "页面"}, 30)
    assert backend.get("answer") == {"page": "页面"}
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


def test_a_watch_keeps_its_epoch_while_the_key_is_unchanged(backend, another_process, monkeypatch):
    monkeypatch.setattr(KeyWatch, "RECHECK_SECONDS", 60)
    watch = backend.key_watch("watched")
    epoch = watch.epoch()
    assert epoch is not None
    another_process.set("other", 1)  # another key: no message
    backend.get("watched")
    assert watch.epoch() == watch.epoch() == epoch


@pytest.mark.parametrize("change", ["set", "delete", "expire"])
def test_any_change_of_the_key_by_another_process_moves_the_epoch(backend, another_process, monkeypatch, change):
    monkeypatch.setattr(KeyWatch, "RECHECK_SECONDS", 60)
    another_process.set("watched", "before")
    watch = backend.key_watch("watched")
    epoch = watch.epoch()
    if change == "set":
        another_process.set("watched", "after")
    elif change == "delete":
        another_process.delete("watched")
    else:
        another_process.touch("watched", 0)
    assert watch.epoch() != epoch


def test_the_epoch_moves_when_the_recheck_is_due(backend, monkeypatch):
    monkeypatch.setattr(KeyWatch, "RECHECK_SECONDS", 0)
    watch = backend.key_watch("watched")
    assert watch.epoch() != watch.epoch()


def test_a_broken_watch_answers_none_then_reconnects_with_a_new_epoch(backend, redis_url, monkeypatch):
    monkeypatch.setattr(KeyWatch, "RECHECK_SECONDS", 60)
    monkeypatch.setattr(KeyWatch, "RETRY_SECONDS", 0)
    watch = backend.key_watch("watched")
    epoch = watch.epoch()
    redis.Redis.from_url(redis_url).client_kill_filter(_type="pubsub")
    assert watch.epoch() is None  # the connection's end is noticed: copies must not be used
    reconnected = watch.epoch()
    assert reconnected is not None and reconnected != epoch


def test_a_lost_redis_is_asked_again_only_after_a_delay(monkeypatch):
    unreachable = RedisCache("redis://127.0.0.1:1/0", {})
    watch = unreachable.key_watch("watched")
    attempts = []
    make_connection = watch._pool.make_connection
    monkeypatch.setattr(watch._pool, "make_connection", lambda: attempts.append(1) or make_connection())
    assert watch.epoch() is None and watch.epoch() is None
    assert len(attempts) == 1


def test_every_thread_of_a_process_shares_one_watch(backend, another_process):
    # Django builds a cache backend per thread; their epochs must be one sequence.
    assert backend.key_watch("watched") is another_process.key_watch("watched")
    assert backend.key_watch("watched") is not backend.key_watch("other")
