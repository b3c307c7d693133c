"""The public record of a certificate and of a trace code, as plain dicts in the
shape of :mod:`lookup.api.schemas`. Names and labels are in the active language."""

from lookup.models import Certificate, Region, Status, TraceCode
from lookup.trace import display_product_name, trace_url


def _float(value):
    return None if value is None else float(value)


def _region(code, regions):
    if not code:
        return None
    region = regions.get(code)
    return {"code": code, "name": region.name if region else ""}


def organisation_record(organisation, regions):
    if organisation is None:
        return None
    return {
        "name": organisation.name_zh,
        "name_en": organisation.name_en,
        "display_name": organisation.name,
        "address": organisation.address,
        "address_en": organisation.address_en,
        "region": _region(organisation.region_code, regions),
        "country": organisation.country,
        "uscc": organisation.uscc,
        "registration_number": organisation.registration_number,
        "latitude": _float(organisation.latitude),
        "longitude": _float(organisation.longitude),
    }


def status_label(status):
    return str(Status(status).label)


def certificate_record(certificate):
    organisations = [certificate.client, certificate.producer, certificate.manufacturer]
    region_codes = {organisation.region_code for organisation in organisations if organisation}
    regions = {region.code: region for region in Region.objects.filter(code__in=region_codes - {""})}
    status = certificate.effective_status()
    category = certificate.category
    return {
        "number": certificate.number,
        "status": status,
        "status_label": status_label(status),
        "recorded_status": certificate.status,
        "status_changed_on": certificate.status_changed_on,
        "status_reason": certificate.status_reason,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "scheme": certificate.scheme,
        "rules": certificate.rules,
        "standards": certificate.standards,
        "mode": certificate.mode,
        "product_name": certificate.product_name,
        "product_name_en": certificate.product_name_en,
        "display_product_name": display_product_name(certificate),
        "models": certificate.product_models,
        "brand": certificate.brand,
        "category": {
            "code": category.code,
            "name": category.name,
            "group": {"code": category.group.number, "name": category.group.name},
        },
        "body": {"code": certificate.body.code, "name": certificate.body.name, "website": certificate.body.website},
        "client": organisation_record(certificate.client, regions),
        "producer": organisation_record(certificate.producer, regions),
        "manufacturer": organisation_record(certificate.manufacturer, regions),
        "mark": certificate.mark,
        "accreditation_mark": certificate.accreditation_mark,
        "energy_saving_kwh_per_year": _float(certificate.energy_saving_kwh_per_year),
        "status_history": [
            {
                "from_status": change.from_status,
                "to_status": change.to_status,
                "to_status_label": status_label(change.to_status),
                "changed_on": change.changed_on,
                "reason": change.reason,
                "source": change.source,
            }
            for change in certificate.status_changes.all()
        ],
        "updated_at": certificate.updated_at,
    }


def trace_record(trace):
    status = trace.certificate.effective_status()
    return {
        "code": trace.code,
        "url": trace_url(trace.code),
        "status": status,
        "status_label": status_label(status),
        "issued_at": trace.issued_at,
        "scan_count": trace.scan_count,
        "first_scanned_at": trace.first_scanned_at,
        "certificate": certificate_record(trace.certificate),
    }


CERTIFICATE_RELATED = (
    "category__group",
    "body",
    "client",
    "producer",
    "manufacturer",
)


def certificates():
    return Certificate.objects.select_related(*CERTIFICATE_RELATED).prefetch_related("status_changes")


def trace_codes():
    return TraceCode.objects.select_related(*(f"certificate__{name}" for name in CERTIFICATE_RELATED))
