"""Per-address rate limits of the public lookup, the trace page and the JSON API.

nginx (``site/nginx.conf``) limits ``/api/``, ``/t/`` and the lookup pages already, but
not every deployment has it in front, so the application counts too. Each request of a
limited kind adds one to a counter of its *bucket* and the client's address in the
shared cache (Redis ``INCR`` in production), for a fixed window of ``seconds``; the
counter's key names the window, so it starts again at zero when the next window
begins and expires by itself. Past the limit the answer is a 429 with
``Retry-After`` (the seconds left in the window): the API's error shape for
``/api/``, a page in the reader's language otherwise.

Buckets and their settings (``RATELIMITS``: bucket → ``"requests/seconds"``, from
``RATELIMIT_*`` in the environment; an empty one is not limited):

- ``lookup``: the pages under ``/<language>/lookup/``;
- ``trace``: the trace page ``/t/<code>``;
- ``api``: reads of the JSON API (``GET``/``HEAD`` under ``/api/v1/``);
- ``autocomplete``: the search box's suggestions, one request per keystroke;
- ``api_write``: the reporting API's writes, per address;
- ``report``: sending the "report a concern" form.

On Redis the count is one round trip: a Lua script increments the counter and gives
a new one its expiry (``COUNT_SCRIPT``); other caches use ``add`` and ``incr``. A view
marked :func:`counted_by_view` saves even that round trip: on Redis the middleware
leaves a :class:`PendingCount` on the request, and the view counts it inside a script
of its own (the trace page reads its cached page in the same call, see
``lookup.trace_pages``) or through :func:`count_now` before any work of its own.
Whatever path the view takes, the request is counted exactly once: a count the view
did not make is made when its answer passes back through the middleware. Over the
limit, the view raises :class:`Limited` and the middleware answers the 429.

An IPv6 client is counted by its /64 network, which one household or phone gets
whole. When the cache cannot be reached the limiter lets the request through and logs
it: a cache outage must never turn the lookup away.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from lookup.api import api
from lookup.api.errors import error_body
from security.audit import client_ip

logger = logging.getLogger(__name__)

TEMPLATE = "lookup/rate_limited.html"
API_NAMESPACE = "api-v1"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# KEYS[1] the counter, ARGV[1] its lifetime: count one request, atomically.
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@dataclass(frozen=True)
class Rate:
    """At most ``count`` requests in each window of ``seconds``."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text):
        """``"120/60"`` → 120 requests a minute; an empty text is no limit (``None``)."""
        text = (text or "").strip()
        if not text:
            return None
        count, _slash, seconds = text.partition("/")
        rate = cls(int(count), int(seconds or 60))
        if rate.count < 1 or rate.seconds < 1:
            raise ValueError(f"A rate limit is 'requests/seconds' with both above zero, not {text!r}.")
        return rate


def bucket_of(request):
    """The bucket a resolved request counts in, or ``None`` for one not limited."""
    match = request.resolver_match
    if match is None:
        return None
    if API_NAMESPACE in match.namespaces:
        if match.url_name == "autocomplete":
            return "autocomplete"
        if request.method in SAFE_METHODS:
            return "api"
        return "api_write"
    if match.url_name == "trace-landing":
        return "trace"
    if match.url_name == "lookup-certificate-report" and request.method == "POST":
        return "report"
    if (match.url_name or "").startswith("lookup-"):
        return "lookup"
    return None


def client_key(request):
    """The address counted: the client's own (as the audit log records it), an IPv6
    one reduced to its /64 network."""
    address = client_ip(request)
    if not address:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if parsed.version == 4:
        return address
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)


def counter_key(bucket, key, rate, now):
    """The counter of ``key`` in ``bucket`` for the window ``now`` falls in."""
    return f"ratelimit:v1:{bucket}:{key}:{int(now // rate.seconds)}"


