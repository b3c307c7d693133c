"""Addresses of lookup pages with their query changed, for filters, facets and pagers
that work as plain links."""

from django.http import QueryDict
from django.urls import reverse


def url_with(request, url_name, parameters, **changes):
    """``url_name``'s address with the request's ``parameters`` kept (empty ones
    dropped) and ``changes`` applied; a change to None drops the parameter."""
    params = QueryDict(mutable=True)
    for key in parameters:
        value = request.GET.get(key, "").strip()
        if value:
            params[key] = value
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return reverse(url_name) + (f"?{encoded}" if encoded else "")
