"""The directory of certification bodies: what each is approved to certify, where
the companies it certifies are, and how many certificates it has issued.

Bodies have no address in the registry, so the region filter asks where their
certified companies are: a body "works in" a province when a certificate it issued
names a client there.
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from lookup.companies import effective_status
from lookup.flags import current_blacklist
from lookup.models import BlacklistEntry, Certificate, CertificationBody, ProductCategory, Status


def _count(certificates):
    counted = certificates.order_by().values("body").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _in_province(province):
    return Q(client__region_code__startswith=province[:2])


def bodies(on, category="", province=""):
    """Bodies approved for ``category`` (a code) that certify companies in
    ``province`` (a province code), with their approved categories and counts:
    ``certificate_count``, ``valid_count`` and, with a province, ``province_count``."""
    issued = Certificate.objects.filter(body=OuterRef("pk"))
    valid = issued.filter(status=Status.VALID, expires_on__gte=on)
    found = CertificationBody.objects.prefetch_related(
        Prefetch("approved_categories", queryset=ProductCategory.objects.order_by("code"))
    ).annotate(certificate_count=_count(issued), valid_count=_count(valid))
    if category:
        found = found.filter(approved_categories__code=category)
    if province:
        found = found.filter(Exists(issued.filter(_in_province(province)))).annotate(
            province_count=_count(issued.filter(_in_province(province)))
        )
    return found.order_by("code")


def body_status_counts(body, on):
    """(status, label, count) of the body's certificates by effective status."""
    counts = dict(
        Certificate.objects.filter(body=body)
        .annotate(effective=effective_status(on))
        .order_by()
        .values_list("effective")
        .annotate(total=Count("pk"))
    )
    return [(value, label, counts.get(value, 0)) for value, label in Status.choices]


def body_provinces(body):
    """Province code → number of the body's certificates whose client is there, most first."""
    rows = (
        Certificate.objects.filter(body=body)
        .exclude(client__region_code="")
        .annotate(province=F("client__region_code"))
        .order_by()
        .values_list("province")
        .annotate(total=Count("pk"))
    )
    totals = {}
    for region, total in rows:
        province = f"{region[:2]}0000"
        totals[province] = totals.get(province, 0) + total
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def body_listings(body, on):
    """The body's blacklist entries still in force on ``on``."""
    return list(BlacklistEntry.objects.filter(body=body).filter(current_blacklist(on)))
