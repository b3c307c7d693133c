"""The demo site in a real browser, on a 360 px phone and on a desktop, in both languages.

Screenshots go to test-artifacts/screenshots/ for a person to look at.
"""

import re

import pytest
from csp.utils import build_policy, default_config

from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Locale, Site

from tests.browser.conftest import DESKTOP, PHONE
from tests.deploy_support import production_security_settings

# django_db makes pytest-django create the test database the module commits to.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
LANGUAGES = {"zh-hans": "zh-Hans", "en": "en"}


def expected_title(page, language):
    with translation.override(language):
        return f"{page.seo_title or page.title} · {gettext('China Green Product Certification')}"


@pytest.fixture(scope="module")
def demo(demo_site):
    """The demo site, and what the tests expect of it, read before the browser opens."""
    server = demo_site
    english = Locale.objects.get(language_code="en")
    home = Site.objects.get(is_default_site=True).root_page.specific
    home_en = home.get_translation(english).specific
    section = home.get_children().live().in_menu().specific().first()
    section_en = section.get_translation(english).specific
    return {
        "server": server,
        "title": {"zh-hans": expected_title(home, "zh-hans"), "en": expected_title(home_en, "en")},
        "section_url": server + section.url,
        "section_en_url": server + section_en.url,
        "section_en_title": section_en.title,
    }


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_has_the_title_and_language_of_its_locale(demo, visit, language, device):
    opened = visit(f"{demo['server']}/{language}/", DEVICES[device])
    opened.screenshot(f"home-{language}-{device}")
    assert opened.response.status == 200
    assert opened.page.title() == demo["title"][language]
    assert opened.page.get_attribute("html", "lang") == LANGUAGES[language]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_logs_no_console_errors(demo, visit, language, device):
    opened = visit(f"{demo['server']}/{language}/", DEVICES[device])
    assert opened.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_does_not_scroll_sideways_on_a_360_px_phone(demo, visit, language):
    opened = visit(f"{demo['server']}/{language}/", PHONE)
    widths = opened.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [360, 360]


def test_language_switch_on_the_chinese_home_page_opens_the_english_home_page(demo, visit):
    opened = visit(f"{demo['server']}/zh-hans/", DESKTOP)
    opened.page.click(".language-switcher a[hreflang='en']")
    opened.page.wait_for_url(f"{demo['server']}/en/")
    assert opened.page.get_attribute("html", "lang") == "en"
    assert opened.page.title() == demo["title"]["en"]


def test_language_switch_on_a_section_opens_its_translation(demo, visit):
    opened = visit(demo["section_url"], PHONE)
    opened.page.click(".language-switcher a[hreflang='en']")
    opened.page.wait_for_url(demo["section_en_url"])
    opened.screenshot("section-en-phone")
    assert opened.page.locator("h1").first.inner_text() == demo["section_en_title"]


def test_language_switch_from_english_returns_to_the_chinese_original(demo, visit):
    opened = visit(demo["section_en_url"], DESKTOP)
    opened.page.click(".language-switcher a[hreflang='zh-Hans']")
    opened.page.wait_for_url(demo["section_url"])
    assert opened.page.get_attribute("html", "lang") == "zh-Hans"


def test_menu_button_folds_and_opens_the_navigation_on_a_phone(demo, visit):
    opened = visit(f"{demo['server']}/zh-hans/", PHONE)
    toggle = opened.page.locator(".nav-toggle")
    assert opened.page.locator("#site-nav").is_hidden()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert opened.page.locator("#site-nav").is_visible()
    opened.screenshot("home-zh-hans-phone-menu-open")


def test_navigation_is_open_without_a_menu_button_on_a_desktop(demo, visit):
    opened = visit(f"{demo['server']}/en/", DESKTOP)
    assert opened.page.locator(".nav-toggle").is_hidden()
    assert opened.page.locator("#site-nav").is_visible()


def test_keyboard_focus_is_visible(demo, visit):
    opened = visit(f"{demo['server']}/en/", DESKTOP)
    opened.page.keyboard.press("Tab")
    focused = opened.page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.className, s.outlineStyle, s.boxShadow]; })()"
    )
    assert focused[0] == "skip-link"
    assert focused[1] == "solid"
    assert focused[2] != "none"
    opened.screenshot("home-en-desktop-skip-link-focused")


def test_printed_page_leaves_out_navigation_and_switcher(demo, visit):
    opened = visit(demo["section_en_url"], DESKTOP)
    opened.page.emulate_media(media="print")
    assert opened.page.locator("#site-nav").is_hidden()
    assert opened.page.locator(".language-switcher").is_hidden()
    assert opened.page.locator("h1").first.is_visible()
    opened.screenshot("section-en-print")


def policy_directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def production_page_policy(nonce):
    """The policy production sends with a page, but for upgrade-insecure-requests,
    which would send the test server's plain-HTTP requests to HTTPS."""
    directives = dict(production_security_settings()["CONTENT_SECURITY_POLICY"]["DIRECTIVES"])
    assert directives.pop("upgrade-insecure-requests") is True
    return policy_directives(build_policy(config=default_config(directives), nonce=nonce))


@pytest.mark.parametrize("address", ["home", "section"])
def test_pages_keep_to_the_production_content_security_policy(demo, visit, address):
    url = {"home": f"{demo['server']}/zh-hans/", "section": demo["section_url"]}[address]
    opened = visit(url, PHONE)
    policy = opened.response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert policy_directives(policy) == production_page_policy(nonce)
    # A script or style the policy refused would be a console error.
    assert opened.errors == []
    # The menu button is shown by site.js: the page's own script ran.
    assert opened.page.locator(".nav-toggle").is_visible()
