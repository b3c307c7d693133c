"""The supervision record of a certificate's parties: every spot check of its
organisations and every blacklist entry of its organisations or its certification
body, past and present, matched the way :mod:`lookup.flags` matches them (by link,
or by exact name for an entry published without one)."""

from dataclasses import dataclass

from django.db.models import Q

from lookup.flags import current_blacklist
from lookup.models import BlacklistEntry, SpotCheck

ROLES = ("client", "producer", "manufacturer")


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
        spot_checks=list(checks),
        current_blacklist=list(entries.filter(current_blacklist(on)).order_by("-decided_on", "pk")),
        past_blacklist=list(entries.exclude(current_blacklist(on)).order_by("-decided_on", "pk")),
    )
