"""The trace page of a code, rendered once per certificate and served from the cache for up to a minute.

A shopper's scan must be cheap: rendering the page (the site's header, the language
links, the status and facts) costs far more than serving it. Most trace codes are
scanned once or twice, but a certificate covers many labelled products, so the page is
kept per *certificate* and language for at most ``PAGE_TIMEOUT`` seconds, split around
the parts that change from one request to the next: the code itself (put back as the
one asked for), the scan-count line (``lookup/includes/trace_scans.html``, rendered for
every request from the running total in :mod:`lookup.scan_counts`) and the
Content-Security-Policy nonce (put back as the request's own). A code the cache
does not know costs the one indexed query that finds it with its certificate; what it
leads to is then kept for the same minute, so a repeated scan needs no database at all.

What a repeated scan costs: the code, the page and the scan count read, and the
request counted against the rate limit, together (on Redis one Lua script,
``CODE_PAGE_SCRIPT``: one round trip), and the scan-count line from a per-process
table of its shapes (:func:`render_scans`); the request skips the signed-in users'
middleware (security.sessionless). A page, and a code's entry, is kept between 30
and 60 seconds (:func:`page_lifetime`), so those cached together are not all
rendered or read again together.

How fresh the status is: saving or deleting a certificate drops its cached pages once
the transaction commits, and an import drops those of the certificates it changed, so a
revoked certificate reads as revoked on the next scan. Deleting a certificate or a trace
code, or moving a code to another certificate, drops what the cache knows of its codes.
The rare request that read the certificate just before the commit and stores its page
just after it can keep the old page alive; ``PAGE_TIMEOUT`` bounds that, and changes
made without ``save()`` (a bulk ``update()``, a renamed organisation), to one minute.

Only 200 pages are cached: a malformed code (400) needs no database to answer, and a
code nobody issued (404) is never cached, so it reads as found as soon as it is issued.
"""

import functools
import random
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.template.loader import get_template, render_to_string
from django.templatetags.i18n import BlockTranslateNode
from django.utils import formats, timezone, translation

from lookup import ratelimit, scan_counts
from lookup.models import Certificate, Status, TraceCode
from lookup.scan_counts import Tally
from lookup.trace import display_product_name

TEMPLATE = "lookup/trace_landing.html"
SCANS_TEMPLATE = "lookup/includes/trace_scans.html"
PAGE_TIMEOUT = 60
NONCE_MARK = "\x00csp-nonce\x00"
CODE_MARK = "\x00trace-code\x00"
COUNT_MARK = "\x00scan-count\x00"
SCAN_LINES_KEPT = 4096
DELETE_CHUNK = 1000

_scan_lines = {}  # shape of a scan-count line → the line with COUNT_MARK (render_scans)


@dataclass(frozen=True)
class CodeEntry:
    """What a trace code leads to: its own key, its certificate's, and its first scan."""

    trace_pk: int
    certificate_pk: int
    first_scanned_at: object


@dataclass
class CachedPage:
    """A certificate's rendered trace page split around its scan-count line, with
    marks where the code and the nonce go."""

    head: str
    tail: str

    def render(self, code, tally, nonce):
        html = (self.head + render_scans(tally) + self.tail).replace(CODE_MARK, code)
        return html.replace(NONCE_MARK, nonce) if nonce else html


