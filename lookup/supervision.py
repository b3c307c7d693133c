"""Searching the supervision record: spot-check results and the blacklist.

A reader types a company's name, a product or a unified social credit code; a USCC
matches entries linked to that organisation (or published under its name), words
match the party's name, and for spot checks the product and the task too.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lookup.codes import CodeError, CodeKind, parse_code
from lookup.engines.query import looks_like_code
from lookup.flags import current_blacklist
from lookup.models import BlacklistEntry, Organisation, SpotCheck
from lookup.search_text import clean

MAX_TEXT_LENGTH = 100


@dataclass
class SupervisionSearch:
    """What a reader asked for: ``text`` (words) or ``uscc``, and a spot-check ``result``."""

    text: str = ""
    uscc: str = ""
    result: str = ""

    @property
    def asked(self):
        return bool(self.text or self.uscc)


class SupervisionQueryError(ValueError):
    """A search the supervision record cannot answer; ``message`` says why to a person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_search(q, result=""):
    """A :class:`SupervisionSearch`; raises :class:`SupervisionQueryError` for a
    malformed USCC, another kind of code, an unknown result or an over-long text."""
    text = clean(q)
    if len(text) > MAX_TEXT_LENGTH:
        raise SupervisionQueryError(
            _("Type at most %(maximum)s characters: a company's name, a product or a credit code.")
            % {"maximum": MAX_TEXT_LENGTH}
        )
    result = (result or "").strip()
    if result and result not in SpotCheck.Result.values:
        raise SupervisionQueryError(_("Choose a spot-check result from the list."))
    if not (text and looks_like_code(text)):
        return SupervisionSearch(text=text, result=result)
    try:
        code = parse_code(text)
    except CodeError as error:
        raise SupervisionQueryError(error.message) from error
    if code.kind is not CodeKind.USCC:
        raise SupervisionQueryError(
            _(
                "This is a certificate number or trace code, not a company's credit code. Look it up under "
                "“I have a code”: the certificate's page warns about any company on it that is blacklisted "
                "or failed a spot check."
            )
        )
    return SupervisionSearch(uscc=code.value, result=result)


def _names_for_uscc(uscc):
    organisation = Organisation.objects.filter(uscc=uscc).first()
    if organisation is None:
        return None, set()
    return organisation, {name for name in (organisation.name_zh, organisation.name_en) if name}


def _party_filter(search, link, name_field):
    if search.uscc:
        organisation, names = _names_for_uscc(search.uscc)
        if organisation is None:
            return Q(pk__in=[])
        return Q(**{link: organisation.pk}) | Q(**{f"{link}__isnull": True, f"{name_field}__in": names})
    return Q(**{f"{name_field}__icontains": search.text})


def spot_checks(search):
    """Spot checks matching ``search`` (every one when nothing was asked), newest first."""
    checks = SpotCheck.objects.select_related("category")
    if search.uscc:
        checks = checks.filter(_party_filter(search, "organisation", "organisation_name"))
    elif search.text:
        checks = checks.filter(
            _party_filter(search, "organisation", "organisation_name")
            | Q(product__icontains=search.text)
            | Q(task_name__icontains=search.text)
        )
    return checks


def result_counts(checks):
    """Result value → number of checks, for the facet."""
    counts = dict(checks.order_by().values_list("result").annotate(total=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in SpotCheck.Result.choices]


def blacklist(search, on=None):
    """Blacklist entries matching ``search``, those in force on ``on`` (today) first."""
    on = on or timezone.localdate()
    entries = BlacklistEntry.objects.select_related("body", "organisation")
    if search.asked:
        entries = entries.filter(_party_filter(search, "organisation", "party_name"))
    current = list(entries.filter(current_blacklist(on)).order_by("-decided_on", "pk"))
    past = list(entries.exclude(current_blacklist(on)).order_by("-decided_on", "pk"))
    return current, past
