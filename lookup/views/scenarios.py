"""The lookup scenarios, one page each, starting from the reader's situation.

* "I have a code": a certificate number, a trace code from a label (typed or scanned)
  or a company's credit code, sent to the page that answers it;
* "I'm choosing a product": words and filters through the lookup engine;
* "Check a company": a name or credit code, then the company and its certificates;
* "Find a certification body": the directory, by approved category and province;
* "Is this certificate still valid?": a number and a date, the status and its meaning.

("Spot checks and blacklist" is :mod:`lookup.views.supervision`.) Every form is a
plain GET form; malformed input is a 400 that says what is wrong, an unknown code or
company a 404 that says why it may be missing.
"""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lookup.codes import CodeError, CodeKind, parse_code, validate_certificate_number
from lookup.companies import company_by_uscc, company_certificates, find_companies, status_counts
from lookup.directory import bodies, body_listings, body_provinces, body_status_counts
from lookup.engines.query import looks_like_code
from lookup.models import Certificate, CertificationBody, Organisation, ProductCategory, Region, Status
from lookup.regions import region_name
from lookup.search_text import clean
from lookup.status import status_on
from lookup.trace import display_product_name

from .links import url_with
from .rows import ROW_RELATED, rows_for
from .search import SearchForm, code_target, engine_search, filter_choices

PRODUCTS = SearchForm(
    url_name="lookup-products", filters=("group", "category", "status"), facets=("status", "category")
)
COMPANY_PAGE_SIZE = 20
MAX_NAME_LENGTH = 100


def _render(request, template, context, status=200):
    return render(request, f"lookup/pages/{template}", context, status=status)


@require_safe
def code_lookup(request):
    """A code typed or scanned: its certificate's page, the company's page for a
    credit code, or a plain explanation of why it names nothing."""
    raw = request.GET.get("code", "").strip()
    context = {"code": raw}
    if not raw:
        return _render(request, "code.html", context)
    try:
        code = parse_code(raw)
    except CodeError as error:
        context["error"] = error.message
        return _render(request, "code.html", context, 400)
    if code.kind is CodeKind.USCC:
        return redirect(f"{reverse('lookup-companies')}?{urlencode({'q': code.value})}")
    number = code_target(code)
    if number:
        return redirect("lookup-certificate", number=number)
    context["unknown"] = code
    return _render(request, "code.html", context, 404)


@require_safe
def product_lookup(request):
    """Product, brand or model words with group, category and status filters."""
    outcome = engine_search(request, PRODUCTS, filter_choices(PRODUCTS.filters))
    if outcome.redirect_to:
        return redirect(outcome.redirect_to)
    return _render(request, "products.html", outcome.context, outcome.status)


def _company_choice(request, context):
    """The company the request names (``?company=`` or a credit code in ``q``), or
    None with ``context`` holding the list of candidates; raises Http404/ValueError."""
    chosen = request.GET.get("company", "").strip()
    if chosen:
        if not chosen.isascii() or not chosen.isdigit():
            raise ValueError(_("Choose a company from the list."))
        return get_object_or_404(Organisation, pk=int(chosen))
    q = context["q"]
    if looks_like_code(q):
        try:
            code = parse_code(q)
        except CodeError as error:
            raise ValueError(error.message) from error
        if code.kind is not CodeKind.USCC:
            raise ValueError(
                _("This is a certificate number or trace code, not a credit code: look it up under “I have a code”.")
            )
        context["uscc"] = code.value
        company = company_by_uscc(code.value)
        if company is None:
            raise Http404
        return company
    if len(q) > MAX_NAME_LENGTH:
        raise ValueError(_("Type at most %(maximum)s characters of the name.") % {"maximum": MAX_NAME_LENGTH})
    companies, total = find_companies(q)
    only_one = len(companies) == 1
    one_exact = len(companies) > 1 and companies[0].exact == 0 and companies[1].exact == 1
    if only_one or one_exact:
        return companies[0]
    context.update(companies=companies, company_total=total)
    return None


