"""The QR trace landing page, /t/<code>, as a shopper's phone opens it."""

from datetime import date
from urllib.parse import urlsplit

import pytest

from django.conf import settings

from lookup.models import Status, TraceCode
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROWSER_LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}
FIRST_LOAD_BUDGET = 60 * 1024
TRANSFERRED = """() => {
    const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
    return entries.map((entry) => ({name: entry.name, bytes: entry.transferSize}));
}"""


@pytest.fixture(scope="module")
def codes(demo_site):
    """Valid codes nobody has scanned yet, one per test that counts scans (the
    accessibility tests take the last one)."""
    valid = TraceCode.objects.filter(
        certificate__status=Status.VALID, certificate__expires_on__gte=date.today(), scan_count=0
    ).order_by("code")
    found = [trace.code for trace in valid[:4]]
    return {"server": demo_site, "host": urlsplit(settings.SITE_URL).hostname, "valid": found}


def phone(language):
    return {**PHONE, "locale": BROWSER_LOCALES[language]}


@pytest.mark.parametrize("language", BROWSER_LOCALES)
def test_first_load_transfers_under_60_kb(codes, visit, language):
    opened = visit(f"{codes['server']}/t/{codes['valid'][0]}", phone(language))
    opened.page.wait_for_load_state("networkidle")
    entries = opened.page.evaluate(TRANSFERRED)
    total = sum(entry["bytes"] for entry in entries)
    assert entries[0]["bytes"] > 0
    assert total < FIRST_LOAD_BUDGET, "\n".join(f"{entry['bytes']:>8} {entry['name']}" for entry in entries)


@pytest.mark.parametrize("language", BROWSER_LOCALES)
def test_status_comes_first_then_the_official_host_in_plain_text(codes, visit, language):
    opened = visit(f"{codes['server']}/t/{codes['valid'][1]}", phone(language))
    opened.screenshot(f"trace-{language}-phone")
    main = opened.page.locator("main")
    first_heading = main.locator("h1").first
    assert first_heading.inner_text() == main.locator(".trace__status h1").inner_text()
    assert main.locator(".trace__status").bounding_box()["y"] < main.locator("dl").bounding_box()["y"]
    official = main.locator(".trace__official")
    assert codes["host"] in official.inner_text()
    assert official.locator("a").count() == 0
    assert opened.errors == []


def test_does_not_scroll_sideways_on_a_360_px_phone(codes, visit):
    opened = visit(f"{codes['server']}/t/{codes['valid'][1]}", phone("zh-hans"))
    widths = opened.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [360, 360]


def test_a_second_scan_gives_the_count_without_calling_the_product_fake(codes, visit):
    url = f"{codes['server']}/t/{codes['valid'][2]}"
    first = visit(url, phone("en"))
    assert "first time" in first.page.locator(".trace__scans").inner_text()
    second = visit(url, phone("en"))
    second.screenshot("trace-en-phone-second-scan")
    scans = second.page.locator(".trace__scans").inner_text()
    assert "checked 2 times" in scans
    assert "fake" not in second.page.locator("main").inner_text().lower()


def test_malformed_code_is_a_400_page_saying_what_is_wrong(codes, visit):
    opened = visit(f"{codes['server']}/t/G2024-not-a-code", phone("en"))
    opened.screenshot("trace-en-phone-malformed")
    assert opened.response.status == 400
    assert opened.page.locator("[role=alert]").inner_text().strip() != ""
    opened.assert_accessible("trace-malformed-en")


def test_unknown_code_is_a_404_page(codes, visit):
    opened = visit(f"{codes['server']}/t/G2024001011000000000000", phone("zh-hans"))
    assert opened.response.status == 404
    assert "G2024001011000000000000" in opened.page.locator("[role=alert]").inner_text()
    opened.assert_accessible("trace-unknown-zh-hans")
