"""Writing checked records to the database in batches.

Runs inside the import's single transaction. Organisations are written before the
certificates that name them. An organisation's empty cells never erase what is
already stored: the same company appears on many certificates, and one sparse row
must not wipe it. Within one file, the first row that names an organisation gives
its details, and later rows only fill in what is still empty; so a file whose rows
disagree about a company is imported the same way every time, and importing it again
finds nothing to change.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from lookup.models import Certificate, Organisation, Status, StatusChange
from lookup.status import StatusTransitionError, change_status

from .errors import RowError
from .inserts import RowInserter

ORGANISATION_VALUE_FIELDS = (
    "name_zh",
    "name_en",
    "address",
    "address_en",
    "region_code",
    "country",
    "uscc",
    "registration_number",
    "latitude",
    "longitude",
)
BULK_BATCH_SIZE = 500


class RowRejected(Exception):
    """A row the database refuses while writing; the whole file is rolled back."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class Writer:
    """Writes one file's records, batch by batch, and counts what it did."""

    def __init__(self, *, user=None):
        self.user = user
        self.organisation_ids = {}
        self.organisation_gaps = {}
        self.certificates = RowInserter(Certificate)
        self.status_changes = RowInserter(StatusChange)
        self.created = 0
        self.updated = 0
        self.unchanged = 0

    def write(self, records):
        now = timezone.now()
        self._write_organisations(records, now)
        self._write_certificates(records, now)

    # organisations ------------------------------------------------------------------

    def _write_organisations(self, records, now):
        pending = {}
        gaps_filled = {}
        for record in records:
            for organisation in record.organisations.values():
                if not organisation:
                    continue
                key = organisation.key
                if key not in self.organisation_ids:
                    pending.setdefault(key, organisation)
                elif self.organisation_gaps.get(key):
                    self._fill_gaps(key, organisation, gaps_filled)
        for pk, values in gaps_filled.items():
            Organisation.objects.filter(pk=pk).update(**values, updated_at=now)
        if not pending:
            return
        found = find_organisations(pending.values())
        new, changed = [], []
        for key, organisation in pending.items():
            instance = found.get(key)
            if instance is None:
                new.append((key, Organisation(**organisation.values)))
            elif fill_in(instance, organisation.values):
                instance.updated_at = now
                changed.append((key, instance))
            else:
                self._remember(key, instance)
        Organisation.objects.bulk_create([instance for _key, instance in new], batch_size=BULK_BATCH_SIZE)
        if changed:
            Organisation.objects.bulk_update(
                [instance for _key, instance in changed],
                [*ORGANISATION_VALUE_FIELDS, "updated_at"],
                batch_size=BULK_BATCH_SIZE,
            )
        for key, instance in new + changed:
            self._remember(key, instance)
        gaps_filled = {}
        for record in records:
            for organisation in record.organisations.values():
                if organisation and organisation.key in pending and organisation is not pending[organisation.key]:
                    self._fill_gaps(organisation.key, organisation, gaps_filled)
        for pk, values in gaps_filled.items():
            Organisation.objects.filter(pk=pk).update(**values, updated_at=now)

    def _remember(self, key, instance):
        self.organisation_ids[key] = instance.pk
        gaps = frozenset(name for name in ORGANISATION_VALUE_FIELDS if getattr(instance, name) in ("", None))
        if gaps:
            self.organisation_gaps[key] = gaps
        else:
            self.organisation_gaps.pop(key, None)

    def _fill_gaps(self, key, organisation, filled):
        """Collect, in ``filled``, values a later row gives for details still empty."""
        gaps = self.organisation_gaps[key]
        values = {name: organisation.values[name] for name in gaps if organisation.values[name] not in ("", None)}
        if values:
            pk = self.organisation_ids[key]
            filled.setdefault(pk, {}).update(values)
            remaining = gaps - values.keys()
            if remaining:
                self.organisation_gaps[key] = remaining
            else:
                del self.organisation_gaps[key]

    # certificates -------------------------------------------------------------------

    def _write_certificates(self, records, now):
        existing = Certificate.objects.in_bulk([record.number for record in records], field_name="number")
        new, changed, status_changes = [], [], []
        changed_fields = set()
        for record in records:
            values = dict(record.values)
            for role, organisation in record.organisations.items():
                values[f"{role}_id"] = self.organisation_ids[organisation.key] if organisation else None
            certificate = existing.get(record.number)
            if certificate is None:
                new.append(values)
                continue
            fields, status_change = apply_values(certificate, values)
            if fields:
                certificate.updated_at = now
                changed.append(certificate)
                changed_fields.update(fields)
            if status_change:
                status_changes.append((record.row, certificate, *status_change))
            elif not fields:
                self.unchanged += 1
        if new:
            self.certificates.insert(new, now)
            ids = dict(
                Certificate.objects.filter(number__in=[values["number"] for values in new]).values_list("number", "pk")
            )
            user_id = self.user.pk if self.user else None
            self.status_changes.insert(
                [entry for values in new for entry in initial_status_changes(ids[values["number"]], values, user_id)],
                now,
            )
            self.created += len(new)
        if changed:
            Certificate.objects.bulk_update(changed, [*changed_fields, "updated_at"], batch_size=BULK_BATCH_SIZE)
        for row, certificate, status, changed_on, reason in status_changes:
            try:
                change_status(
                    certificate,
                    status,
                    changed_on=changed_on,
                    reason=reason,
                    user=self.user,
                    source=StatusChange.Source.IMPORT,
                )
            except StatusTransitionError as error:
                # Checked in the first pass; only a change made meanwhile gets here.
                raise RowRejected(RowError(row, "status", status, str(error))) from error
        self.updated += len({certificate.pk for certificate in changed} | {c.pk for _row, c, *_rest in status_changes})


