"""Finding a company in the registry and the certificates that name it.

A company is an :class:`~lookup.models.Organisation` named on at least one
certificate as client, producer or manufacturer. Counts and filters use the
effective status (a valid certificate past its expiry date is expired).
"""

from django.db.models import Case, CharField, Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from lookup.models import Certificate, Organisation, Status

MAX_COMPANIES = 20


def effective_status(on):
    """An expression for the status a reader sees on ``on``."""
    return Case(
        When(status=Status.VALID, expires_on__lt=on, then=Value(Status.EXPIRED.value)),
        default=F("status"),
        output_field=CharField(),
    )


def naming(organisation_pk):
    """Certificates that name the organisation in any role."""
    return Q(client=organisation_pk) | Q(producer=organisation_pk) | Q(manufacturer=organisation_pk)


def _certificate_count():
    counted = (
        Certificate.objects.filter(naming(OuterRef("pk")))
        .order_by()
        .annotate(total=Func(F("pk"), function="COUNT"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def find_companies(text):
    """Companies named on certificates whose Chinese or English name contains
    ``text``, an exact name first, then by name, each with its certificate count.
    Returns (the first :data:`MAX_COMPANIES`, how many match); only those shown are counted."""
    matching = Organisation.objects.filter(Q(name_zh__icontains=text) | Q(name_en__icontains=text)).filter(
        Exists(Certificate.objects.filter(naming(OuterRef("pk"))))
    )
    exact = Case(When(Q(name_zh=text) | Q(name_en__iexact=text), then=Value(0)), default=Value(1))
    shown = matching.annotate(exact=exact, certificate_count=_certificate_count()).order_by("exact", "name_zh", "pk")
    return list(shown[:MAX_COMPANIES]), matching.count()


def company_by_uscc(uscc):
    return Organisation.objects.filter(uscc=uscc).first()


def company_certificates(organisation, on, status=""):
    """The certificates naming ``organisation``, valid first then newest, optionally
    only those whose effective status on ``on`` is ``status``."""
    certificates = Certificate.objects.filter(naming(organisation.pk)).annotate(effective=effective_status(on))
    if status:
        certificates = certificates.filter(effective=status)
    valid_first = Case(When(effective=Status.VALID, then=Value(0)), default=Value(1))
    return certificates.order_by(valid_first, "-issued_on", "number")


def status_counts(organisation, on):
    """(status, label, count) for every status, in the order of :class:`Status`."""
    counts = dict(
        Certificate.objects.filter(naming(organisation.pk))
        .annotate(effective=effective_status(on))
        .order_by()
        .values_list("effective")
        .annotate(total=Count("pk"))
    )
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]
