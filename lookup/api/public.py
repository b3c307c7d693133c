"""Anonymous, read-only endpoints of the lookup contract."""

from ninja import Query, Router, Schema
from pydantic import Field

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lookup.codes import CodeError, validate_certificate_number, validate_trace_code
from lookup.engines.base import EngineUnavailable, get_engine

from .errors import ApiError, not_found
from .language import LANG_DESCRIPTION, reader_language
from .records import certificate_record, certificates, trace_codes, trace_record
from .schemas import CertificateOut, ErrorOut, TraceOut

router = Router(tags=["lookup"])

AUTOCOMPLETE_MAX_LENGTH = 50
AUTOCOMPLETE_MAX_LIMIT = 20


class AutocompleteOut(Schema):
    suggestions: list[str] = Field(
        description="Product names, brands, company names and models beginning with the prefix (or with a word "
        "that does), most common first. Plain text: escape it before putting it in HTML."
    )


def validated(validate, raw, field):
    """``validate(raw)``; a :class:`CodeError` names ``field`` in the error answer."""
    try:
        return validate(raw)
    except CodeError as error:
        error.field = field
        raise


@router.get(
    "/certificates/{number}/",
    response={200: CertificateOut, 400: ErrorOut, 404: ErrorOut},
    url_name="certificate",
    summary="A certificate, its organisations and its status history",
)
def get_certificate(
    request, number: str, response: HttpResponse, lang: str | None = Query(None, description=LANG_DESCRIPTION)
):
    """The number is normalised first: spaces and hyphens dropped, full-width characters
    folded, lower case raised. A malformed number is a 400, an unknown one a 404."""
    with reader_language(lang, response):
        value = validated(validate_certificate_number, number, "number")
        certificate = certificates().filter(number=value).first()
        if certificate is None:
            raise not_found(_("No certificate has the number %(number)s.") % {"number": value}, "number")
        return certificate_record(certificate)


@router.get(
    "/trace/{code}/",
    response={200: TraceOut, 400: ErrorOut, 404: ErrorOut},
    url_name="trace",
    summary="A trace code and its certificate",
)
def get_trace(
    request, code: str, response: HttpResponse, lang: str | None = Query(None, description=LANG_DESCRIPTION)
):
    """Reading a code here does not count as a scan; only the public trace page counts."""
    with reader_language(lang, response):
        value = validated(validate_trace_code, code, "code")
        trace = trace_codes().filter(code=value).first()
        if trace is None:
            raise not_found(_("No product has the trace code %(code)s.") % {"code": value}, "code")
        return trace_record(trace)


@router.get(
    "/autocomplete/",
    response={200: AutocompleteOut, 400: ErrorOut, 503: ErrorOut},
    url_name="autocomplete",
    summary="Suggestions for a search box",
)
def autocomplete(
    request,
    response: HttpResponse,
    q: str = Query("", description=f"What the reader has typed so far, at most {AUTOCOMPLETE_MAX_LENGTH} characters."),
    limit: int = Query(8, ge=1, le=AUTOCOMPLETE_MAX_LIMIT, description="How many suggestions, at most."),
    lang: str | None = Query(None, description=LANG_DESCRIPTION),
):
    """An empty prefix has no suggestions; an over-long one is a 400; a 503 when the
    lookup engine cannot answer."""
    with reader_language(lang, response):
        prefix = q.strip()
        if len(prefix) > AUTOCOMPLETE_MAX_LENGTH:
            raise ApiError(
                400,
                "too_long",
                _("q may be at most %(maximum)s characters long.") % {"maximum": AUTOCOMPLETE_MAX_LENGTH},
                "q",
            )
        if not prefix:
            return {"suggestions": []}
        try:
            return {"suggestions": get_engine().autocomplete(prefix, limit=limit)}
        except EngineUnavailable:
            raise ApiError(503, "unavailable", _("The lookup is unavailable just now: try again shortly.")) from None
