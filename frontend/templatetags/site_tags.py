"""Tags the base template and every app's templates share."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Locale, Page, Site

register = template.Library()

# Open Graph wants language_TERRITORY; Chinese here is the mainland's.
OPEN_GRAPH_LOCALES = {"zh-hans": "zh_CN", "en": "en_GB"}


@register.filter
def bcp47(language_code):
    """Django's language code as a BCP 47 tag for ``lang`` and ``hreflang``: ``zh-hans`` → ``zh-Hans``."""
    return translation.to_locale(language_code).replace("_", "-")


@register.simple_tag
def html_lang():
    """The ``lang`` of the page being rendered, in BCP 47 form."""
    return bcp47(translation.get_language() or settings.LANGUAGE_CODE)


@register.simple_tag
def og_locale():
    """The Open Graph ``og:locale`` of the page being rendered."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return OPEN_GRAPH_LOCALES.get(code, translation.to_locale(code))


def _page_translations(page):
    """Map each language code to the live translation of ``page``, if any."""
    translations = {}
    for translated in page.get_translations(inclusive=True).live().select_related("locale"):
        translations[translated.locale.language_code] = translated
    return translations


def _locale_home(request, language_code):
    """The home page of ``language_code``: the site root's translation, if it has one."""
    try:
        locale = Locale.objects.get(language_code=language_code)
    except Locale.DoesNotExist:
        return None
    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        home = site.root_page.get_translation_or_none(locale)
        if home is not None and home.live:
            return home
    return Page.objects.filter(depth=2, locale=locale).live().first()


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
                target = _locale_home(request, code)
            link["url"] = target.get_url(request=request) if target else f"/{code}/"
        elif request is not None:
            link["url"] = translate_url(request.get_full_path(), code)
        else:
            link["url"] = f"/{code}/"
        links.append(link)
    return links


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
