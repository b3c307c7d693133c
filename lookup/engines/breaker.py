"""A circuit breaker for calls to a search server.

When a server stops answering, every request that still tries it waits for the
timeout. The breaker counts consecutive failures; after ``failure_threshold`` of them
it *opens* and refuses calls at once (:class:`CircuitOpenError`) for ``reset_after``
seconds, so readers get the database fallback straight away. Then it lets one trial
call through (*half-open*): success closes it, failure opens it again.

One breaker per server address and process, shared by every engine instance talking
to that server (:func:`breaker_for`)::

    breaker = breaker_for(url)
    result = breaker.call(client.search, index=..., body=...)
"""

import threading
import time

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class CircuitOpenError(RuntimeError):
    """The breaker is open: the server failed recently and is not tried again yet."""


class CircuitBreaker:
    """``is_failure(exception)`` says whether an exception raised by a call counts
    against the server (by default every exception does)."""

    def __init__(self, *, failure_threshold=3, reset_after=30.0, is_failure=None, clock=time.monotonic):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.reset_after = reset_after
        self.is_failure = is_failure or (lambda exception: True)
        self._clock = clock
        self._lock = threading.Lock()
        self._failure_count = 0
        self._opened_at = None
        self._trial_running = False

    @property
    def state(self):
        with self._lock:
            return self._state()

    def _state(self):
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at >= self.reset_after:
            return HALF_OPEN
        return OPEN

    def allow(self):
        """Whether a call may go to the server now. In the half-open state only one
        trial call at a time is let through."""
        with self._lock:
            state = self._state()
            if state == CLOSED:
                return True
            if state == HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self):
        with self._lock:
            self._failure_count = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self):
        with self._lock:
            self._failure_count += 1
            self._trial_running = False
            if self._opened_at is not None or self._failure_count >= self.failure_threshold:
                self._opened_at = self._clock()

    def call(self, function, *args, **kwargs):
        """Run ``function`` unless the breaker is open. An exception that
        ``is_failure`` accepts counts against the server; any other (a bad query, say)
        says nothing about the server's health. Either is raised again."""
        if not self.allow():
            raise CircuitOpenError("the search server failed recently; not trying it again yet")
        try:
            result = function(*args, **kwargs)
        except BaseException as exception:
            if isinstance(exception, Exception) and self.is_failure(exception):
                self.record_failure()
            else:
                with self._lock:
                    self._trial_running = False
            raise
        self.record_success()
        return result

    def reset(self):
        self.record_success()


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(key, **options):
    """The process-wide breaker for ``key`` (a server address), made on first use
    with ``options`` (see :class:`CircuitBreaker`)."""
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            breaker = _breakers[key] = CircuitBreaker(**options)
        return breaker
