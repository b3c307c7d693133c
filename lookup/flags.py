"""Warnings a certificate carries because of its parties' supervision record.

A certificate is flagged when its certification body or any of its organisations
(client, producer, manufacturer) is on the blacklist today, or when one of the
organisations failed a published spot check. A supervision entry names its party by
link (``organisation`` or ``body``: for an organisation that is its USCC, unique in
the registry) or, when it was published without one, by name only; such an entry
matches an organisation whose Chinese or English name is exactly that name.

:func:`party_flags` answers for a whole result list in at most three queries: the
organisations when the certificates were fetched without them, the blacklist and the
failed spot checks.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lookup.models import BlacklistEntry, Certificate, Organisation, SpotCheck

ROLES = ("client", "producer", "manufacturer")
BLACKLIST = "blacklist"
SPOT_CHECK_FAILED = "spot_check_failed"


@dataclass(frozen=True)
class Flag:
    """One warning: ``kind`` is ``"blacklist"`` or ``"spot_check_failed"``, ``label``
    says it in the reader's language, ``url`` opens the supervision entry."""

    kind: str
    label: str
    url: str


def entry_anchor(kind, pk):
    """The fragment id the supervision page gives an entry."""
    return f"{'blacklist' if kind == BLACKLIST else 'spot-check'}-{pk}"


def entry_url(kind, pk, party):
    """The supervision page searched for ``party``, scrolled to the entry."""
    query = urlencode({"q": party})
    return f"{reverse('lookup-supervision')}?{query}#{entry_anchor(kind, pk)}"


def _organisations(certificates):
    """Organisation id → organisation for every party of ``certificates``, from the
    objects already loaded where possible, in one query otherwise."""
    found = {}
    missing = set()
    for certificate in certificates:
        for role in ROLES:
            pk = getattr(certificate, f"{role}_id")
            if pk is None or pk in found:
                continue
            if Certificate._meta.get_field(role).is_cached(certificate):
                found[pk] = getattr(certificate, role)
            else:
                missing.add(pk)
    missing -= found.keys()
    if missing:
        found.update(Organisation.objects.only("pk", "name_zh", "name_en", "uscc").in_bulk(missing))
    return found


def _names(organisation):
    return {name for name in (organisation.name_zh, organisation.name_en) if name}


def _party_matcher(organisations):
    """A function from an entry's (organisation id, name) to the organisation ids it names."""
    by_name = {}
    for pk, organisation in organisations.items():
        for name in _names(organisation):
            by_name.setdefault(name, set()).add(pk)

    def matches(organisation_id, name):
        if organisation_id is not None:
            return {organisation_id} if organisation_id in organisations else set()
        return by_name.get(name, set())

    return matches


def current_blacklist(on):
    return Q(listed_until__isnull=True) | Q(listed_until__gte=on)


def party_flags(certificates, on=None):
    """Certificate pk → list of :class:`Flag` for ``certificates`` (only those with a
    flag appear). Blacklist entries count while they are in force on ``on`` (today);
    a failed spot check counts whatever its year, and its label says the year."""
    certificates = list(certificates)
    if not certificates:
        return {}
    on = on or timezone.localdate()
    organisations = _organisations(certificates)
    names = set().union(*(_names(organisation) for organisation in organisations.values()))
    bodies = {certificate.body_id for certificate in certificates}
    by_party = Q(organisation_id__in=organisations.keys())
    listed = BlacklistEntry.objects.filter(current_blacklist(on)).filter(
        by_party | Q(body_id__in=bodies) | Q(organisation__isnull=True, body__isnull=True, party_name__in=names)
    )
    failed = SpotCheck.objects.filter(result=SpotCheck.Result.FAIL).filter(
        by_party | Q(organisation__isnull=True, organisation_name__in=names)
    )
    matches = _party_matcher(organisations)
    organisation_flags = {}
    body_flags = {}
    for entry in listed.order_by("-decided_on", "pk"):
        flag = Flag(
            BLACKLIST,
            _("Blacklisted: %(party)s") % {"party": entry.party_name},
            entry_url(BLACKLIST, entry.pk, entry.party_name),
        )
        if entry.body_id is not None:
            body_flags.setdefault(entry.body_id, []).append(flag)
        for pk in matches(entry.organisation_id, entry.party_name):
            organisation_flags.setdefault(pk, []).append(flag)
    for check in failed.order_by("-published_on", "pk"):
        flag = Flag(
            SPOT_CHECK_FAILED,
            _("Failed a spot check in %(year)s: %(party)s") % {"year": check.year, "party": check.organisation_name},
            entry_url(SPOT_CHECK_FAILED, check.pk, check.organisation_name),
        )
        for pk in matches(check.organisation_id, check.organisation_name):
            organisation_flags.setdefault(pk, []).append(flag)
    return _per_certificate(certificates, organisation_flags, body_flags)


def _per_certificate(certificates, organisation_flags, body_flags):
    flags = {}
    for certificate in certificates:
        found = list(body_flags.get(certificate.body_id, []))
        for role in ROLES:
            found.extend(organisation_flags.get(getattr(certificate, f"{role}_id"), []))
        unique = list(dict.fromkeys(found))
        if unique:
            flags[certificate.pk] = sorted(unique, key=lambda flag: flag.kind != BLACKLIST)
    return flags


__all__ = ["BLACKLIST", "SPOT_CHECK_FAILED", "Flag", "entry_anchor", "entry_url", "party_flags"]
