"""Scan counts of trace codes, counted in the cache and written to the database in batches.

A busy trace page cannot afford one ``UPDATE`` per scan, so a scan is one atomic
``incr`` of the code's running total in the shared cache (Redis ``INCR`` in
production; the local-memory cache in development, which is per process). The total
is seeded from the database the first time a code is counted, so every worker reads
and increments the same number and the page shows the true count at once.

Each process remembers which codes it counted ("dirty" codes) and writes their totals
to the database at most every ``TRACE_SCAN_FLUSH_SECONDS`` (default 10), from the
request that notices the time is up, and again when the process exits normally
(gunicorn's ``worker_exit`` hook and ``atexit``). A flush writes the *total*, never an
increment: ``scan_count = GREATEST(scan_count, total)``. Writing the same total twice
changes nothing, so a flush can be repeated after a failure without counting twice.

What a crash can lose: a worker killed between flushes leaves its last few seconds of
scans in the cache only; they reach the database when any worker counts that code
again (its flush writes the whole total), and are lost for the database only if
nobody scans the code again before its total expires from the cache
(``TOTAL_TIMEOUT``). A cache that loses its data (Redis restarted without
persistence) loses the scans not yet flushed: at most ``TRACE_SCAN_FLUSH_SECONDS`` of
them per worker, or, when traffic stopped, those since that worker's last flush. If
the cache is unreachable, a scan is written straight to the database as before
(tests/test_faults.py). One overlap can still lose scans: when the cache stops
answering while it holds scans not yet flushed, and comes back with them, the next
flush writes ``GREATEST`` of its total and the database's count, which by then holds
the scans written straight through; the smaller of the two sets of scans (at most
``TRACE_SCAN_FLUSH_SECONDS`` of them per worker) is missing from the count.
"""

import atexit
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from lookup.models import TraceCode

TOTAL_TIMEOUT = 60 * 60 * 24  # a code's running total stays cached this long after its last flush
FLUSH_BATCH = 500  # rows per UPDATE statement
DEFAULT_FLUSH_SECONDS = 10


@dataclass
class Tally:
    """What the page says about a code's scans."""

    scan_count: int
    first_scanned_at: object  # a datetime, or None before the first scan
    last_scanned_at: object = None


def total_key(code):
    return f"trace-scans:v1:{code}"


def first_key(code):
    return f"trace-first-scan:v1:{code}"


def flush_seconds():
    return getattr(settings, "TRACE_SCAN_FLUSH_SECONDS", DEFAULT_FLUSH_SECONDS)


class _Dirty:
    """The codes this process counted since its last flush: pk → (code, last scan)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.codes = {}
        self.last_flush = time.monotonic()
        self.exit_hook = False

    def mark(self, code, pk, when):
        with self.lock:
            self.codes[pk] = (code, when)
            if not self.exit_hook:
                atexit.register(flush)
                self.exit_hook = True

    def take(self):
        with self.lock:
            codes, self.codes = self.codes, {}
            self.last_flush = time.monotonic()
            return codes

    def give_back(self, codes):
        with self.lock:
            for pk, (code, when) in codes.items():
                current = self.codes.get(pk)
                if current is None or current[1] < when:
                    self.codes[pk] = (code, when)

    def due(self):
        return bool(self.codes) and time.monotonic() - self.last_flush >= flush_seconds()


_dirty = _Dirty()


def _seed_total(code, pk):
    """Start the cached total from the database's count; another worker may have
    seeded it a moment earlier, and ``add`` keeps the first."""
    stored = TraceCode.objects.filter(pk=pk).values_list("scan_count", flat=True).first() or 0
    cache.add(total_key(code), stored, TOTAL_TIMEOUT)


def _increment(code, pk):
    try:
        return cache.incr(total_key(code))
    except ValueError:
        _seed_total(code, pk)
    try:
        return cache.incr(total_key(code))
    except ValueError:
        return None


def _write_through(pk, now):
    """The cache is unreachable: count the scan in the database directly."""
    TraceCode.objects.filter(pk=pk).update(
        scan_count=F("scan_count") + 1,
        first_scanned_at=Coalesce(F("first_scanned_at"), Value(now)),
        last_scanned_at=now,
    )
    return TraceCode.objects.filter(pk=pk).values_list("scan_count", "first_scanned_at").get()


def count_scan(code, pk, stored_first_scanned_at):
    """Count one scan of trace code ``code`` (primary key ``pk``; ``stored_first_scanned_at``
    as the database had it when the caller read it) and return its :class:`Tally`."""
    now = timezone.now()
    total = _increment(code, pk)
    if total is None:
        count, first = _write_through(pk, now)
        return Tally(count, first, now)
    first = stored_first_scanned_at
    if first is None:
        first = cache.get(first_key(code))
    if first is None:
        # ``add`` keeps the time of whichever worker counted the first scan.
        cache.add(first_key(code), now, TOTAL_TIMEOUT)
        first = cache.get(first_key(code)) or now
    _dirty.mark(code, pk, now)
    if _dirty.due():
        flush()
    return Tally(total, first, now)


def current_tally(code, pk, stored_first_scanned_at):
    """The tally without counting a scan (a HEAD request)."""
    total = cache.get(total_key(code))
    if total is None:
        return Tally(*TraceCode.objects.filter(pk=pk).values_list("scan_count", "first_scanned_at").get())
    first = stored_first_scanned_at or cache.get(first_key(code))
    return Tally(total, first)


def flush():
    """Write the cached totals of the codes this process counted to the database, in
    one transaction. Returns how many codes were written. On a database error the
    codes stay dirty for the next flush and the error is raised."""
    codes = _dirty.take()
    if not codes:
        return 0
    try:
        _write_totals(codes)
    except Exception:
        _dirty.give_back(codes)
        raise
    return len(codes)


def _write_totals(codes):
    names = [code for code, _last in codes.values()]
    totals = cache.get_many([total_key(code) for code in names])
    firsts = cache.get_many([first_key(code) for code in names])
    count_field = TraceCode._meta.get_field("scan_count")
    rows = []
    for pk, (code, last) in codes.items():
        # A total that left the cache (evicted or lost) writes only the time.
        total = totals.get(total_key(code), 0)
        first = firsts.get(first_key(code)) or last
        row = TraceCode(
            pk=pk,
            code=code,
            scan_count=Greatest(F("scan_count"), Value(total), output_field=count_field),
            first_scanned_at=Coalesce(F("first_scanned_at"), Value(first)),
            last_scanned_at=Coalesce(Greatest(F("last_scanned_at"), Value(last)), Value(last)),
        )
        rows.append(row)
    with transaction.atomic():
        for start in range(0, len(rows), FLUSH_BATCH):
            batch = rows[start : start + FLUSH_BATCH]
            # Matched by code as well as key: a total is only ever written to its own code's row.
            TraceCode.objects.filter(code__in=[row.code for row in batch]).bulk_update(
                batch, ["scan_count", "first_scanned_at", "last_scanned_at"]
            )
    for code in names:
        if total_key(code) in totals:
            cache.touch(total_key(code), TOTAL_TIMEOUT)
            cache.touch(first_key(code), TOTAL_TIMEOUT)


def pending():
    """How many codes this process has counted but not yet written."""
    return len(_dirty.codes)
