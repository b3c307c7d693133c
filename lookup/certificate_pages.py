"""A certificate's public page, rendered once and served from the cache for up to a minute.

The page costs a dozen queries (the certificate, its history, its parties' supervision
record and flags, the linked standards, rules and mark pages) and a QR code. Only its
plain address is cached, per certificate number and language: a request with any query
parameter (the "was it valid on this date?" answer) is always rendered. The
Content-Security-Policy nonce is taken out before the page is stored and put back as
each response's own. The page names its own absolute address and answers for one day,
so an entry is used only by a request for the same host and on the same day.

How fresh it is: saving a certificate (a status change included) drops its pages once
the transaction commits, and an import drops those of the certificates it changed, so a
revoked certificate reads as revoked on the next request. What the page shows of other
records (a party's spot checks or blacklisting, the pages linked to) and changes made
without ``save()`` are at most ``PAGE_TIMEOUT`` seconds old.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from lookup.models import Certificate
from lookup.trace_pages import NONCE_MARK, request_nonce

PAGE_TIMEOUT = 60
DELETE_CHUNK = 1000


@dataclass(frozen=True)
class CachedPage:
    origin: str
    day: object
    html: str


def page_key(number, language):
    return f"certificate-page:v1:{number}:{language}"


def cacheable(request):
    return request.method == "GET" and not request.GET


def _origin(request):
    return f"{request.scheme}://{request.get_host()}"


def cached(request, number):
    """The stored page of ``number`` for this request, with its own nonce; or None."""
    page = cache.get(page_key(number, translation.get_language()))
    if page is None or page.origin != _origin(request) or page.day != timezone.localdate():
        return None
    nonce = request_nonce(request)
    return page.html.replace(NONCE_MARK, nonce) if nonce else page.html


def store(request, number, html):
    nonce = request_nonce(request)
    if nonce:
        html = html.replace(nonce, NONCE_MARK)
    page = CachedPage(_origin(request), timezone.localdate(), html)
    cache.set(page_key(number, translation.get_language()), page, PAGE_TIMEOUT)


def forget_numbers(numbers):
    languages = [language for language, _name in settings.LANGUAGES]
    keys = [page_key(number, language) for number in numbers for language in languages]
    for start in range(0, len(keys), DELETE_CHUNK):
        cache.delete_many(keys[start : start + DELETE_CHUNK])


def certificate_changed(sender, instance, using="default", **kwargs):
    transaction.on_commit(functools.partial(forget_numbers, [instance.number]), using=using, robust=True)


def certificates_imported(sender, run=None, **kwargs):
    """The importer writes in bulk, without ``post_save``: forget what it changed."""
    if run is None:
        return
    changed = Certificate.objects.filter(updated_at__gte=run.started_at).values_list("number", flat=True)
    forget_numbers(list(changed.iterator()))


def connect_signals():
    from lookup.importer.signals import certificates_imported as imported_signal

    post_save.connect(certificate_changed, sender=Certificate, dispatch_uid="certificate_pages_saved")
    post_delete.connect(certificate_changed, sender=Certificate, dispatch_uid="certificate_pages_deleted")
    imported_signal.connect(certificates_imported, dispatch_uid="certificate_pages_imported")
