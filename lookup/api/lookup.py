"""``GET /api/v1/lookup/``: search the registry through the configured lookup engine.

``q`` is free text or a code; a code (certificate number, trace code, USCC) answers
its record(s) first, a malformed code is a 400 saying what is wrong, a well-formed
code that names nothing is a 404. Filters take codes, several comma-separated:
``scenario`` (product group number), ``category``, ``status``, ``body``, ``region``
(a province code ending in 0000 covers its prefectures). See docs/lookup-engines.md.
"""

from datetime import date

from ninja import Query, Router, Schema
from pydantic import Field

from django.conf import settings
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from lookup.codes import CodeError
from lookup.engines.base import EngineUnavailable, get_engine
from lookup.engines.query import MAX_PAGE_SIZE, QueryError, build_query
from lookup.models import Certificate
from lookup.trace import display_product_name

from .errors import ApiError
from .language import LANG_DESCRIPTION, reader_language
from .schemas import ErrorOut, NamedCode

router = Router(tags=["lookup"])

# The page a person reads about one certificate, when the site has one; otherwise
# the API's record.
CERTIFICATE_PAGE_URL_NAMES = ("lookup-certificate", "api-v1:certificate")


class LookupResult(Schema):
    number: str
    status: str = Field(description="Effective status: a valid certificate past its expiry date is expired.")
    product_name: str = Field(description="In the reader's language, falling back to Chinese.")
    brand: str
    models: list[str]
    client_name: str = Field(description="In the reader's language, falling back to the registered name.")
    body: NamedCode
    category: NamedCode
    issued_on: date
    expires_on: date
    url: str


class FacetValue(Schema):
    value: str
    count: int


class LookupFacets(Schema):
    category: list[FacetValue]
    status: list[FacetValue]
    body: list[FacetValue]
    region: list[FacetValue] = Field(description="Province codes of the clients.")


class LookupOut(Schema):
    count: int
    results: list[LookupResult]
    facets: LookupFacets
    degraded: bool = Field(
        False,
        description="True when the search index could not be reached: code lookups still answer from the "
        "registry, but a text search may miss certificates. `message` then says so.",
    )
    message: str = Field("", description="What the reader should know about a degraded answer.")


def certificate_url(number):
    for name in CERTIFICATE_PAGE_URL_NAMES:
        try:
            path = reverse(name, kwargs={"number": number})
        except NoReverseMatch:
            continue
        return settings.SITE_URL.rstrip("/") + path
    return ""


def lookup_result(certificate, today):
    return {
        "number": certificate.number,
        "status": certificate.effective_status(today),
        "product_name": display_product_name(certificate),
        "brand": certificate.brand,
        "models": certificate.product_models,
        "client_name": certificate.client.name,
        "body": {"code": certificate.body.code, "name": certificate.body.name},
        "category": {"code": certificate.category.code, "name": certificate.category.name},
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "url": certificate_url(certificate.number),
    }


def _query(request, q, scenario, category, status, body, region, page, page_size):
    try:
        return build_query(
            q,
            group=scenario,
            category=category,
            status=status,
            body=body,
            region=region,
            page=page,
            page_size=page_size,
            today=date.today(),
        )
    except CodeError as error:
        error.field = "q"
        raise
    except QueryError as error:
        raise ApiError(400, error.code, error.message, error.field) from None


@router.get(
    "/lookup/",
    response={200: LookupOut, 400: ErrorOut, 404: ErrorOut, 503: ErrorOut},
    url_name="lookup",
    summary="Search certificates by text or code, with filters and facet counts",
)
def lookup(
    request,
    response: HttpResponse,
    q: str = Query(
        "", description="Free text (product, brand, model, company) or a certificate number, trace code or USCC."
    ),
    scenario: str | None = Query(None, description="Product group number(s), e.g. 01; comma-separated."),
    category: str | None = Query(None, description="Product category code(s), e.g. 011; comma-separated."),
    status: str | None = Query(None, description="valid, suspended, withdrawn, revoked or expired; comma-separated."),
    body: str | None = Query(None, description="Certification body code(s), e.g. 001; comma-separated."),
    region: str | None = Query(None, description="Region code(s): a province (370000) or prefecture (370200)."),
    page: str | None = Query(None, description="Page number, from 1."),
    page_size: str | None = Query(None, description=f"Results per page, at most {MAX_PAGE_SIZE} (default 20)."),
    lang: str | None = Query(None, description=LANG_DESCRIPTION),
):
    """Valid certificates come first, then by relevance, then the newest. Facets
    count the whole filtered result."""
    with reader_language(lang, response):
        query = _query(request, q, scenario, category, status, body, region, page, page_size)
        engine = get_engine()
        try:
            results = engine.search(query)
            if query.code is not None and results.total == 0 and not engine.lookup_code(query.code):
                raise ApiError(
                    404,
                    "not_found",
                    _("No certificate is known under %(code)s.") % {"code": query.code.value},
                    "q",
                )
        except EngineUnavailable:
            raise ApiError(503, "unavailable", _("The lookup is unavailable just now: try again shortly.")) from None
        certificates = Certificate.objects.select_related("body", "category", "client").in_bulk(
            results.numbers, field_name="number"
        )
        return {
            "count": results.total,
            "results": [
                lookup_result(certificates[number], query.today)
                for number in results.numbers
                if number in certificates
            ],
            "facets": {
                name: [{"value": value, "count": count} for value, count in results.facets.get(name, [])]
                for name in ("category", "status", "body", "region")
            },
            "degraded": results.degraded,
            "message": _(
                "The full-text search is unavailable just now, so this answer may be incomplete: "
                "certificate numbers, trace codes and credit codes still answer in full."
            )
            if results.degraded
            else "",
        }