def wait_after(count, rate, now):
    """Seconds to wait once ``count`` requests are counted in the window of ``now``:
    0 within the limit, and when the cache could not count (``count`` None: the
    request goes through, and that is logged)."""
    if count is None:
        # django-redis with IGNORE_EXCEPTIONS answers None when Redis is down.
        logger.warning("Rate limit not checked: the cache cannot be reached.")
        return 0
    if count <= rate.count:
        return 0
    return max(1, math.ceil((int(now // rate.seconds) + 1) * rate.seconds - now))


def hit(bucket, key, rate, now=None):
    """Count one request; return the seconds to wait when it is over the limit, else 0.
    Any cache failure lets the request through."""
    now = time.time() if now is None else now
    counter = counter_key(bucket, key, rate, now)
    try:
        count = _count(counter, rate.seconds + 1)
    except ValueError:
        # The counter vanished between add and incr (evicted, or the cache lost it).
        return 0
    except Exception:
        logger.warning("Rate limit not checked: the cache cannot be reached.", exc_info=True)
        return 0
    return wait_after(count, rate, now)


def _count(counter, lifetime):
    """Add one to ``counter`` (kept ``lifetime`` seconds from its first request) and
    return its value; None when the cache cannot be reached."""
    if hasattr(cache, "run_script"):
        return cache.run_script(COUNT_SCRIPT, [counter], [lifetime])
    cache.add(counter, 0, lifetime)
    return cache.incr(counter)


class Limited(Exception):
    """Raised by a view whose request is over its limit: the middleware answers 429."""

    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass
class PendingCount:
    """The count of one request that its view makes (:func:`counted_by_view`)."""

    bucket: str
    key: str
    rate: Rate
    now: float
    counted: bool = False

    @property
    def counter(self):
        return counter_key(self.bucket, self.key, self.rate, self.now)

    @property
    def lifetime(self):
        return self.rate.seconds + 1

    def settle(self, count):
        """Take ``count`` (the counter after the view's own script added this
        request; None when the script could not run) as this request's count."""
        self.counted = True
        wait = wait_after(count, self.rate, self.now)
        if wait:
            raise Limited(wait)

    def count(self):
        """Count the request now, unless it is counted already; the seconds to wait."""
        if self.counted:
            return 0
        self.counted = True
        return hit(self.bucket, self.key, self.rate, self.now)


def counted_by_view(view):
    """Mark ``view`` as counting its own requests against the rate limit (on Redis:
    see the module's notes). The view then calls :func:`pending_count` and
    :meth:`PendingCount.settle` from its script, or :func:`count_now`."""
    view.counted_by_view = True
    return view


def pending_count(request):
    """The count the view of ``request`` is to make, if any and not yet made."""
    pending = getattr(request, "pending_rate_count", None)
    return pending if pending is not None and not pending.counted else None


def count_now(request):
    """Count ``request`` now if its view has not; raises :class:`Limited` past the limit."""
    pending = pending_count(request)
    wait = pending.count() if pending is not None else 0
    if wait:
        raise Limited(wait)


def too_many_requests(request, retry_after):
    """The 429: the API's error shape under ``/api/``, a page otherwise."""
    if API_NAMESPACE in request.resolver_match.namespaces:
        body = error_body(
            "rate_limited",
            _("Too many requests from your address: try again in %(seconds)s seconds.") % {"seconds": retry_after},
        )
        response = api.create_response(request, body, status=429)
    else:
        response = render(request, TEMPLATE, {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


class RateLimitMiddleware:
    """Answers 429 when the client's address is over its bucket's limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pending = pending_count(request)
        if pending is not None:
            # The view answered without counting (a 405, say): count it all the same.
            pending.count()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        bucket = bucket_of(request)
        rate = Rate.parse(settings.RATELIMITS.get(bucket)) if bucket else None
        if rate is None:
            return None
        if getattr(view_func, "counted_by_view", False) and hasattr(cache, "run_script"):
            request.pending_rate_count = PendingCount(bucket, client_key(request), rate, time.time())
            return None
        wait = hit(bucket, client_key(request), rate)
        if wait:
            return too_many_requests(request, wait)

    def process_exception(self, request, exception):
        if isinstance(exception, Limited):
            return too_many_requests(request, exception.retry_after)
        return None
