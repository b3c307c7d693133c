"""The reporting API: a certification body writes its own certificates with an API key.

Creating and updating go through the bulk importer, one row at a time, so a record
sent here is checked exactly as a row of an imported file is (codes, reference data,
dates, organisations, ownership) and is recorded as an import run from the API.
Status changes go through :func:`lookup.status.change_status`. A key may touch only
its own body's certificates: 403 for another body's, 404 for an unknown number.
"""

import csv
import io
import logging

from ninja import Router, Status
from ninja.errors import AuthorizationError

from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from lookup import status as status_rules
from lookup.codes import validate_certificate_number
from lookup.importer import import_file
from lookup.importer.columns import COLUMNS, ORGANISATION_FIELDS, ORGANISATION_ROLES
from lookup.models import CertificationBody, ImportRun, StatusChange
from lookup.trace import (
    TraceIssueError,
    display_product_name,
    issue_trace_codes,
    trace_codes_csv_response,
    trace_url,
)

from .auth import BodyTokenAuth
from .errors import ApiError, not_found
from .public import validated
from .records import certificate_record, certificates
from .schemas import CertificateIn, CertificateOut, CertificatePatch, ErrorOut, StatusIn, TraceCodeOut, TraceCodesIn

logger = logging.getLogger(__name__)

router = Router(tags=["reporting"], auth=BodyTokenAuth())

# Fields that change only with the status, through the status endpoint.
STATUS_FIELDS = ("status", "status_changed_on", "status_reason")
LIST_FIELDS = ("rules", "standards", "models")
CSV_TYPE = "text/csv"


def _active_body(request):
    token = request.auth
    if token.body.status != CertificationBody.Status.ACTIVE:
        raise ApiError(
            403,
            "body_not_active",
            _("Certification body %(code)s is %(status)s and cannot report.")
            % {"code": token.body.code, "status": token.body.get_status_display()},
        )
    return token.body


def _own_certificate(request, number):
    """The certificate ``number`` of the key's body: 400 malformed, 404 unknown, 403 not ours."""
    body = _active_body(request)
    value = validated(validate_certificate_number, number, "number")
    certificate = certificates().filter(number=value).first()
    if certificate is None:
        raise not_found(_("No certificate has the number %(number)s.") % {"number": value}, "number")
    if certificate.body_id != body.pk:
        raise AuthorizationError()
    return certificate


# --- records as rows of the exchange format --------------------------------------


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _check_list_items(data):
    for name in LIST_FIELDS:
        for item in data.get(name) or []:
            if ";" in item or "；" in item:
                raise ApiError(
                    400, "invalid", _("An item of %(field)s cannot contain “;”.") % {"field": name}, field=name
                )


def _row_from_payload(data):
    """A record in the API's shape → one row of the bulk exchange format."""
    _check_list_items(data)
    row = {}
    for column in COLUMNS:
        role, _sep, name = column.partition("_")
        if role in ORGANISATION_ROLES and name in ORGANISATION_FIELDS:
            row[column] = _cell((data.get(role) or {}).get(name))
        else:
            row[column] = _cell(data.get(column))
    return row


def _organisation_payload(organisation):
    if organisation is None:
        return None
    return {
        "name": organisation.name_zh,
        "name_en": organisation.name_en,
        "address": organisation.address,
        "address_en": organisation.address_en,
        "uscc": organisation.uscc or organisation.registration_number,
        "region": organisation.region_code,
        "country": organisation.country,
        "latitude": organisation.latitude,
        "longitude": organisation.longitude,
    }


def _stored_payload(certificate):
    """A stored certificate in the API's input shape, for partial updates."""
    return {
        "number": certificate.number,
        "status": certificate.status,
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
        "models": certificate.product_models,
        "brand": certificate.brand,
        "category": certificate.category.code,
        "body": certificate.body.code,
        "mark": certificate.mark,
        "accreditation_mark": certificate.accreditation_mark,
        "energy_saving_kwh_per_year": certificate.energy_saving_kwh_per_year,
        "client": _organisation_payload(certificate.client),
        "producer": _organisation_payload(certificate.producer),
        "manufacturer": _organisation_payload(certificate.manufacturer),
    }


def _json_field(column):
    """``client_name`` → ``client.name``; other columns are the JSON field names."""
    for role in ORGANISATION_ROLES:
        if column.startswith(f"{role}_"):
            return f"{role}.{column[len(role) + 1 :]}"
    return column or None


def _write(request, data, number):
    """Import ``data`` as a one-row file for the key's body; return the certificate."""
    token = request.auth
    row = _row_from_payload(data)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    with transaction.atomic():
        run = import_file(
            io.BytesIO(buffer.getvalue().encode()),
            name=f"api-{number}.csv",
            origin=ImportRun.Source.API,
            user=token.created_by,
            body=token.body,
        )
        if run.outcome != ImportRun.Outcome.IMPORTED:
            errors = run.errors or [{"field": "", "reason": _("The record was refused.")}]
            first = errors[0]
            message = first["reason"]
            if len(errors) > 1:
                message = _("%(message)s (and %(count)s more problems)") % {
                    "message": message,
                    "count": len(errors) - 1,
                }
            raise ApiError(400, "invalid", message, _json_field(first["field"]))
        # The importer records a new certificate's first status as from an import.
        StatusChange.objects.filter(
            certificate__number=number, source=StatusChange.Source.IMPORT, recorded_at__gte=run.started_at
        ).update(source=StatusChange.Source.API)
    return certificates().get(number=number), run


