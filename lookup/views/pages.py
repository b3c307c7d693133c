"""The lookup home: the reader's situations as cards, and "search everything".

``/<lang>/lookup/`` with no query shows the scenarios (each its own page, see
:mod:`lookup.views.scenarios`) and one search box; with ``?q=`` or a filter it is the
result page of that box, the address the site header's search and the API contract
link to. Server-rendered, it works without JavaScript; a certificate number or trace
code that names a certificate goes straight to that certificate's page.
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .search import SearchForm, engine_search, filter_choices

HOME_TEMPLATE = "lookup/pages/home.html"
SEARCH_TEMPLATE = "lookup/pages/search.html"
EVERYTHING = SearchForm(
    url_name="lookup-home",
    filters=("group", "category", "status", "body", "region"),
    facets=("status", "category", "body", "region"),
)


@require_safe
def lookup_home(request):
    """The scenarios, or the results of a search by code or words with filters and facets."""
    outcome = engine_search(request, EVERYTHING, filter_choices(EVERYTHING.filters))
    if outcome.redirect_to:
        return redirect(outcome.redirect_to)
    template = SEARCH_TEMPLATE if outcome.context["searched"] else HOME_TEMPLATE
    return render(request, template, outcome.context, status=outcome.status)
