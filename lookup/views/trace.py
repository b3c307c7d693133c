"""The short trace page, ``/t/<code>``: what a shopper sees after scanning a label."""

from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lookup.codes import CodeError, validate_trace_code
from lookup.models import Status, TraceCode
from lookup.trace import display_product_name, record_scan

TEMPLATE = "lookup/trace_landing.html"


def official_host():
    return urlsplit(settings.SITE_URL).hostname or ""


@never_cache
@require_safe
def trace_landing(request, code):
    """Status first, then what was certified and by whom. A malformed code is a 400
    that says what is wrong; a well-formed code nobody issued is a 404. Each GET
    counts one scan."""
    context = {"raw_code": code, "official_host": official_host()}
    try:
        value = validate_trace_code(code)
    except CodeError as error:
        context["error"] = error
        return render(request, TEMPLATE, context, status=400)
    context["code"] = value
    trace = TraceCode.objects.select_related("certificate__client", "certificate__body").filter(code=value).first()
    if trace is None:
        return render(request, TEMPLATE, context, status=404)
    if request.method == "GET":
        record_scan(trace)
    certificate = trace.certificate
    status = certificate.effective_status()
    context.update(
        trace=trace,
        certificate=certificate,
        status=status,
        status_label=Status(status).label,
        product_name=display_product_name(certificate),
    )
    return render(request, TEMPLATE, context)