def _audit(request, certificate, action, **data):
    """Wagtail's audit log when the key has a person behind it; Python logging always."""
    token = request.auth
    logger.info(
        "API key %s (%s, body %s): %s %s %s",
        token.key_prefix,
        token.name,
        token.body.code,
        action,
        certificate.number,
        data or "",
    )
    if token.created_by is not None:
        log(certificate, action, user=token.created_by, data={"api_token": token.key_prefix, **data})


# --- endpoints ---------------------------------------------------------------------


@router.post(
    "/certificates/",
    response={201: CertificateOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    url_name="reporting-certificates",
    summary="Report a new certificate",
)
def create_certificate(request, payload: CertificateIn):
    """Checked as a row of a bulk import. ``body`` defaults to the key's body; the body
    and category codes in the number must match."""
    body = _active_body(request)
    data = payload.dict()
    number = validated(validate_certificate_number, data["number"], "number")
    data["number"] = number
    data["body"] = (data.get("body") or body.code).strip()
    if data["body"] != body.code or number[5:8] != body.code:
        raise ApiError(
            403,
            "forbidden",
            _("This API key reports for body %(code)s only.") % {"code": body.code},
            "body" if data["body"] != body.code else "number",
        )
    if certificates().filter(number=number).exists():
        raise ApiError(
            409,
            "exists",
            _("Certificate %(number)s already exists: update it with PUT or PATCH.") % {"number": number},
            "number",
        )
    certificate, run = _write(request, data, number)
    _audit(request, certificate, "wagtail.create", import_run=run.pk)
    return Status(201, certificate_record(certificate))


def _update(request, certificate, data):
    certificate, run = _write(request, data, certificate.number)
    _audit(request, certificate, "wagtail.edit", import_run=run.pk)
    return certificate_record(certificate)


@router.put(
    "/certificates/{number}/",
    response={200: CertificateOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="reporting-certificate",
    summary="Replace a certificate's record",
)
def replace_certificate(request, number: str, payload: CertificateIn):
    """The whole record; fields left out are emptied. The status cannot change here:
    use the status endpoint, which keeps the history."""
    certificate = _own_certificate(request, number)
    data = payload.dict()
    sent_number = validated(validate_certificate_number, data["number"], "number")
    if sent_number != certificate.number:
        raise ApiError(400, "invalid", _("The number in the body is not the number in the address."), "number")
    stored = _stored_payload(certificate)
    for name in STATUS_FIELDS:
        if name in payload.model_fields_set and data[name] != stored[name]:
            raise ApiError(
                400,
                "status_field",
                _("Change the status with POST …/%(number)s/status, which keeps its history.")
                % {"number": certificate.number},
                name,
            )
        data[name] = stored[name]
    data["number"] = certificate.number
    data["body"] = certificate.body.code
    return _update(request, certificate, data)


@router.patch(
    "/certificates/{number}/",
    response={200: CertificateOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="reporting-certificate-patch",
    summary="Change some fields of a certificate",
)
def update_certificate(request, number: str, payload: CertificatePatch):
    """Only the fields sent change; an organisation sent replaces that organisation."""
    certificate = _own_certificate(request, number)
    data = _stored_payload(certificate)
    changes = payload.dict(exclude_unset=True)
    data.update(changes)
    return _update(request, certificate, data)


@router.post(
    "/certificates/{number}/status",
    response={200: CertificateOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="reporting-certificate-status",
    summary="Change a certificate's status",
)
def change_certificate_status(request, number: str, payload: StatusIn):
    """Suspend, restore, withdraw or revoke, with a reason and the date it took effect
    (today by default). Refused when the rules do not allow the change, e.g. a revoked
    certificate never becomes valid again."""
    certificate = _own_certificate(request, number)
    old = certificate.status
    try:
        with transaction.atomic():
            status_rules.change_status(
                certificate,
                payload.status,
                changed_on=payload.date,
                reason=payload.reason,
                user=request.auth.created_by,
                source=StatusChange.Source.API,
            )
    except status_rules.StatusTransitionError as error:
        raise ApiError(400, error.code, str(error), "status") from None
    certificate = certificates().get(pk=certificate.pk)
    _audit(request, certificate, "wagtail.edit", status={"from": old, "to": certificate.status})
    return certificate_record(certificate)


def wants_csv(request):
    return request.GET.get("format") == "csv" or CSV_TYPE in request.headers.get("Accept", "")


@router.post(
    "/certificates/{number}/trace-codes",
    response={201: list[TraceCodeOut], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="reporting-trace-codes",
    summary="Issue trace codes for a certificate",
    openapi_extra={
        "responses": {
            201: {"content": {CSV_TYPE: {"schema": {"type": "string"}}}},
        },
        "parameters": [
            {
                "in": "query",
                "name": "format",
                "required": False,
                "schema": {"type": "string", "enum": ["json", "csv"]},
                "description": "csv for a CSV file (code, url, certificate, product); also Accept: text/csv.",
            }
        ],
    },
)
def request_trace_codes(request, number: str, payload: TraceCodesIn):
    """From 1 to 10,000 new codes, one per product unit. Refused for a withdrawn,
    revoked or expired certificate."""
    certificate = _own_certificate(request, number)
    try:
        traces = issue_trace_codes(certificate, payload.count, user=request.auth.created_by)
    except TraceIssueError as error:
        raise ApiError(400, error.code, error.message, "count") from None
    _audit(request, certificate, "lookup.issue_trace_codes", count=len(traces))
    if wants_csv(request):
        return trace_codes_csv_response(traces, certificate, display_product_name(certificate), status=201)
    product = display_product_name(certificate)
    return Status(
        201,
        [
            {
                "code": trace.code,
                "url": trace_url(trace.code),
                "certificate": certificate.number,
                "product": product,
                "issued_at": trace.issued_at,
            }
            for trace in traces
        ],
    )
