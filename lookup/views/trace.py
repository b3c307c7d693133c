"""The short trace page, ``/t/<code>``: what a shopper sees after scanning a label."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lookup import trace_pages
from lookup.codes import CodeError, validate_trace_code
from lookup.ratelimit import count_now, counted_by_view


@counted_by_view
@never_cache
@require_safe
def trace_landing(request, code):
    """Status first, then what was certified and by whom. A malformed code is a 400
    that says what is wrong; a well-formed code nobody issued is a 404. Each GET
    counts one scan. The page of a found code comes from the cache when it can
    (see :mod:`lookup.trace_pages` for how fresh it is); reading it counts the
    request against the rate limit too, and any other path counts it first."""
    context = {"raw_code": code, "official_host": trace_pages.official_host()}
    try:
        value = validate_trace_code(code)
    except CodeError as error:
        count_now(request)
        context["error"] = error
        return render(request, trace_pages.TEMPLATE, context, status=400)
    # Only the code as printed has a cached page: a typed variant's page names its own address.
    as_printed = value == code
    html = trace_pages.serve_cached(request, value) if as_printed else None
    if html is not None:
        return HttpResponse(html)
    count_now(request)
    trace = trace_pages.find_trace(value)
    if trace is None:
        context["code"] = value
        return render(request, trace_pages.TEMPLATE, context, status=404)
    html = trace_pages.serve_certificate_page(request, trace) if as_printed else None
    return HttpResponse(html or trace_pages.render_page(request, trace, store=as_printed))
