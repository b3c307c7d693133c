"""Template tags for the site's pages: the main navigation and listing links."""

from django import template
from django.http import QueryDict
from django.utils import translation

from wagtail.models import Page

from cms.navigation import navigation
from lookup.models import Status

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav_sections(context):
    """The live, in-menu children of the current language's home page, each as a
    dict with ``page``, ``url`` and ``active`` (the reader is in that section).
    The pages come from :mod:`cms.navigation`, worked out once per tree revision."""
    request = context.get("request")
    nav = navigation(request)
    if nav.home is None:
        return {"home": None, "sections": []}
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    sections = [
        {
            "page": section,
            "url": section.url,
            "active": bool(current_path) and current_path.startswith(section.path),
        }
        for section in nav.sections
    ]
    return {"home": nav.home, "home_url": nav.home.url, "sections": sections}


@register.simple_tag(takes_context=True)
def page_query(context, number, parameter="page"):
    """The query string for page ``number`` of a listing, keeping the other GET
    parameters (filters) as they are."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query[parameter or "page"] = number
    return "?" + query.urlencode()


@register.filter
def status_label(value):
    """The reader's-language label of a certificate status value."""
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def product_name(certificate):
    """The certificate's product name in the reader's language, falling back to the
    registered (Chinese) name."""
    if translation.get_language() == "en" and certificate.product_name_en:
        return certificate.product_name_en
    return certificate.product_name
