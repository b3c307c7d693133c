"""Trace codes: issuing them in batches, their short public address, recording scans.

One product unit (or batch) gets one code ("一品一码"). A code is the certificate's
number prefix (G, year, body, category) and 12 random digits; the database's unique
constraint is the only check that holds under concurrency, so a batch is inserted in
one savepoint and, when another request took one of its codes first, the clashing
codes are drawn again and the batch retried.
"""

import csv

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lookup import codes, scan_counts
from lookup.models import Status, TraceCode

MAX_PER_REQUEST = 10_000
ATTEMPTS = 10
QUERY_CHUNK = 900  # stays under every database's limit of bound parameters

CLOSED_STATUSES = {Status.WITHDRAWN, Status.REVOKED, Status.EXPIRED}


class TraceIssueError(ValueError):
    """Codes cannot be issued: ``code`` is a machine word ("bad_count",
    "certificate_closed", "exhausted"), ``message`` says why to a person."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return str(self.message)


def _chunks(values, size=QUERY_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(candidates):
    found = set()
    for chunk in _chunks(candidates):
        found.update(TraceCode.objects.filter(code__in=chunk).values_list("code", flat=True))
    return found


def _draw(number, count, taken, rng):
    """``count`` fresh codes for certificate ``number`` (its year, body and
    category), none of them in ``taken``."""
    year, body_code, category_code = number[1:5], number[5:8], number[8:11]
    drawn = set()
    while len(drawn) < count:
        code = codes.generate_trace_code(year, body_code, category_code, rng=rng)
        if code not in taken:
            drawn.add(code)
    return drawn


def check_can_issue(certificate, count):
    """Raise :class:`TraceIssueError` unless ``count`` codes may be issued for ``certificate``."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_PER_REQUEST:
        raise TraceIssueError(
            "bad_count",
            _("Ask for between 1 and %(max)s codes at a time.") % {"max": f"{MAX_PER_REQUEST:,}"},
        )
    status = certificate.effective_status()
    if status in CLOSED_STATUSES:
        raise TraceIssueError(
            "certificate_closed",
            _("Certificate %(number)s is %(status)s: no new trace codes can be issued for it.")
            % {"number": certificate.number, "status": Status(status).label.lower()},
        )


def issue_trace_codes(certificate, count, *, user=None, rng=None):
    """Issue ``count`` new trace codes for ``certificate`` and return them, sorted.

    All codes of one call share one ``issued_at``, which names the batch (the admin
    downloads a batch by it). Refused with :class:`TraceIssueError` for a count out of
    range or a certificate that is withdrawn, revoked or expired. A suspended
    certificate may still label products made before the suspension, so it is allowed.
    """
    check_can_issue(certificate, count)
    number = certificate.number
    issued_at = timezone.now()
    taken = set()
    candidates = _draw(number, count, taken, rng)
    for _attempt in range(ATTEMPTS):
        clashes = _existing(candidates)
        if clashes:
            taken |= clashes
            candidates = (candidates - clashes) | _draw(number, len(clashes), taken | candidates, rng)
            continue
        traces = [TraceCode(code=code, certificate=certificate, issued_by=user) for code in sorted(candidates)]
        try:
            with transaction.atomic():
                TraceCode.objects.bulk_create(traces, batch_size=1000)
                for chunk in _chunks(candidates):
                    TraceCode.objects.filter(code__in=chunk).update(issued_at=issued_at)
        except IntegrityError:
            # Another request inserted one of these codes after the check above:
            # the savepoint dropped the whole batch; look again and redraw.
            continue
        for trace in traces:
            trace.issued_at = issued_at
        return traces
    raise TraceIssueError("exhausted", _("No unique trace codes could be drawn. Try again."))


def trace_path(code):
    return reverse("trace-landing", kwargs={"code": code})


def trace_url(code):
    """The short, language-neutral address printed in a code's QR code."""
    return settings.SITE_URL.rstrip("/") + trace_path(code)


def record_scan(trace):
    """Count one scan of ``trace`` (in the cache, written to the database in batches by
    :mod:`lookup.scan_counts`) and set its ``scan_count``, ``first_scanned_at`` and
    ``last_scanned_at`` to what the page should show. Simultaneous scans are all counted."""
    tally = scan_counts.count_scan(trace.code, trace.pk, trace.first_scanned_at)
    trace.scan_count = tally.scan_count
    trace.first_scanned_at = tally.first_scanned_at
    trace.last_scanned_at = tally.last_scanned_at
    return trace


def display_product_name(certificate):
    """The product name in the reader's language, falling back to the Chinese one."""
    if translation.get_language() == "en" and certificate.product_name_en:
        return certificate.product_name_en
    return certificate.product_name


def trace_code_rows(traces, certificate, product_name):
    """The CSV of a batch: a header, then code, url, certificate number, product."""
    yield ["code", "url", "certificate", "product"]
    for trace in traces:
        yield [trace.code, trace_url(trace.code), certificate.number, product_name]


def trace_codes_csv_response(traces, certificate, product_name, *, status=200):
    """A UTF-8 CSV download (with a byte-order mark, so spreadsheets read the Chinese)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8", status=status)
    response["Content-Disposition"] = f'attachment; filename="trace-codes-{certificate.number}.csv"'
    response.write("\ufeff")
    csv.writer(response).writerows(trace_code_rows(traces, certificate, product_name))
    return response
