"""The Redis cache backend of production (`REDIS_URL`), with one client per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache
operation, and redis-py's constructor copies its ~170 response callbacks each time:
about 160 µs per operation, more than the round trip to Redis itself. A stored page is
answered with one cache read, so that constructor was the largest cost of a cache hit.
A `redis.Redis` is safe to share (each command takes a connection from the pool), so
each pool gets one client, built on first use."""

from django.core.cache.backends import redis as django_redis


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
