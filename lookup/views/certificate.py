"""One certificate's public page.

Its status and what it means come first, then what was certified, by whom and for
whom, the supervision record of its parties, its history, the answer to "was it
valid on this date?", a QR code of the page's own address and a way to report a
suspected fake. The page carries schema.org structured data and prints on one sheet.
"""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wagtail.models import Locale

from cms.models import ImplementationRulePage, MarkPage, StandardPage
from lookup import certificate_pages
from lookup.api.records import certificates
from lookup.codes import CodeError, validate_certificate_number
from lookup.flags import party_flags
from lookup.models import Status
from lookup.party_record import party_record
from lookup.qr import svg_code
from lookup.regions import region_name
from lookup.status import status_on
from lookup.structured_data import certification, json_ld
from lookup.trace import display_product_name

CERTIFICATE_TEMPLATE = "lookup/pages/certificate.html"
# Standard-coal equivalent of electricity, calorific-equivalent method (GB/T 2589).
KGCE_PER_KWH = 0.1229
MARK_RENDITION = "height-96"


def _address(organisation):
    if translation.get_language() == "en" and organisation.address_en:
        return organisation.address_en
    return organisation.address


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
                "address": _address(organisation),
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


def _active_locale():
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return None


def _record_links(request, locale, model, codes):
    """Each code with the address of the live page of that record in the reader's
    language, or an empty address when the site has none."""
    urls = {}
    if codes and locale is not None:
        pages = model.objects.live().filter(locale=locale, **{f"{model.code_field}__in": codes})
        urls = {page.record_code: page.get_url(request) for page in pages}
    return [{"code": code, "url": urls.get(code, "")} for code in codes]


def _mark_page(locale):
    """The page about the green product mark in the reader's language, with its image."""
    if locale is None:
        return None
    return MarkPage.objects.live().filter(locale=locale, image__isnull=False).select_related("image").first()


@require_safe
def certificate_page(request, number):
    """One certificate. A number typed loosely (lower case, spaces, hyphens) redirects
    to its canonical address; a malformed one is a 400 and an unknown one a 404, each
    saying why in plain words."""
    try:
        value = validate_certificate_number(number)
    except CodeError as error:
        return render(request, CERTIFICATE_TEMPLATE, {"raw_number": number, "error": error.message}, status=400)
    if value != number:
        target = reverse("lookup-certificate", kwargs={"number": value})
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    if certificate_pages.cacheable(request):
        html = certificate_pages.cached(request, value)
        if html is not None:
            return HttpResponse(html)
    certificate = certificates().filter(number=value).first()
    report_url = reverse("lookup-certificate-report", kwargs={"number": value})
    if certificate is None:
        return render(request, CERTIFICATE_TEMPLATE, {"raw_number": value, "report_url": report_url}, status=404)

    today = timezone.localdate()
    status = certificate.effective_status(today)
    product_name = display_product_name(certificate)
    page_url = request.build_absolute_uri(reverse("lookup-certificate", kwargs={"number": value}))
    locale = _active_locale()
    mark_page = _mark_page(locale) if certificate.mark else None
    mark_image = mark_page.image.get_rendition(MARK_RENDITION) if mark_page else None
    energy = certificate.energy_saving_kwh_per_year
    structured_data = certification(
        certificate,
        name=_("Green product certificate %(number)s") % {"number": certificate.number},
        status=status,
        url=page_url,
        product_name=product_name,
        language=translation.get_language(),
        mark_url=request.build_absolute_uri(mark_image.url) if mark_image else "",
    )
    context = {
        "certificate": certificate,
        "status": status,
        "status_label": Status(status).label,
        "product_name": product_name,
        "organisations": _organisations(certificate),
        "body_url": reverse("lookup-body", kwargs={"code": certificate.body.code}),
        "standards": _record_links(request, locale, StandardPage, certificate.standards),
        "rules": _record_links(request, locale, ImplementationRulePage, certificate.rules),
        "mark_page": mark_page,
        "mark_image": mark_image,
        "flags": party_flags([certificate], on=today).get(certificate.pk, []),
        "party_record": party_record(certificate, today),
        "history": [
            {"change": change, "label": Status(change.to_status).label} for change in certificate.status_changes.all()
        ],
        "energy_kwh": energy,
        "energy_kgce": None if energy is None else round(float(energy) * KGCE_PER_KWH, 1),
        "kgce_per_kwh": KGCE_PER_KWH,
        "valid_on": _valid_on(request, certificate, today),
        "page_url": page_url,
        "qr_code": mark_safe(svg_code(page_url, label=_("QR code of this page's address"))),  # noqa: S308
        "structured_data": json_ld(structured_data),
        "report_url": report_url,
        "today": today,
    }
    response = render(request, CERTIFICATE_TEMPLATE, context)
    if certificate_pages.cacheable(request):
        certificate_pages.store(request, value, response.content.decode())
    return response
