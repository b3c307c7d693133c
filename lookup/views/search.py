"""Searching through the lookup engine for a page a person reads: the "search
everything" results and the product lookup share it.

:func:`engine_search` turns the request into a query, asks the engine and answers
with a :class:`SearchOutcome`: the context to render and its HTTP status (400 for a
malformed code or filter, 404 for a well-formed code that names nothing, 503 when
the engine cannot answer) or the address to redirect to (a code that names one
certificate, a page past the last).
"""

import math
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from lookup.codes import CodeError, CodeKind
from lookup.engines.base import EngineUnavailable, get_engine
from lookup.engines.query import QueryError, build_query
from lookup.models import Certificate, CertificationBody, ProductCategory, ProductGroup, Region, Status, TraceCode
from lookup.regions import region_name

from .links import url_with
from .rows import certificate_rows

PAGE_SIZE = 20


@dataclass
class SearchOutcome:
    context: dict
    status: int = 200
    redirect_to: str = ""


@dataclass(frozen=True)
class SearchForm:
    """One search page: its URL name, the filters it offers and the facets it shows."""

    url_name: str
    filters: tuple
    facets: tuple
    text_parameter: str = "q"
    parameters: tuple = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "parameters", (self.text_parameter, *self.filters))


def filter_choices(names):
    """Filter name → list of (value, label) for the select boxes of ``names``."""
    sources = {
        "group": lambda: [(group.number, group.name) for group in ProductGroup.objects.all()],
        "category": lambda: [(category.code, category.name) for category in ProductCategory.objects.all()],
        "status": lambda: list(Status.choices),
        "body": lambda: [(body.code, body.name) for body in CertificationBody.objects.all()],
        "region": lambda: [
            (region.code, region.name) for region in Region.objects.filter(level=Region.Level.PROVINCE)
        ],
    }
    return {name: sources[name]() for name in names}


def _facet_label(name, value, choices):
    if name == "region":
        return region_name(value) or value
    return dict(choices.get(name, [])).get(value, value)


def _facets(request, form, results, choices, filters):
    facets = []
    for name in form.facets:
        values = [
            {
                "value": value,
                "count": count,
                "label": _facet_label(name, value, choices),
                "url": url_with(request, form.url_name, form.parameters, **{name: value, "page": None}),
                "selected": filters.get(name) == value,
            }
            for value, count in results.facets.get(name, [])
        ]
        if values:
            facets.append({"name": name, "values": values})
    return facets


def code_target(code):
    """The certificate number a certificate number or trace code names, from the
    registry itself (so it answers even when the search index is down)."""
    if code.kind is CodeKind.CERTIFICATE:
        return Certificate.objects.filter(number=code.value).values_list("number", flat=True).first()
    if code.kind is CodeKind.TRACE:
        return TraceCode.objects.filter(code=code.value).values_list("certificate__number", flat=True).first()
    return None


def _unfiltered_total(engine, query):
    """How many certificates the text matches with no filter, to explain an empty
    filtered result (for instance: they are all withdrawn)."""
    query.categories = query.groups = query.statuses = query.bodies = query.regions = ()
    query.page, query.facets, query.highlight = 1, True, False
    return engine.search(query)


def engine_search(request, form, choices):
    """Run the search ``form`` describes on the request's parameters."""
    q = request.GET.get(form.text_parameter, "").strip()
    filters = {name: request.GET.get(name, "").strip() for name in form.filters}
    context = {"q": q, "filters": filters, "choices": choices, "searched": bool(q or any(filters.values()))}
    if not context["searched"]:
        return SearchOutcome(context)
    today = timezone.localdate()
    try:
        query = build_query(
            q,
            **{name: value or None for name, value in filters.items()},
            page=request.GET.get("page") or None,
            page_size=PAGE_SIZE,
            today=today,
        )
    except CodeError as error:
        context["code_error"] = error.message
        return SearchOutcome(context, 400)
    except QueryError as error:
        context["filter_error"] = error.message
        return SearchOutcome(context, 400)

    if query.code is not None:
        number = code_target(query.code)
        if number:
            return SearchOutcome(context, redirect_to=reverse("lookup-certificate", kwargs={"number": number}))

    engine = get_engine()
    try:
        results = engine.search(query)
        if query.code is not None and results.total == 0:
            context["unknown_code"] = query.code
            return SearchOutcome(context, 404)
        if results.total == 0 and query.has_text and any(filters.values()):
            unfiltered = _unfiltered_total(engine, query)
            context["unfiltered_total"] = unfiltered.total
            context["unfiltered_statuses"] = [
                {"value": value, "label": Status(value).label, "count": count}
                for value, count in unfiltered.facets.get("status", [])
            ]
    except EngineUnavailable:
        context["unavailable"] = True
        return SearchOutcome(context, 503)

    def link(**changes):
        return url_with(request, form.url_name, form.parameters, **changes)

    pages = max(1, math.ceil(results.total / PAGE_SIZE))
    if query.page > pages:
        return SearchOutcome(context, redirect_to=link(page=str(pages) if pages > 1 else None))
    context.update(
        results=certificate_rows(results.numbers, today),
        total=results.total,
        degraded=results.degraded,
        facets=_facets(request, form, results, choices, filters),
        page=query.page,
        pages=pages,
        previous_url=link(page=str(query.page - 1)) if query.page > 1 else "",
        next_url=link(page=str(query.page + 1)) if query.page < pages else "",
        clear_url=link(**dict.fromkeys(form.filters), page=None),
        filtered=any(filters.values()),
    )
    return SearchOutcome(context)
