"""One shape for every error the API returns::

    {"error": {"code": "bad_length", "message": "A trace code has 23 characters…", "field": "code"}}

``code`` is a stable machine word, ``message`` is in the reader's language and says
what is wrong, ``field`` names the parameter or body field at fault (or is null).
"""

from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from django.http import Http404
from django.utils.translation import gettext as _

from lookup.codes import CodeError


class ApiError(Exception):
    """Raise from an endpoint to answer with the error shape and ``status``."""

    def __init__(self, status, code, message, field=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = str(message)
        self.field = field
        self.headers = headers or {}


def not_found(message, field=None):
    return ApiError(404, "not_found", message, field)


def error_body(code, message, field=None):
    return {"error": {"code": code, "message": str(message), "field": field}}


def _field_of(location):
    """``["body", "payload", "client", "name"]`` → ``client.name``."""
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header", "form"}:
        parts = parts[1:]
        if parts and parts[0] == "payload":
            parts = parts[1:]
    return ".".join(parts) or None


def install_error_handlers(api):
    def respond(request, status, code, message, field=None, headers=None):
        response = api.create_response(request, error_body(code, message, field), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc):
        return respond(request, exc.status, exc.code, exc.message, exc.field, exc.headers)

    @api.exception_handler(CodeError)
    def code_error(request, exc):
        field = getattr(exc, "field", None) or (exc.kind.value if exc.kind else None)
        return respond(request, 400, exc.code, exc.message, field)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc):
        first = exc.errors[0] if exc.errors else {}
        field = _field_of(first.get("loc", ()))
        message = first.get("msg", _("The request is not valid."))
        if field:
            message = _("%(field)s: %(message)s") % {"field": field, "message": message}
        return respond(request, 400, "invalid", message, field)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        return respond(
            request,
            401,
            "unauthorized",
            _("Send a valid API key in the header “Authorization: Bearer <key>”."),
            headers={"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(AuthorizationError)
    def forbidden(request, exc):
        return respond(request, 403, "forbidden", _("This API key may not do that."))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        headers = {"Retry-After": str(int(exc.wait))} if exc.wait else {}
        return respond(request, 429, "rate_limited", _("Too many requests: try again later."), headers=headers)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if exc.status_code == 400:  # django-ninja's only one: a body it cannot parse
            return respond(request, 400, "invalid_body", _("The request body is not valid JSON."))
        return respond(request, exc.status_code, "error", exc.message)

    @api.exception_handler(Http404)
    def http_404(request, exc):
        return respond(request, 404, "not_found", _("Not found."))
