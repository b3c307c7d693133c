"""Tags the base template and every app's templates share."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Locale, Page

register = template.Library()


def _page_translations(page):
    """Map each language code to the live translation of ``page``, if any."""
    translations = {}
    for translated in page.get_translations(inclusive=True).live().select_related("locale"):
        translations[translated.locale.language_code] = translated
    return translations


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per site language: where the switcher should lead for this page.

    On a Wagtail page the link goes to that page's translation; where there is none
    yet, to the home page of the other language with ``missing`` set so the template
    can say so. On other views the URL is translated by its language prefix.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    translations = _page_translations(page) if isinstance(page, Page) else None
    links = []
    for code, name in settings.LANGUAGES:
        link = {"code": code, "name": name, "current": code == current, "missing": False}
        if translations is not None:
            target = translations.get(code)
            if target is None:
                link["missing"] = True
                target = _locale_home(code)
            link["url"] = target.get_url(request=request) if target else f"/{code}/"
        elif request is not None:
            link["url"] = translate_url(request.get_full_path(), code)
        else:
            link["url"] = f"/{code}/"
        links.append(link)
    return links


def _locale_home(language_code):
    try:
        locale = Locale.objects.get(language_code=language_code)
    except Locale.DoesNotExist:
        return None
    return Page.objects.filter(depth=2, locale=locale).live().first()


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """The ancestors of the current page below the root, home first."""
    page = context.get("page")
    if not isinstance(page, Page):
        return []
    return list(page.get_ancestors().filter(depth__gte=2).live())
