"""The supervision record of a certificate's parties: every spot check of its
organisations and every blacklist entry of its organisations or its certification
body, past and present, matched the way :mod:`lookup.flags` matches them (by link,
or by exact name for an entry published without one)."""

from dataclasses import dataclass

from django.db.models import Q

from lookup.flags import BLACKLIST, SPOT_CHECK_FAILED, current_blacklist, entry_url
from lookup.models import BlacklistEntry, SpotCheck

ROLES = ("client", "producer", "manufacturer")
# The supervision page gives every spot check, passed or failed, the same kind of anchor.
SPOT_CHECK = SPOT_CHECK_FAILED


@dataclass(frozen=True)
class Entry:
    """A spot check or blacklist entry and its place on the supervision page."""

    record: object
    url: str


@dataclass(frozen=True)
class PartyRecord:
    spot_checks: list
    current_blacklist: list
    past_blacklist: list

    def __bool__(self):
        return bool(self.spot_checks or self.current_blacklist or self.past_blacklist)


def _organisations(certificate):
    found = (getattr(certificate, role) for role in ROLES)
    return {organisation.pk: organisation for organisation in found if organisation is not None}


def party_record(certificate, on):
    """The :class:`PartyRecord` of ``certificate``'s parties; blacklist entries in
    force on ``on`` are told apart from those that have ended."""
    organisations = _organisations(certificate)
    names = {name for organisation in organisations.values() for name in (organisation.name_zh, organisation.name_en)}
    names.discard("")
    checks = SpotCheck.objects.filter(
        Q(organisation_id__in=organisations) | Q(organisation__isnull=True, organisation_name__in=names)
    ).order_by("-published_on", "pk")
    entries = BlacklistEntry.objects.select_related("body").filter(
        Q(organisation_id__in=organisations)
        | Q(body_id=certificate.body_id)
        | Q(organisation__isnull=True, body__isnull=True, party_name__in=names)
    )
    return PartyRecord(
        spot_checks=[Entry(check, entry_url(SPOT_CHECK, check.pk, check.organisation_name)) for check in checks],
        current_blacklist=_blacklist(entries.filter(current_blacklist(on))),
        past_blacklist=_blacklist(entries.exclude(current_blacklist(on))),
    )


def _blacklist(entries):
    ordered = entries.order_by("-decided_on", "pk")
    return [Entry(entry, entry_url(BLACKLIST, entry.pk, entry.party_name)) for entry in ordered]