def page_lifetime():
    """Seconds a rendered page (or a code's entry) is kept: at most ``PAGE_TIMEOUT``,
    spread over its last half, so that pages rendered together (a burst of scans, a
    restart) are not all rendered again within a few seconds a minute later: under
    load such a wave queued every request behind the renders."""
    return PAGE_TIMEOUT - random.randint(0, PAGE_TIMEOUT // 2)  # noqa: S311 (not a secret)


def code_key(code):
    return f"trace-code:v2:{code}"


def code_certificate_key(code):
    """The code's certificate key alone, stored as a plain integer that a Redis
    script can read (``code_key`` holds a pickled :class:`CodeEntry`)."""
    return f"trace-code-certificate:v1:{code}"


def page_key(certificate_pk, language):
    return f"trace-page:v2:{certificate_pk}:{language}"


def official_host():
    return urlsplit(settings.SITE_URL).hostname or ""


def request_nonce(request):
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


class _CountMark(int):
    """A scan count that compares and chooses its plural form as itself but prints
    as ``COUNT_MARK``: the scan-count line rendered with it fits every count that
    takes the same words."""

    def __str__(self):
        return COUNT_MARK


@functools.cache
def _scans_messages():
    """The singular and plural message of the scan-count line, as its template asks
    the catalogue for them."""
    template = get_template(SCANS_TEMPLATE).template
    node = template.nodelist.get_nodes_by_type(BlockTranslateNode)[0]
    return node.render_token_list(node.singular)[0], node.render_token_list(node.plural)[0]


def render_scans(tally):
    """The scan-count line of ``tally`` (``SCANS_TEMPLATE``). A cached page renders
    it for every request, which cost as much as the rest of serving the page; so each
    shape of the line (language, time zone, first scan, and the words the count
    takes in that language's plural rule) is rendered once per process with a mark
    where the number goes, and the number is put in. A line the mark does not reach
    (a number format that groups digits) is rendered whole every time."""
    count = tally.scan_count
    shape = (
        translation.get_language(),
        timezone.get_current_timezone_name(),
        tally.first_scanned_at,
        count <= 1,
        translation.ngettext(*_scans_messages(), count),
    )
    line = _scan_lines.get(shape)
    if line is None:
        marked = Tally(_CountMark(count), tally.first_scanned_at, tally.last_scanned_at)
        line = render_to_string(SCANS_TEMPLATE, {"trace": marked})
        if count > 1 and COUNT_MARK not in line:
            return render_to_string(SCANS_TEMPLATE, {"trace": tally})
        if len(_scan_lines) >= SCAN_LINES_KEPT:
            _scan_lines.clear()
        _scan_lines[shape] = line
    return line.replace(COUNT_MARK, formats.localize(count))


def find_trace(code):
    return TraceCode.objects.select_related("certificate__client", "certificate__body").filter(code=code).first()


def remember_code(code, entry, tally):
    # The first scan's time never changes once there is one: the next requests need not look it up.
    entry = CodeEntry(entry.trace_pk, entry.certificate_pk, tally.first_scanned_at)
    if hasattr(cache, "run_script"):
        # Both in one round trip, with one lifetime: CODE_PAGE_SCRIPT reads them together.
        cache.set_many({code_key(code): entry, code_certificate_key(code): entry.certificate_pk}, page_lifetime())
    else:
        cache.set(code_key(code), entry, page_lifetime())


def cached_page(code):
    """The cached page ``code`` would be served from, if any."""
    entry = cache.get(code_key(code))
    return cache.get(page_key(entry.certificate_pk, translation.get_language())) if entry else None


# Fetchers that open a link without a person looking at a label: search engines'
# crawlers, chat apps drawing a link preview, and a browser's speculative prefetch.
AUTOMATED_USER_AGENT = re.compile(
    r"bot\b|bot/|crawler|spider|slurp|facebookexternalhit|embedly|preview|whatsapp|bytespider",
    re.IGNORECASE,
)
PREFETCH_HEADERS = ("Sec-Purpose", "Purpose", "X-Moz")


def is_automated(request):
    """Whether ``request`` comes from a crawler, a link preview or a prefetch rather
    than a person opening the page (these must not count as scans: a code pasted into a
    chat would otherwise read as scanned before anyone held the product)."""
    if any("prefetch" in request.headers.get(header, "").lower() for header in PREFETCH_HEADERS):
        return True
    return bool(AUTOMATED_USER_AGENT.search(request.headers.get("User-Agent", "")))


def counts_as_scan(request):
    """A GET from a person counts a scan; a HEAD, a crawler, a link preview or a
    prefetch only reads the count."""
    return request.method == "GET" and not is_automated(request)


def tally_for(request, code, pk, first_scanned_at):
    """The tally of ``code``, counting a scan when the request is one."""
    if counts_as_scan(request):
        return scan_counts.count_scan(code, pk, first_scanned_at)
    return scan_counts.current_tally(code, pk, first_scanned_at)


def page_context(trace, tally):
    certificate = trace.certificate
    status = certificate.effective_status()
    trace.scan_count = tally.scan_count
    trace.first_scanned_at = tally.first_scanned_at
    return {
        "raw_code": trace.code,
        "code": trace.code,
        "official_host": official_host(),
        "trace": trace,
        "certificate": certificate,
        "status": status,
        "status_label": Status(status).label,
        "product_name": display_product_name(certificate),
    }


def render_page(request, trace, *, store):
    """Render the page of ``trace`` (counting the scan) and, when ``store``, keep it
    for the next scans of any code of its certificate in this language. Returns the HTML."""
    tally = tally_for(request, trace.code, trace.pk, trace.first_scanned_at)
    html = render_to_string(TEMPLATE, page_context(trace, tally), request)
    scans = render_scans(tally)
    if store and html.count(scans) == 1:
        head, tail = (part.replace(trace.code, CODE_MARK) for part in html.split(scans))
        nonce = request_nonce(request)
        if nonce:
            head, tail = head.replace(nonce, NONCE_MARK), tail.replace(nonce, NONCE_MARK)
        cache.set(page_key(trace.certificate_id, translation.get_language()), CachedPage(head, tail), page_lifetime())
        remember_code(trace.code, CodeEntry(trace.pk, trace.certificate_id, None), tally)
    return html


def _serve(request, code, entry, *, remember=False):
    """The cached page of ``entry``'s certificate with ``code``, counting the scan;
    None, counting nothing, when the cache has no page. On Redis the page and the
    count come in one round trip (:func:`lookup.scan_counts.tally_with`)."""
    page, tally = scan_counts.tally_with(
        page_key(entry.certificate_pk, translation.get_language()),
        code,
        entry.trace_pk,
        entry.first_scanned_at,
        count=counts_as_scan(request),
    )
    if page is None:
        return None
    return _finish(request, code, entry, page, tally, remember=remember)


def _finish(request, code, entry, page, tally, *, remember=False):
    """The cached ``page`` with ``code`` and its count (counted now when the cache had
    no running total, ``tally`` None)."""
    if tally is None:
        tally = tally_for(request, code, entry.trace_pk, entry.first_scanned_at)
    if remember or entry.first_scanned_at is None:
        remember_code(code, entry, tally)
    return page.render(code, tally, request_nonce(request))


# KEYS: the code's entry, its certificate key, its total, its first scan, and (when
# the view counts its own request: lookup.ratelimit.counted_by_view) the rate limit's
# counter. ARGV: count or read (as ``tally``), the page's full key before and after
# the certificate key, then the counter's lifetime and limit. Answers the entry, the
# page, the total and the first scan (``tally``'s reply), then the rate counter's new
# value; past the limit it counts and reads nothing else. The page's key is made here
# from the certificate's, so the script names a key it was not given: fine on one
# Redis server, not on Redis Cluster.
CODE_PAGE_SCRIPT = (
    scan_counts.TALLY_FUNCTION
    + """
local requests = false
if KEYS[5] then
  requests = redis.call('INCR', KEYS[5])
  if requests == 1 then redis.call('EXPIRE', KEYS[5], ARGV[4]) end
  if requests > tonumber(ARGV[5]) then return {false, false, false, false, requests} end
end
local entry = redis.call('GET', KEYS[1])
local certificate = redis.call('GET', KEYS[2])
if not entry or not certificate then return {false, false, false, false, requests} end
local reply = tally(ARGV[2] .. certificate .. ARGV[3], KEYS[3], KEYS[4], ARGV[1])
return {entry, reply[1], reply[2], reply[3], requests}
"""
)
CERTIFICATE_MARK = "{certificate}"


def serve_cached(request, code):
    """The page of ``code`` (as printed) from the cache alone, counting the scan; None
    when the cache does not know the code or has no page of its certificate. On Redis
    the code, the page and the count come in one round trip (``CODE_PAGE_SCRIPT``),
    which also counts the request against the rate limit when the view leaves that to
    it (raising :class:`lookup.ratelimit.Limited` past the limit)."""
    if not hasattr(cache, "run_script"):
        entry = cache.get(code_key(code))
        return None if entry is None else _serve(request, code, entry)
    now = timezone.now()
    count = counts_as_scan(request)
    page_key_parts = cache.make_key(page_key(CERTIFICATE_MARK, translation.get_language())).split(CERTIFICATE_MARK)
    keys = [code_key(code), code_certificate_key(code), scan_counts.total_key(code), scan_counts.first_key(code)]
    arguments = ["1" if count else "0", *page_key_parts]
    pending = ratelimit.pending_count(request)
    if pending is not None:
        keys.append(pending.counter)
        arguments += [pending.lifetime, pending.rate.count]
    reply = cache.run_script(CODE_PAGE_SCRIPT, keys, arguments)
    if pending is not None and reply is not None:
        pending.settle(reply[4])
    if reply is None or reply[0] is None:
        return None
    entry = cache.decode(reply[0])
    tallied = reply[1:4]
    page, tally = scan_counts.read_tally(tallied, code, entry.trace_pk, entry.first_scanned_at, count=count, now=now)
    return None if page is None else _finish(request, code, entry, page, tally)


def serve_certificate_page(request, trace):
    """The cached page of ``trace``'s certificate with ``trace``'s code, counting the
    scan, and the code remembered for the next scans; None when it has none."""
    entry = CodeEntry(trace.pk, trace.certificate_id, trace.first_scanned_at)
    return _serve(request, trace.code, entry, remember=True)


# --- invalidation ------------------------------------------------------------------------


def _forget(keys):
    for start in range(0, len(keys), DELETE_CHUNK):
        cache.delete_many(keys[start : start + DELETE_CHUNK])


def _languages():
    return [language for language, _name in settings.LANGUAGES]


def forget_codes(codes):
    """Drop what the cache knows of ``codes``."""
    _forget([key for code in codes for key in (code_key(code), code_certificate_key(code))])


def forget_certificates(certificate_pks):
    """Drop the cached pages of ``certificate_pks`` in every language."""
    _forget([page_key(pk, language) for pk in certificate_pks for language in _languages()])


def _after_commit(using, callback):
    transaction.on_commit(callback, using=using, robust=True)


def certificate_saved(sender, instance, using="default", **kwargs):
    _after_commit(using, functools.partial(forget_certificates, [instance.pk]))


def certificate_deleting(sender, instance, using="default", **kwargs):
    # The trace codes go with the certificate: note them while they are still there.
    codes = list(TraceCode.objects.using(using).filter(certificate=instance).values_list("code", flat=True))
    _after_commit(using, functools.partial(forget_codes, codes))
    _after_commit(using, functools.partial(forget_certificates, [instance.pk]))


def trace_code_changed(sender, instance, using="default", **kwargs):
    _after_commit(using, functools.partial(forget_codes, [instance.code]))


def certificates_imported(sender, run=None, **kwargs):
    """The importer writes in bulk, without ``post_save``: forget what it changed."""
    if run is None:
        return
    changed = Certificate.objects.filter(updated_at__gte=run.started_at).values_list("pk", flat=True).iterator()
    forget_certificates(list(changed))


def connect_signals():
    from lookup.importer.signals import certificates_imported as imported_signal

    post_save.connect(certificate_saved, sender=Certificate, dispatch_uid="trace_pages_certificate_saved")
    pre_delete.connect(certificate_deleting, sender=Certificate, dispatch_uid="trace_pages_certificate_deleting")
    post_save.connect(trace_code_changed, sender=TraceCode, dispatch_uid="trace_pages_trace_code_saved")
    post_delete.connect(trace_code_changed, sender=TraceCode, dispatch_uid="trace_pages_trace_code_deleted")
    imported_signal.connect(certificates_imported, dispatch_uid="trace_pages_certificates_imported")