def apply_values(certificate, values):
    """Set a row's values on a stored certificate. Return the names of the fields
    that changed, and ``(status, changed_on, reason)`` when the status changes (left
    for :func:`lookup.status.change_status`), else None."""
    status = values.pop("status")
    changed_on = values.get("status_changed_on")
    if changed_on is None:
        # No date given: keep the one recorded when the status last changed.
        values.pop("status_changed_on", None)
    status_change = None
    if status != certificate.status:
        expires_on = values.get("expires_on", certificate.expires_on)
        if (
            certificate.status == Status.VALID
            and status == Status.EXPIRED
            and expires_on < (changed_on or timezone.localdate())
        ):
            # Already expired by date: recording it is no change of status.
            values["status"] = status
        else:
            values.pop("status_changed_on", None)
            status_change = (status, changed_on, values.pop("status_reason", ""))
    fields = [name for name, value in values.items() if getattr(certificate, name) != value]
    for name in fields:
        setattr(certificate, name, values[name])
    return fields, status_change


def initial_status_changes(certificate_id, values, user_id):
    """The first entries of a new certificate's history, as values for an insert:
    the same entries :func:`lookup.status.record_initial_status` writes one by one
    (valid from the issue date, then the imported status when it is another)."""
    issued_on = values["issued_on"]
    entry = {
        "certificate_id": certificate_id,
        "changed_by_id": user_id,
        "source": StatusChange.Source.IMPORT,
    }
    entries = [{**entry, "from_status": "", "to_status": Status.VALID, "changed_on": issued_on, "reason": ""}]
    status = values["status"]
    if status != Status.VALID:
        changed_on = values.get("status_changed_on")
        if changed_on is None:
            changed_on = values["expires_on"] + datetime.timedelta(days=1) if status == Status.EXPIRED else issued_on
        entries.append(
            {
                **entry,
                "from_status": Status.VALID,
                "to_status": status,
                "changed_on": max(changed_on, issued_on),
                "reason": values.get("status_reason", ""),
            }
        )
    return entries


def fill_in(instance, values):
    """Set the non-empty ``values`` that differ on ``instance``; True when any did."""
    changed = False
    for name, value in values.items():
        if value in ("", None):
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def find_organisations(organisations):
    """Stored organisations for the given records, by record key.

    A USCC matches a USCC, and a foreign registration number the same number in the
    same country; either, when not found, matches an organisation of that name and
    country that has no number yet (and gives it one). A name alone matches the same
    name in the same country.
    """
    usccs, registrations, names = set(), set(), set()
    for organisation in organisations:
        kind = organisation.key[0]
        if kind == "uscc":
            usccs.add(organisation.key[1])
        elif kind == "registration":
            registrations.add(organisation.key[2])
        names.add(organisation.values["name_zh"])
    query = Q(name_zh__in=names)
    if usccs:
        query |= Q(uscc__in=usccs)
    if registrations:
        query |= Q(registration_number__in=registrations)
    by_uscc, by_registration, by_name, unnumbered_by_name = {}, {}, {}, {}
    for instance in Organisation.objects.filter(query).order_by("pk"):
        if instance.uscc:
            by_uscc[instance.uscc] = instance
        if instance.registration_number:
            by_registration.setdefault((instance.country, instance.registration_number), instance)
        by_name.setdefault((instance.country, instance.name_zh), instance)
        if not instance.uscc and not instance.registration_number:
            unnumbered_by_name.setdefault((instance.country, instance.name_zh), instance)
    found = {}
    for organisation in organisations:
        key = organisation.key
        if key[0] == "uscc":
            instance = by_uscc.get(key[1]) or unnumbered_by_name.get(
                (organisation.values["country"], organisation.values["name_zh"])
            )
        elif key[0] == "registration":
            instance = by_registration.get((key[1], key[2])) or unnumbered_by_name.get(
                (key[1], organisation.values["name_zh"])
            )
        else:
            instance = by_name.get((key[1], key[2]))
        if instance is not None:
            found[key] = instance
    return found
