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

:meth:`GuardedRedisCache.run_script` runs a Lua script (several commands in one round
trip, atomically) through the same breaker; the trace page and the rate limiter use it
on their hot paths (lookup.trace_pages, lookup.ratelimit).
"""

import hashlib
import logging

from django_redis.cache import RedisCache, omit_exception
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError

from lookup.engines.breaker import CircuitOpenError, breaker_for

logger = logging.getLogger(__name__)

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
    _scripts = {}

    def _breaker(self):
        return breaker_for(
            f"redis:{self._server}",
            failure_threshold=FAILURES,
            reset_after=RESET_SECONDS,
            is_failure=lambda exception: isinstance(exception, ConnectionInterrupted),
        )

    @property
    def client(self):
        return _GuardedClient(super().client, self._breaker())

    @omit_exception
    def clear(self):
        """Delete this cache's own keys (its prefix and version), not the whole Redis
        database as django-redis does (``FLUSHDB``): a server shared with another
        site, or between the suite's parallel test processes, keeps their keys."""
        if not self.key_prefix:
            return self.client.clear()
        return self.client.delete_pattern("*")

    def decode(self, value):
        """A value as a script returned it (bytes, or an integer) as ``get`` would give it."""
        return None if value is None else super().client.decode(value)

    def run_script(self, source, keys=(), args=()):
        """Run the Lua script ``source`` on ``keys`` (cache keys, given the cache's
        prefix and version here) with ``args``: one round trip (``EVALSHA``). Returns
        the script's reply, or None when Redis cannot be reached; that is logged and
        counts against the breaker, like a failed call of any other method."""
        sha = self._scripts.get(source)
        if sha is None:
            sha = self._scripts[source] = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()
        raw = super().client
        names = [raw.make_key(key) for key in keys]

        def run():
            client = raw.get_client(write=True)
            try:
                try:
                    return client.evalsha(sha, len(names), *names, *args)
                except NoScriptError:
                    # The server does not hold it yet (or was restarted): EVAL runs and keeps it.
                    return client.eval(source, len(names), *names, *args)
            except (RedisConnectionError, RedisTimeoutError) as error:
                raise ConnectionInterrupted(connection=client) from error

        try:
            return self._breaker().call(run)
        except CircuitOpenError:
            return None
        except ConnectionInterrupted:
            logger.exception("Redis script not run: the cache cannot be reached.")
            return None
