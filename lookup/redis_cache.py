"""The Redis cache with a circuit breaker: a Redis that stops answering costs one
timeout, not one per cache call.

django-redis with ``IGNORE_EXCEPTIONS`` turns a failed call into a cache miss, but
each call first waits for its socket timeout. A page makes several cache calls (the
rate limiter, the trace page's cache, the scan count), so a Redis that accepts
connections and then says nothing (overloaded, or a black-holed network) would hold
every page for several seconds. Here the calls go through a
:class:`~lookup.engines.breaker.CircuitBreaker` per server: after ``FAILURES``
consecutive failures the breaker opens and every call is a miss at once for
``RESET_SECONDS``, then one call tries the server again.
"""

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

from lookup.engines.breaker import CircuitOpenError, breaker_for

FAILURES = 2
RESET_SECONDS = 10


class _Unreachable(ConnectionInterrupted):
    """The breaker is open: the call was not sent."""

    def __init__(self):
        super().__init__(connection=None)

    def __str__(self):
        return "Redis not tried: it failed moments ago"


class _GuardedClient:
    """django-redis's client with every call made through the breaker."""

    def __init__(self, client, breaker):
        self._client = client
        self._breaker = breaker

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            try:
                return self._breaker.call(attribute, *args, **kwargs)
            except CircuitOpenError:
                raise _Unreachable() from None

        return call


class GuardedRedisCache(RedisCache):
    @property
    def client(self):
        breaker = breaker_for(
            f"redis:{self._server}",
            failure_threshold=FAILURES,
            reset_after=RESET_SECONDS,
            is_failure=lambda exception: isinstance(exception, ConnectionInterrupted),
        )
        return _GuardedClient(super().client, breaker)
