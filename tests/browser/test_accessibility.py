"""WCAG 2.1 A and AA, checked with axe-core on every kind of public page, in both languages."""

from datetime import date

import pytest

from wagtail.models import Locale, Site

from lookup.models import Status, TraceCode
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = ["zh-hans", "en"]
SAMPLE_CERTIFICATE = "G2024001011318204"
PAGES = {
    "home": "/{language}/",
    "section": None,
    "site-search": "/{language}/search/?q={word}",
    "lookup-results": "/{language}/lookup/?q={product}",
    "lookup-empty": "/{language}/lookup/?q=zzzzqqqq",
    "certificate": f"/{{language}}/lookup/certificates/{SAMPLE_CERTIFICATE}/",
    "not-found": "/{language}/no-such-page/",
}
BROWSER_LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
WORDS = {"zh-hans": {"word": "绿色", "product": "冰箱"}, "en": {"word": "green", "product": "refrigerator"}}


@pytest.fixture(scope="module")
def addresses(demo_site):
    """Every page's address in each language, read before the browser opens."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    section = home.get_children().live().in_menu().specific().first()
    sections = {"zh-hans": section.url, "en": section.get_translation(Locale.objects.get(language_code="en")).url}
    # The last valid code: test_trace_landing.py counts scans on others.
    trace = (
        TraceCode.objects.filter(certificate__status=Status.VALID, certificate__expires_on__gte=date.today())
        .order_by("-code")
        .first()
    )
    urls = {}
    for language in LANGUAGES:
        for name, pattern in PAGES.items():
            path = sections[language] if name == "section" else pattern.format(language=language, **WORDS[language])
            urls[(name, language)] = demo_site + path
    urls[("trace", "zh-hans")] = f"{demo_site}/t/{trace.code}"
    urls[("trace", "en")] = f"{demo_site}/t/{trace.code}"
    return urls


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", [*PAGES, "trace"])
def test_page_meets_wcag_21_aa_on_a_phone(addresses, visit, name, language):
    opened = visit(addresses[(name, language)], {**PHONE, "locale": BROWSER_LOCALES[language]})
    opened.assert_accessible(f"{name}-{language}-phone")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["home", "certificate"])
def test_page_meets_wcag_21_aa_on_a_desktop(addresses, visit, name, language):
    opened = visit(addresses[(name, language)], {**DESKTOP, "locale": BROWSER_LOCALES[language]})
    opened.assert_accessible(f"{name}-{language}-desktop")


def test_menu_opened_on_a_phone_meets_wcag_21_aa(addresses, visit):
    opened = visit(addresses[("home", "zh-hans")], PHONE)
    opened.page.locator(".nav-toggle").click()
    opened.assert_accessible("home-zh-hans-phone-menu-open")


def test_menu_link_opens_the_navigation_on_a_phone_without_javascript(addresses, visit):
    opened = visit(addresses[("home", "en")], {**PHONE, "java_script_enabled": False})
    assert opened.page.locator("#site-nav").is_hidden()
    opened.page.locator(".nav-jump").click()
    assert opened.page.locator("#site-nav").is_visible()
    opened.screenshot("home-en-phone-no-script-menu-open")


LAYOUT_SHIFT = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) total += entry.value;
        }
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("name", ["home", "section", "lookup-results", "certificate", "trace"])
def test_nothing_moves_once_a_phone_has_drawn_the_page(addresses, visit, name):
    """Cumulative layout shift well under 0.1, Core Web Vitals' bar for "good"."""
    opened = visit(addresses[(name, "zh-hans")], PHONE)
    assert opened.page.evaluate(LAYOUT_SHIFT) < 0.05
