"""The trace page of a code, rendered once and served from the cache for up to a minute.

A shopper's scan must be cheap: rendering the page (the site's header, the language
links, the status and facts) costs far more than serving it. So the page of a code
in one language is rendered once and kept in the cache for at most ``PAGE_TIMEOUT``
seconds, split around the only parts that change from one request to the next: the
scan-count line (``lookup/includes/trace_scans.html``, rendered for every request
from the running total in :mod:`lookup.scan_counts`) and the Content-Security-Policy
nonce (put back as the request's own).

How fresh the status is: saving or deleting a certificate drops the cached pages of
all its trace codes once the transaction commits, and an import drops those of the
certificates it changed, so a revoked certificate reads as revoked on the next scan.
The rare request that read the certificate just before the commit and stores its page
just after it can keep the old page alive; ``PAGE_TIMEOUT`` bounds that, and changes
made without ``save()`` (a bulk ``update()``, a renamed organisation), to one minute.

Only 200 pages are cached: a malformed code (400) needs no database to answer, and a
code nobody issued (404) is never cached, so it reads as found as soon as it is issued.
"""

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.template.loader import render_to_string
from django.utils import translation

from lookup import scan_counts
from lookup.models import Certificate, Status, TraceCode
from lookup.trace import display_product_name

TEMPLATE = "lookup/trace_landing.html"
SCANS_TEMPLATE = "lookup/includes/trace_scans.html"
PAGE_TIMEOUT = 60
NONCE_MARK = "\x00csp-nonce\x00"
DELETE_CHUNK = 1000


@dataclass
class CachedPage:
    """A rendered trace page split around its scan-count line."""

    trace_pk: int
    first_scanned_at: object
    head: str
    tail: str

    def render(self, tally, nonce):
        html = self.head + render_scans(tally) + self.tail
        return html.replace(NONCE_MARK, nonce) if nonce else html


def page_key(code, language):
    return f"trace-page:v1:{code}:{language}"


def official_host():
    return urlsplit(settings.SITE_URL).hostname or ""


def request_nonce(request):
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def render_scans(tally):
    return render_to_string(SCANS_TEMPLATE, {"trace": tally})


def find_trace(code):
    return TraceCode.objects.select_related("certificate__client", "certificate__body").filter(code=code).first()


def tally_for(request, code, pk, first_scanned_at):
    """Count a scan for a GET; a HEAD only reads the count."""
    if request.method == "GET":
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


def cached_page(code):
    return cache.get(page_key(code, translation.get_language()))


def render_page(request, trace, *, store):
    """Render the page of ``trace`` (counting the scan) and, when ``store``, keep it
    for the next requests in this language. Returns the HTML."""
    tally = tally_for(request, trace.code, trace.pk, trace.first_scanned_at)
    html = render_to_string(TEMPLATE, page_context(trace, tally), request)
    scans = render_scans(tally)
    if store and html.count(scans) == 1:
        head, tail = html.split(scans)
        nonce = request_nonce(request)
        if nonce:
            head, tail = head.replace(nonce, NONCE_MARK), tail.replace(nonce, NONCE_MARK)
        # The first scan's time never changes once there is one: the next requests need not look it up.
        page = CachedPage(trace.pk, tally.first_scanned_at, head, tail)
        cache.set(page_key(trace.code, translation.get_language()), page, PAGE_TIMEOUT)
    return html


def serve_cached(request, code, page):
    tally = tally_for(request, code, page.trace_pk, page.first_scanned_at)
    return page.render(tally, request_nonce(request))


# --- invalidation ------------------------------------------------------------------------


def forget_codes(codes):
    """Drop the cached pages of ``codes`` in every language."""
    languages = [language for language, _name in settings.LANGUAGES]
    keys = [page_key(code, language) for code in codes for language in languages]
    for start in range(0, len(keys), DELETE_CHUNK):
        cache.delete_many(keys[start : start + DELETE_CHUNK])


def codes_of(certificates):
    return TraceCode.objects.filter(certificate__in=certificates).values_list("code", flat=True).iterator()


def forget_certificates(certificate_pks):
    forget_codes(list(codes_of(certificate_pks)))


def _after_commit(using, callback):
    transaction.on_commit(callback, using=using, robust=True)


def certificate_saved(sender, instance, using="default", **kwargs):
    _after_commit(using, functools.partial(forget_certificates, [instance.pk]))


def certificate_deleting(sender, instance, using="default", **kwargs):
    # The trace codes go with the certificate: note them while they are still there.
    codes = list(TraceCode.objects.using(using).filter(certificate=instance).values_list("code", flat=True))
    _after_commit(using, functools.partial(forget_codes, codes))


def trace_code_deleted(sender, instance, using="default", **kwargs):
    _after_commit(using, functools.partial(forget_codes, [instance.code]))


def certificates_imported(sender, run=None, **kwargs):
    """The importer writes in bulk, without ``post_save``: forget what it changed."""
    if run is None:
        return
    changed = Certificate.objects.filter(updated_at__gte=run.started_at).values("pk")
    forget_codes(list(codes_of(changed)))


def connect_signals():
    from lookup.importer.signals import certificates_imported as imported_signal

    post_save.connect(certificate_saved, sender=Certificate, dispatch_uid="trace_pages_certificate_saved")
    pre_delete.connect(certificate_deleting, sender=Certificate, dispatch_uid="trace_pages_certificate_deleting")
    post_delete.connect(trace_code_deleted, sender=TraceCode, dispatch_uid="trace_pages_trace_code_deleted")
    imported_signal.connect(certificates_imported, dispatch_uid="trace_pages_certificates_imported")