def _company_context(request, company, today):
    status = request.GET.get("status", "").strip()
    if status and status not in Status.values:
        raise ValueError(_("Choose a status from the list."))
    base = {"company": str(company.pk)}

    def link(**changes):
        return url_with(request, "lookup-companies", ("status",), **base, **changes)

    page = Paginator(
        company_certificates(company, today, status).select_related(*ROW_RELATED), COMPANY_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return {
        "company": company,
        "company_region": region_name(company.region_code, with_province=True) if company.region_code else "",
        "status": status,
        "status_facet": [
            {
                "value": value,
                "label": label,
                "count": count,
                "selected": value == status,
                "url": link(status=value, page=None),
            }
            for value, label, count in status_counts(company, today)
            if count
        ],
        "results": rows_for(page, today),
        "page": page.number,
        "pages": page.paginator.num_pages,
        "total": page.paginator.count,
        "previous_url": link(page=str(page.previous_page_number())) if page.has_previous() else "",
        "next_url": link(page=str(page.next_page_number())) if page.has_next() else "",
        "clear_url": link(status=None, page=None),
    }


@require_safe
def company_lookup(request):
    """A company by name or credit code: the one it names, with its certificates
    counted by status, or the list of companies that match."""
    context = {"q": clean(request.GET.get("q", ""))}
    if not context["q"] and not request.GET.get("company"):
        return _render(request, "companies.html", context)
    context["searched"] = True
    try:
        company = _company_choice(request, context)
        if company is not None:
            context.update(_company_context(request, company, timezone.localdate()))
    except ValueError as error:
        context["error"] = str(error)
        return _render(request, "companies.html", context, 400)
    except Http404:
        context["unknown"] = True
        return _render(request, "companies.html", context, 404)
    return _render(request, "companies.html", context)


def _choice(request, name, allowed):
    value = request.GET.get(name, "").strip()
    if value and value not in allowed:
        raise ValueError(name)
    return value


@require_safe
def body_directory(request):
    """Certification bodies, filtered by an approved category and a province."""
    categories = list(ProductCategory.objects.order_by("code"))
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    context = {
        "categories": [(category.code, category.name) for category in categories],
        "provinces": [(province.code, province.name) for province in provinces],
    }
    try:
        category = _choice(request, "category", {code for code, _name in context["categories"]})
        province = _choice(request, "region", {code for code, _name in context["provinces"]})
    except ValueError:
        context.update(error=_("Choose the category and the province from the lists."), filters={})
        return _render(request, "bodies.html", context, 400)
    found = list(bodies(timezone.localdate(), category, province))
    context.update(
        bodies=found,
        filters={"category": category, "region": province},
        province_name=region_name(province) if province else "",
        category_name=dict(context["categories"]).get(category, ""),
        clear_url=reverse("lookup-bodies"),
    )
    return _render(request, "bodies.html", context)


@require_safe
def body_page(request, code):
    """One certification body: what it is approved for, its certificates by status
    and where the companies it certifies are."""
    body = get_object_or_404(CertificationBody.objects.prefetch_related("approved_categories"), code=code)
    today = timezone.localdate()
    counts = body_status_counts(body, today)
    search_url = f"{reverse('lookup-home')}?body={body.code}"
    context = {
        "body": body,
        "status_counts": [
            {"value": value, "label": label, "count": count, "url": f"{search_url}&status={value}"}
            for value, label, count in counts
            if count
        ],
        "certificate_count": sum(count for _value, _label, count in counts),
        "provinces": [(code, region_name(code) or code, total) for code, total in body_provinces(body)],
        "listings": body_listings(body, today),
        "search_url": search_url,
    }
    return _render(request, "body.html", context)


def _validity_date(raw, today):
    if not raw:
        return today
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("Give the date as year-month-day, for example 2024-06-30.")) from None
    if day > today:
        raise ValueError(_("That date is in the future: the history can only say what has happened."))
    return day


@require_safe
def validity_check(request):
    """A certificate number and a date (today by default): the status on that day,
    today's status, and what they mean."""
    raw_number = request.GET.get("number", "").strip()
    raw_date = request.GET.get("on", "").strip()
    context = {"number": raw_number, "on": raw_date}
    if not raw_number:
        return _render(request, "validity.html", context)
    today = timezone.localdate()
    try:
        number = validate_certificate_number(raw_number)
    except CodeError as error:
        context["number_error"] = error.message
        return _render(request, "validity.html", context, 400)
    try:
        day = _validity_date(raw_date, today)
    except ValueError as error:
        context["date_error"] = str(error)
        return _render(request, "validity.html", context, 400)
    certificate = Certificate.objects.select_related(*ROW_RELATED).filter(number=number).first()
    if certificate is None:
        context["unknown"] = number
        return _render(request, "validity.html", context, 404)
    status_then = status_on(certificate, day)
    status_now = certificate.effective_status(today)
    [row] = rows_for([certificate], today)
    context.update(
        certificate=certificate,
        row=row,
        product_name=display_product_name(certificate),
        day=day,
        asked_today=day == today,
        status_then=status_then or "",
        status_then_label=Status(status_then).label if status_then else "",
        status_now=status_now,
        status_now_label=Status(status_now).label,
    )
    return _render(request, "validity.html", context)
