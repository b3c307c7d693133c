"""Scan counts of trace codes, counted in the cache and written to the database in batches.

A busy trace page cannot afford one ``UPDATE`` per scan, so a scan is one atomic
``incr`` of the code's running total in the shared cache (Redis ``INCR`` in
production; the local-memory cache in development, which is per process). The total
is seeded from the database the first time a code is counted, so every worker reads
and increments the same number and the page shows the true count at once.

Each process remembers which codes it counted ("dirty" codes) and writes their totals
to the database every ``TRACE_SCAN_FLUSH_SECONDS`` (default 10), and again when the
process exits normally (gunicorn's ``worker_exit`` hook and ``atexit``). Under
gunicorn a thread of each worker writes them (:func:`flush_in_background`, started by
the ``post_fork`` hook), so no visitor waits for the write: from the request path a
flush of a few hundred codes held every request queued on that worker for tens of
milliseconds. Elsewhere (``runserver``, tests) the request that notices the time is
up flushes. A flush writes the *total*, never an
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
(tests/test_faults.py).

On Redis, :func:`tally_with` reads a cached value (the trace page) and counts the scan
in one round trip (``TALLY_SCRIPT``); it counts only when both the value and the
running total are there, so a caller that finds nothing can count the usual way
without counting twice.

One overlap can still lose scans: when the cache stops
answering while it holds scans not yet flushed, and comes back with them, the next
flush writes ``GREATEST`` of its total and the database's count, which by then holds
the scans written straight through; the smaller of the two sets of scans (at most
``TRACE_SCAN_FLUSH_SECONDS`` of them per worker) is missing from the count.
"""

import atexit
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, router, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from lookup.models import TraceCode

logger = logging.getLogger(__name__)

TOTAL_TIMEOUT = 60 * 60 * 24  # a code's running total stays cached this long after its last flush
FLUSH_BATCH = 500  # rows per UPDATE statement
DEFAULT_FLUSH_SECONDS = 10
# tally(value key, total key, first-scan key, "1" to count a scan or "0" to read):
# {value, total, first scan}. Counts nothing, and answers nothing, without the value;
# a total not in the cache is left for the caller to seed. Other scripts call it
# (lookup.trace_pages.CODE_PAGE_SCRIPT).
TALLY_FUNCTION = """
local function tally(value_key, total_key, first_key, count)
  local value = redis.call('GET', value_key)
  if not value then return {false, false, false} end
  local total = false
  if redis.call('EXISTS', total_key) == 1 then
    if count == '1' then total = redis.call('INCR', total_key) else total = redis.call('GET', total_key) end
  end
  return {value, total, redis.call('GET', first_key)}
end
"""
# KEYS: the value read along, the code's total, its first scan. ARGV[1]: count or read.
TALLY_SCRIPT = TALLY_FUNCTION + "return tally(KEYS[1], KEYS[2], KEYS[3], ARGV[1])\n"
# KEYS: cached totals and first scans; ARGV[1]: their new lifetime in seconds.
KEEP_SCRIPT = """
for _, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[1]) end
"""


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
        self.flusher = None

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
        """Time for the request path to flush (never while a flushing thread runs)."""
        return self.flusher is None and bool(self.codes) and time.monotonic() - self.last_flush >= flush_seconds()


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
    return _counted(code, pk, total, first, now)


def _counted(code, pk, total, first, now):
    """The tally of a scan just counted in the cache (``first`` as far as known)."""
    if first is None:
        # ``add`` keeps the time of whichever worker counted the first scan.
        cache.add(first_key(code), now, TOTAL_TIMEOUT)
        first = cache.get(first_key(code)) or now
    _dirty.mark(code, pk, now)
    if _dirty.due():
        try:
            flush()
        except DatabaseError:
            # The scan is counted in the cache and its code stays dirty for the next
            # flush: the page must not fail for the write behind it.
            logger.warning("Scan counts not written yet; the next flush retries.", exc_info=True)
    return Tally(total, first, now)


def current_tally(code, pk, stored_first_scanned_at):
    """The tally without counting a scan (a HEAD request)."""
    total = cache.get(total_key(code))
    if total is None:
        return Tally(*TraceCode.objects.filter(pk=pk).values_list("scan_count", "first_scanned_at").get())
    first = stored_first_scanned_at or cache.get(first_key(code))
    return Tally(total, first)


def tally_with(key, code, pk, stored_first_scanned_at, *, count):
    """The cached value of ``key`` and, when there is one, the tally of ``code``
    (counting a scan when ``count``, as :func:`count_scan`; else as
    :func:`current_tally`). Returns ``(None, None)`` when the cache has no value,
    without counting; ``(value, None)`` when the cache has the value but not the
    code's running total (the caller counts then)."""
    if not hasattr(cache, "run_script"):
        value = cache.get(key)
        if value is None:
            return None, None
        tally = count_scan if count else current_tally
        return value, tally(code, pk, stored_first_scanned_at)
    now = timezone.now()
    reply = cache.run_script(TALLY_SCRIPT, [key, total_key(code), first_key(code)], ["1" if count else "0"])
    return read_tally(reply, code, pk, stored_first_scanned_at, count=count, now=now)


