"""Keeping the lookup index in step with the database, after commit, in bulk.

Signal receivers only note *which* certificates changed: a saved or deleted
certificate, every certificate of a saved organisation, every certificate an import
wrote. When the transaction commits, :func:`flush` reads those certificates from the
database and indexes them in one bulk write, removing the numbers the database no
longer has. A rolled-back transaction queues nothing (Django drops the ``on_commit``
callbacks of a rolled-back block), and nothing is ever written to the index before
the data it describes is committed.

Index writes never make a save fail. When the engine cannot be written (a server
down, a locked file), the numbers go to a durable queue, ``DATA_DIR/lookup-index-pending.txt``,
which the next successful flush and ``rebuild_lookup_index`` work off: an outage
delays a change, it never loses it.
"""

import contextlib
import fcntl
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .base import EngineUnavailable, get_engine, indexable_certificates

logger = logging.getLogger(__name__)

PENDING_NAME = "lookup-index-pending.txt"
FLUSH_BATCH = 1000

_state = threading.local()


def pending_path():
    return Path(getattr(settings, "LOOKUP_INDEX_DIR", "") or settings.DATA_DIR) / PENDING_NAME


def _enqueue(using, numbers=(), organisations=()):
    """Note changed certificates (and organisations) for this thread's transaction on
    ``using``; the first change of a transaction registers the flush on commit.

    Extra numbers are harmless (the flush reads what the database holds), so a
    queue only has to be started again when its callback was dropped with a
    rolled-back block.
    """
    queues = getattr(_state, "queues", None)
    if queues is None:
        queues = _state.queues = {}
    queue = queues.get(using)
    connection = transaction.get_connection(using)
    if queue is not None and not any(entry[1] is queue["callback"] for entry in connection.run_on_commit):
        queue = None
    new = queue is None
    if new:
        queue = queues[using] = {"numbers": set(), "organisations": set(), "callback": None}
    queue["numbers"].update(numbers)
    queue["organisations"].update(organisations)
    if new:
        queue["callback"] = lambda: _flush_queue(using, queue)
        transaction.on_commit(queue["callback"], using=using, robust=True)


def _flush_queue(using, queue):
    queues = getattr(_state, "queues", {})
    if queues.get(using) is queue:
        del queues[using]
    numbers = set(queue["numbers"])
    if queue["organisations"]:
        numbers.update(_numbers_of_organisations(queue["organisations"], using))
    flush(numbers, using=using)


def queue_numbers(numbers, using="default"):
    """Index (or remove) these certificates once the current transaction commits
    (at once outside a transaction)."""
    numbers = [number for number in numbers if number]
    if numbers:
        _enqueue(using, numbers=numbers)


def queue_organisations(organisation_ids, using="default"):
    """Index every certificate of these organisations once the transaction commits."""
    _enqueue(using, organisations=organisation_ids)


def _numbers_of_organisations(organisation_ids, using):
    from django.db.models import Q

    from lookup.models import Certificate

    ids = list(organisation_ids)
    return set(
        Certificate.objects.using(using)
        .filter(Q(client_id__in=ids) | Q(producer_id__in=ids) | Q(manufacturer_id__in=ids))
        .values_list("number", flat=True)
    )


def flush(numbers, using="default", engine=None):
    """Bring these certificates' documents up to date now, with what was left
    pending by earlier failures. Returns True when the index took the change; on
    failure the numbers are kept in the pending queue and False is returned."""
    numbers = set(numbers) | read_pending()
    if not numbers:
        return True
    try:
        engine = engine or get_engine()
        apply_changes(engine, numbers, using=using)
    except Exception:
        logger.exception("Lookup index not updated; %s certificate(s) kept in the pending queue", len(numbers))
        write_pending(numbers)
        return False
    clear_pending(numbers)
    return True


def apply_changes(engine, numbers, using="default"):
    """Index the certificates of ``numbers`` the database has; remove the others."""
    numbers = sorted(numbers)
    for start in range(0, len(numbers), FLUSH_BATCH):
        chunk = numbers[start : start + FLUSH_BATCH]
        from lookup.models import Certificate

        certificates = list(indexable_certificates(Certificate.objects.using(using).filter(number__in=chunk)))
        found = {certificate.number for certificate in certificates}
        if certificates:
            engine.index(certificates)
        missing = [number for number in chunk if number not in found]
        if missing:
            engine.remove(missing)


# --- the durable pending queue -----------------------------------------------------------


@contextlib.contextmanager
def _locked(mode):
    path = pending_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode, encoding="utf-8") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            yield file
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def read_pending():
    if not pending_path().exists():
        return set()
    with _locked("r") as file:
        return {line.strip() for line in file if line.strip()}


def write_pending(numbers):
    with _locked("a") as file:
        file.writelines(f"{number}\n" for number in sorted(numbers))
        file.flush()


def clear_pending(numbers):
    """Drop ``numbers`` from the queue, keeping any a concurrent failure added."""
    if not pending_path().exists():
        return
    with _locked("r+") as file:
        remaining = [line.strip() for line in file if line.strip() and line.strip() not in numbers]
        file.seek(0)
        file.truncate()
        file.writelines(f"{number}\n" for number in dict.fromkeys(remaining))
        file.flush()


# --- signal receivers --------------------------------------------------------------------


def certificate_changed(sender, instance, using="default", **kwargs):
    queue_numbers([instance.number], using=using)


def organisation_saved(sender, instance, created=False, using="default", **kwargs):
    if not created:
        queue_organisations([instance.pk], using=using)


def certificates_imported(sender, run=None, **kwargs):
    """The importer writes in bulk, without ``post_save``: index what it changed."""
    if run is None:
        return
    from lookup.models import Certificate

    numbers = Certificate.objects.filter(updated_at__gte=run.started_at).values_list("number", flat=True)
    queue_numbers(list(numbers))


def connect_signals():
    from lookup.importer.signals import certificates_imported as imported_signal
    from lookup.models import Certificate, Organisation

    post_save.connect(certificate_changed, sender=Certificate, dispatch_uid="lookup_index_certificate_saved")
    post_delete.connect(certificate_changed, sender=Certificate, dispatch_uid="lookup_index_certificate_deleted")
    post_save.connect(organisation_saved, sender=Organisation, dispatch_uid="lookup_index_organisation_saved")
    imported_signal.connect(certificates_imported, dispatch_uid="lookup_index_certificates_imported")


__all__ = ["EngineUnavailable", "apply_changes", "connect_signals", "flush", "queue_numbers", "queue_organisations"]
