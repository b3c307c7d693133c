"""The "Spot checks and blacklist" lookup: a company, product or credit code against
the published spot-check results and the blacklist."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lookup.flags import BLACKLIST, SPOT_CHECK_FAILED, entry_anchor
from lookup.models import SpotCheck
from lookup.supervision import SupervisionQueryError, SupervisionSearch, blacklist, parse_search, result_counts
from lookup.supervision import spot_checks as matching_spot_checks

from .links import url_with

TEMPLATE = "lookup/pages/supervision.html"
CHECKS_PER_PAGE = 25
PARAMETERS = ("q", "result")


@require_safe
def supervision_lookup(request):
    """Blacklist entries (those in force first) and spot-check results, with a result
    facet; a search for a party that has neither says so plainly."""
    q = request.GET.get("q", "").strip()
    context = {"q": q, "result": request.GET.get("result", "").strip(), "results": SpotCheck.Result.choices}
    try:
        search = parse_search(q, context["result"])
    except SupervisionQueryError as error:
        context.update(error=error.message, search=SupervisionSearch())
        return render(request, TEMPLATE, context, status=400)
    checks = matching_spot_checks(search)
    facet = [
        {
            "value": value,
            "label": label,
            "count": count,
            "selected": value == search.result,
            "url": url_with(request, "lookup-supervision", PARAMETERS, result=value, page=None),
        }
        for value, label, count in result_counts(checks)
    ]
    if search.result:
        checks = checks.filter(result=search.result)
    current, past = blacklist(search)
    page = Paginator(checks, CHECKS_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        search=search,
        current_blacklist=[(entry_anchor(BLACKLIST, entry.pk), entry) for entry in current],
        past_blacklist=[(entry_anchor(BLACKLIST, entry.pk), entry) for entry in past],
        checks=[(entry_anchor(SPOT_CHECK_FAILED, check.pk), check) for check in page],
        checks_page=page,
        result_facet=facet,
        clear_url=url_with(request, "lookup-supervision", PARAMETERS, result=None, page=None),
        previous_url=url_with(request, "lookup-supervision", PARAMETERS, page=str(page.previous_page_number()))
        if page.has_previous()
        else "",
        next_url=url_with(request, "lookup-supervision", PARAMETERS, page=str(page.next_page_number()))
        if page.has_next()
        else "",
    )
    return render(request, TEMPLATE, context)