def read_tally(reply, code, pk, stored_first_scanned_at, *, count, now):
    """What :func:`tally_with` returns, from the reply of ``tally`` (``TALLY_FUNCTION``)."""
    if reply is None or reply[0] is None:
        return None, None
    value, total, first = cache.decode(reply[0]), reply[1], stored_first_scanned_at or cache.decode(reply[2])
    if total is None:
        return value, None
    if not count:
        return value, Tally(int(total), first)
    return value, _counted(code, pk, int(total), first, now)


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


class BackgroundFlush(threading.Thread):
    """Flushes every ``TRACE_SCAN_FLUSH_SECONDS`` until stopped; its database
    connection is its own, kept between flushes as the settings allow."""

    def __init__(self):
        super().__init__(name="scan-count-flush", daemon=True)
        self.stopping = threading.Event()

    def run(self):
        connection = connections[router.db_for_write(TraceCode)]
        while not self.stopping.wait(flush_seconds()):
            try:
                flush()
            except Exception:  # noqa: BLE001 (the codes stay dirty; the thread must live on)
                logger.warning("Scan counts not written yet; the next flush retries.", exc_info=True)
            finally:
                connection.close_if_unusable_or_obsolete()
        connection.close()

    def stop(self):
        self.stopping.set()
        self.join()


def flush_in_background():
    """Start this process's flushing thread (once); requests then never flush."""
    with _dirty.lock:
        if _dirty.flusher is None or not _dirty.flusher.is_alive():
            _dirty.flusher = BackgroundFlush()
            _dirty.flusher.start()
        return _dirty.flusher


def stop_flushing_in_background():
    """Stop the flushing thread, if any; flushing falls back to the request path."""
    with _dirty.lock:
        flusher, _dirty.flusher = _dirty.flusher, None
    if flusher is not None:
        flusher.stop()


def _write_totals(codes):
    names = [code for code, _last in codes.values()]
    cached = cache.get_many([key for code in names for key in (total_key(code), first_key(code))])
    rows = []
    for pk, (code, last) in codes.items():
        # A total that left the cache (evicted or lost) writes only the time.
        total = cached.get(total_key(code), 0)
        first = cached.get(first_key(code)) or last
        rows.append((pk, code, total, first, last))
    with transaction.atomic():
        # Lock the rows in key order first: two workers flushing overlapping codes then
        # queue one behind the other instead of locking in the join's order and
        # deadlocking (PostgreSQL detects that only after a second, with every
        # request queued on both workers waiting).
        list(
            TraceCode.objects.select_for_update()
            .filter(pk__in=[row[0] for row in rows])
            .order_by("pk")
            .values_list("pk")
        )
        for start in range(0, len(rows), FLUSH_BATCH):
            _update_rows(rows[start : start + FLUSH_BATCH])
    _keep([key for code in names if total_key(code) in cached for key in (total_key(code), first_key(code))])


def _update_rows(rows):
    """One ``UPDATE`` for ``rows`` of (key, code, total, first scan, last scan), raising
    each count to its total and keeping the earliest first and the latest last scan.
    Plain SQL that PostgreSQL and SQLite both run: building the same statement with
    ``bulk_update`` and an expression per row and field took a busy worker a third of a
    second for 200 codes, while every request queued on it waited."""
    connection = connections[router.db_for_write(TraceCode)]
    quote = connection.ops.quote_name
    table, key = quote(TraceCode._meta.db_table), quote(TraceCode._meta.pk.column)
    adapt = connection.ops.adapt_datetimefield_value
    params = [value for pk, code, total, first, last in rows for value in (pk, code, total, adapt(first), adapt(last))]
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    # Matched by code as well as key: a total is only ever written to its own code's row.
    sql = f"""
        WITH flushed (pk, code, total, first_at, last_at) AS (VALUES {values})
        UPDATE {table} SET
            scan_count = CASE WHEN flushed.total > {table}.scan_count THEN flushed.total ELSE {table}.scan_count END,
            first_scanned_at = COALESCE({table}.first_scanned_at, flushed.first_at),
            last_scanned_at = CASE
                WHEN {table}.last_scanned_at IS NULL OR flushed.last_at > {table}.last_scanned_at THEN flushed.last_at
                ELSE {table}.last_scanned_at
            END
        FROM flushed
        WHERE {table}.{key} = flushed.pk AND {table}.code = flushed.code
    """  # noqa: S608 (names from the model's own metadata; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _keep(keys):
    """Keep the totals just written (and their first scans) ``TOTAL_TIMEOUT`` longer."""
    if hasattr(cache, "run_script"):
        cache.run_script(KEEP_SCRIPT, keys, [TOTAL_TIMEOUT])
        return
    for key in keys:
        cache.touch(key, TOTAL_TIMEOUT)


def pending():
    """How many codes this process has counted but not yet written."""
    return len(_dirty.codes)
