"""Certificates as the rows of a result list, each with its supervision warnings."""

from lookup.flags import party_flags
from lookup.models import Certificate, Status
from lookup.trace import display_product_name

ROW_RELATED = ("body", "category", "client", "producer", "manufacturer")


def rows_for(certificates, today):
    """Rows for ``certificates`` (fetched with :data:`ROW_RELATED`), in their order."""
    certificates = list(certificates)
    flags = party_flags(certificates, on=today)
    rows = []
    for certificate in certificates:
        status = certificate.effective_status(today)
        rows.append(
            {
                "certificate": certificate,
                "status": status,
                "status_label": Status(status).label,
                "product_name": display_product_name(certificate),
                "flags": flags.get(certificate.pk, []),
            }
        )
    return rows


def certificate_rows(numbers, today):
    """Rows for the certificates numbered ``numbers``, in that order; numbers the
    registry no longer has (removed since the index was written) are left out."""
    found = Certificate.objects.select_related(*ROW_RELATED).in_bulk(numbers, field_name="number")
    return rows_for([found[number] for number in numbers if number in found], today)
