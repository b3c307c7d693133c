"""One certificate's public page.

Its status and what it means come first, then what was certified, by whom and for
whom, its history, and the answer to "was it valid on this date?".
"""

from datetime import date

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lookup.api.records import certificates
from lookup.codes import CodeError, validate_certificate_number
from lookup.models import Status
from lookup.regions import region_name
from lookup.status import status_on
from lookup.trace import display_product_name

CERTIFICATE_TEMPLATE = "lookup/pages/certificate.html"
# Standard-coal equivalent of electricity, calorific-equivalent method (GB/T 2589).
KGCE_PER_KWH = 0.1229


def _organisations(certificate):
    """The client, producer and manufacturer, one entry per organisation with every
    role it holds (they are often the same company)."""
    roles = (
        (_("Certificate holder (client)"), certificate.client),
        (_("Producer"), certificate.producer),
        (_("Manufacturer"), certificate.manufacturer),
    )
    entries = {}
    for role, organisation in roles:
        if organisation is None:
            continue
        entry = entries.setdefault(
            organisation.pk,
            {
                "roles": [],
                "organisation": organisation,
                "region": region_name(organisation.region_code, with_province=True)
                if organisation.region_code
                else "",
            },
        )
        entry["roles"].append(role)
    return list(entries.values())


def _valid_on(request, certificate, today):
    """The answer to "was it valid on this date?" for the ``on`` parameter."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return {"raw": raw, "error": _("Give the date as year-month-day, for example 2024-06-30.")}
    if day > today:
        return {"raw": raw, "error": _("That date is in the future: the history can only say what has happened.")}
    status = status_on(certificate, day)
    return {
        "raw": raw,
        "day": day,
        "status": status or "",
        "status_label": Status(status).label if status else "",
        "valid": status == Status.VALID,
    }


@require_safe
def certificate_page(request, number):
    """One certificate: its status and what it means first, then what was certified,
    by whom, for whom, and its history. A number typed loosely (lower case, spaces,
    hyphens) redirects to its canonical address."""
    try:
        value = validate_certificate_number(number)
    except CodeError as error:
        return render(request, CERTIFICATE_TEMPLATE, {"raw_number": number, "error": error.message}, status=400)
    if value != number:
        target = reverse("lookup-certificate", kwargs={"number": value})
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    certificate = certificates().filter(number=value).first()
    if certificate is None:
        return render(request, CERTIFICATE_TEMPLATE, {"raw_number": value}, status=404)
    today = timezone.localdate()
    status = certificate.effective_status(today)
    energy = certificate.energy_saving_kwh_per_year
    context = {
        "certificate": certificate,
        "status": status,
        "status_label": Status(status).label,
        "product_name": display_product_name(certificate),
        "organisations": _organisations(certificate),
        "history": [
            {"change": change, "label": Status(change.to_status).label} for change in certificate.status_changes.all()
        ],
        "energy_kwh": energy,
        "energy_kgce": None if energy is None else round(float(energy) * KGCE_PER_KWH, 1),
        "kgce_per_kwh": KGCE_PER_KWH,
        "valid_on": _valid_on(request, certificate, today),
    }
    return render(request, CERTIFICATE_TEMPLATE, context)
