"""The Redis cache backend of production (`REDIS_URL`): one client per connection pool,
and watches that tell a process, without a round trip, that a key has not changed.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache
operation, and redis-py's constructor copies its ~170 response callbacks each time:
about 160 µs per operation, more than the round trip to Redis itself. A `redis.Redis`
is safe to share (each command takes a connection from the pool), so each pool gets one
client, built on first use."""

import itertools
import os
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis

INVALIDATION_CHANNEL = "__redis__:invalidate"


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def validate_key(self, key):
        """Redis takes any key: the base class's scan of every character for what
        memcached would refuse only costs time on each read."""

    def key_watch(self, key) -> "KeyWatch":
        """This process's watch of `key` (see `KeyWatch`): one per process, whereas Django
        builds a backend per thread."""
        # The first server is the one written to (Django's convention): its writes push the messages.
        address = (self._servers[0], self.make_and_validate_key(key))
        with _watches_lock:
            watch = _watches.get(address)
            if watch is None:
                watch = _watches[address] = KeyWatch(*address)
        return watch


_watches: dict[tuple[str, str], "KeyWatch"] = {}
_watches_lock = threading.Lock()
# Epochs are never reused, whichever watch gives them: a copy kept under one watch's
# epoch cannot match another's.
_epochs = itertools.count(1)


class KeyWatch:
    """Tells whether a key may have changed in Redis since it was last read, without
    asking Redis: Redis pushes a message on a connection of our own whenever the key is
    written, deleted, expired or evicted, or the database flushed (client-side caching's
    broadcasting mode, redirected to the connection itself, which RESP2 and Redis ≥ 6
    allow). Checking for a message is one `recv` on a socket that has nothing to read.

        epoch = watch.epoch()          # before reading the key
        if epoch is not None and epoch == epoch_of_my_copy: use my copy
        else: read the key, and keep it with `epoch`

    The epoch moves on every message, so a copy read before a change is never used
    after the message about it arrived, whichever thread read it. Redis sends the
    message with the writer's answer: a process that kept a copy learns of the change
    within a request of it. When the connection cannot be made or breaks, `epoch()`
    answers None (callers read the key each time) and a new connection is tried a
    second later. A connection that died without an error (a peer gone behind a
    firewall) cannot keep a copy for long either: the epoch also moves every
    `RECHECK_SECONDS`."""

    RETRY_SECONDS = 1.0
    RECHECK_SECONDS = 1.0

    def __init__(self, url: str, key: str):
        # RESP2: the messages come as a subscription's; timeouts, so that a Redis that
        # accepts and never answers cannot hang a request.
        self._pool = redis.ConnectionPool.from_url(
            url, protocol=2, socket_connect_timeout=1, socket_timeout=5, socket_keepalive=True
        )
        self._key = key
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._epoch = next(_epochs)
        self._epoch_started = 0.0
        self._retry_at = 0.0

    def epoch(self) -> int | None:
        with self._lock:
            now = time.monotonic()
            if self._pid != os.getpid():  # a forked worker must not read its parent's socket
                self._connection, self._pid = None, os.getpid()
            if self._connection is None and not self._connect(now):
                return None
            try:
                changed = False
                while self._connection.can_read(timeout=0):
                    self._connection.read_response()
                    changed = True
            except (redis.RedisError, OSError):
                self._disconnect(now)
                return None
            if changed or now - self._epoch_started >= self.RECHECK_SECONDS:
                self._epoch, self._epoch_started = next(_epochs), now
            return self._epoch

    def _connect(self, now: float) -> bool:
        if now < self._retry_at:
            return False
        connection = self._pool.make_connection()
        try:
            connection.connect()
            connection.send_command("CLIENT", "ID")
            own_id = connection.read_response()
            connection.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", "PREFIX", self._key)
            connection.read_response()
            connection.send_command("SUBSCRIBE", INVALIDATION_CHANNEL)
            connection.read_response()
        except (redis.RedisError, OSError):
            connection.disconnect()
            self._retry_at = now + self.RETRY_SECONDS
            return False
        # Whatever was read before the watch began may be stale: a new epoch.
        self._connection, self._epoch, self._epoch_started = connection, next(_epochs), now
        return True

    def _disconnect(self, now: float) -> None:
        self._connection.disconnect()
        self._connection, self._retry_at = None, now + self.RETRY_SECONDS
