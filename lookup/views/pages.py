"""The lookup search page.

It is server-rendered and works without JavaScript. The search asks the configured
lookup engine (``lookup.engines``); a certificate number or trace code that names a
certificate goes straight to that certificate's page.
"""

import math

from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from lookup.codes import CodeError, CodeKind
from lookup.engines.base import EngineUnavailable, get_engine
from lookup.engines.query import QueryError, build_query
from lookup.models import Certificate, CertificationBody, ProductCategory, ProductGroup, Region, Status, TraceCode
from lookup.regions import region_name
from lookup.trace import display_product_name

HOME_TEMPLATE = "lookup/pages/home.html"
PAGE_SIZE = 20
FILTERS = ("group", "category", "status", "body", "region")
FACETS = ("status", "category", "body", "region")


def _filter_values(request):
    return {name: request.GET.get(name, "").strip() for name in FILTERS}


def _url_with(request, **changes):
    """The search page's address with ``changes`` applied to the current query
    (a value of None drops the parameter) and the page reset unless given."""
    params = QueryDict(mutable=True)
    for key, value in request.GET.items():
        if value and key in ("q", *FILTERS):
            params[key] = value
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return reverse("lookup-home") + (f"?{encoded}" if encoded else "")


def _filter_choices():
    return {
        "group": [(group.number, group.name) for group in ProductGroup.objects.all()],
        "category": [(category.code, category.name) for category in ProductCategory.objects.all()],
        "status": list(Status.choices),
        "body": [(body.code, body.name) for body in CertificationBody.objects.all()],
        "region": [(region.code, region.name) for region in Region.objects.filter(level=Region.Level.PROVINCE)],
    }


def _facet_label(name, value, choices):
    if name == "region":
        return region_name(value) or value
    return dict(choices.get(name, [])).get(value, value)


def _facets(request, results, choices, filters):
    facets = []
    for name in FACETS:
        values = [
            {
                "value": value,
                "count": count,
                "label": _facet_label(name, value, choices),
                "url": _url_with(request, **{name: value, "page": None}),
                "selected": filters[name] == value,
            }
            for value, count in results.facets.get(name, [])
        ]
        if values:
            facets.append({"name": name, "values": values})
    return facets


def _code_target(code):
    """The certificate number a certificate number or trace code names, from the
    registry itself (so it answers even when the search index is down)."""
    if code.kind is CodeKind.CERTIFICATE:
        return Certificate.objects.filter(number=code.value).values_list("number", flat=True).first()
    if code.kind is CodeKind.TRACE:
        return TraceCode.objects.filter(code=code.value).values_list("certificate__number", flat=True).first()
    return None


def _rows(numbers, today):
    found = Certificate.objects.select_related("body", "category", "client").in_bulk(numbers, field_name="number")
    rows = []
    for number in numbers:
        certificate = found.get(number)
        if certificate is None:
            continue
        status = certificate.effective_status(today)
        rows.append(
            {
                "certificate": certificate,
                "status": status,
                "status_label": Status(status).label,
                "product_name": display_product_name(certificate),
            }
        )
    return rows


@require_safe
def lookup_home(request):
    """Search by code or words, filter, follow facets; a code that names a
    certificate redirects to its page."""
    q = request.GET.get("q", "").strip()
    filters = _filter_values(request)
    choices = _filter_choices()
    context = {"q": q, "filters": filters, "choices": choices, "searched": bool(q or any(filters.values()))}
    if not context["searched"]:
        return render(request, HOME_TEMPLATE, context)
    today = timezone.localdate()
    try:
        query = build_query(
            q,
            group=filters["group"] or None,
            category=filters["category"] or None,
            status=filters["status"] or None,
            body=filters["body"] or None,
            region=filters["region"] or None,
            page=request.GET.get("page") or None,
            page_size=PAGE_SIZE,
            today=today,
        )
    except CodeError as error:
        context["code_error"] = error.message
        return render(request, HOME_TEMPLATE, context, status=400)
    except QueryError as error:
        context["filter_error"] = error.message
        return render(request, HOME_TEMPLATE, context, status=400)

    if query.code is not None:
        number = _code_target(query.code)
        if number:
            return redirect("lookup-certificate", number=number)

    engine = get_engine()
    try:
        results = engine.search(query)
        if query.code is not None and results.total == 0:
            context["unknown_code"] = query.code
            return render(request, HOME_TEMPLATE, context, status=404)
    except EngineUnavailable:
        context["unavailable"] = True
        return render(request, HOME_TEMPLATE, context, status=503)

    pages = max(1, math.ceil(results.total / PAGE_SIZE))
    if query.page > pages:
        return redirect(_url_with(request, page=str(pages) if pages > 1 else None))
    context.update(
        results=_rows(results.numbers, today),
        total=results.total,
        degraded=results.degraded,
        facets=_facets(request, results, choices, filters),
        page=query.page,
        pages=pages,
        previous_url=_url_with(request, page=str(query.page - 1)) if query.page > 1 else "",
        next_url=_url_with(request, page=str(query.page + 1)) if query.page < pages else "",
        clear_url=_url_with(request, **dict.fromkeys(FILTERS), page=None),
    )
    return render(request, HOME_TEMPLATE, context)
