"""The certificate page in a real browser: the status read at arm's length on a phone
and a desktop, in both languages, on screen and on paper, with its QR code, its
structured data under the site's Content Security Policy, and the report form."""

import json
import shutil
import subprocess

import pytest

from lookup.models import ConcernReport
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VALID = "G2024001011318204"
SUSPENDED = "G2022001013770415"
REVOKED = "G2022004106286503"
LANGUAGES = {"zh-hans": "zh-CN", "en": "en-US"}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}
# The status banner's label at arm's length: at least 24 CSS pixels.
BANNER_LABEL_MIN_PX = 24


def device(name, language):
    return {**DEVICES[name], "locale": LANGUAGES[language]}


def certificate_url(server, number, language):
    return f"{server}/{language}/lookup/certificates/{number}/"


def zbar(path):
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: install Debian's zbar-tools (./dev.sh does)"
    result = subprocess.run(
        [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", DEVICES)
def test_the_status_banner_opens_the_page_in_large_type(demo_site, visit, language, name):
    opened = visit(certificate_url(demo_site, VALID, language), device(name, language))
    opened.screenshot(f"certificate-{language}-{name}")
    page = opened.page
    assert opened.response.status == 200
    banner = page.locator(".status-banner")
    box = banner.bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"], "the status is not in the first screen"
    assert box["y"] < page.locator("main h1").bounding_box()["y"]
    size = page.locator(".status-banner__label").evaluate("label => parseFloat(getComputedStyle(label).fontSize)")
    assert size >= BANNER_LABEL_MIN_PX
    assert page.locator(".certificate-qr svg").is_visible()
    assert page.locator(".certificate-mark img").is_visible()
    assert opened.errors == []


@pytest.mark.parametrize(("number", "status"), [(SUSPENDED, "suspended"), (REVOKED, "revoked")])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_suspended_or_revoked_certificate_shows_its_warning_colour(demo_site, visit, number, status, language):
    opened = visit(certificate_url(demo_site, number, language), device("phone", language))
    opened.screenshot(f"certificate-{status}-{language}-phone")
    banner = opened.page.locator(f".status-banner--{status}")
    colour = banner.evaluate("banner => getComputedStyle(banner).borderLeftColor")
    assert colour == {"suspended": "rgb(138, 75, 0)", "revoked": "rgb(164, 38, 44)"}[status]
    assert opened.page.locator(".status-banner__meaning").inner_text().strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_qr_code_on_screen_scans_as_the_pages_address(demo_site, visit, tmp_path, language):
    url = certificate_url(demo_site, VALID, language)
    opened = visit(url, device("desktop", language))
    path = tmp_path / "qr.png"
    opened.page.locator(".certificate-qr__code").screenshot(path=str(path))
    assert zbar(path) == url
    assert opened.page.locator(".certificate-qr__url").inner_text() == url


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_page_keeps_the_status_facts_qr_and_address_without_navigation(demo_site, visit, language):
    url = certificate_url(demo_site, VALID, language)
    opened = visit(url, device("desktop", language))
    page = opened.page
    page.emulate_media(media="print")
    opened.screenshot(f"certificate-{language}-print")
    hidden_on_paper = [".site-nav", ".language-switcher", ".site-footer", ".certificate-report"]
    hidden_on_paper.append(".certificate-on-date")
    for hidden in hidden_on_paper:
        assert not page.locator(hidden).is_visible(), hidden
    for shown in (".status-banner", "#certificate-certificate", ".certificate-qr svg", ".certificate-qr__url"):
        assert page.locator(shown).first.is_visible(), shown
    qr = page.locator(".certificate-qr").bounding_box()
    facts = page.locator(".certificate-main").bounding_box()
    assert qr["x"] > facts["x"] + facts["width"] - 1, "the QR code sits beside the facts on paper"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_a_printed_answer_to_the_date_check_keeps_the_answer_without_the_form(demo_site, visit):
    opened = visit(certificate_url(demo_site, SUSPENDED, "en") + "?on=2025-07-01", device("desktop", "en"))
    page = opened.page
    page.emulate_media(media="print")
    assert page.locator("#certificate-on-answer").is_visible()
    assert not page.locator(".certificate-on-date form").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_structured_data_load_under_the_content_security_policy(demo_site, visit, language):
    opened = visit(certificate_url(demo_site, REVOKED, language), device("desktop", language))
    policy = opened.response.headers.get("content-security-policy", "")
    assert "nonce-" in policy
    text = opened.page.locator('script[type="application/ld+json"]').text_content()
    data = json.loads(text)
    assert data["certificationIdentification"] == REVOKED
    assert data["certificationStatus"] == "https://schema.org/CertificationInactive"
    assert opened.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", DEVICES)
def test_the_certificate_page_is_accessible(demo_site, visit, language, name):
    opened = visit(certificate_url(demo_site, SUSPENDED, language), device(name, language))
    opened.assert_accessible(f"certificate {SUSPENDED} {language} {name}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_reports_a_suspected_fake_from_the_page(demo_site, visit, language):
    opened = visit(certificate_url(demo_site, VALID, language), device("phone", language))
    page = opened.page
    page.locator(".certificate-report a.button").click()
    page.wait_for_load_state("load")
    opened.assert_accessible(f"report form {language}")
    opened.screenshot(f"certificate-report-form-{language}-phone")
    description = f"browser test {language}: 超市里的冰箱贴着绿色产品标识，但型号不在证书上。"
    try:
        page.locator('input[name="kind"][value="mark_misuse"]').check()
        page.locator("#id_description").fill(description)
        page.locator("#id_where_seen").fill("南京新街口")
        page.locator(".report-form button[type=submit]").click()
        page.wait_for_load_state("load")
        opened.screenshot(f"certificate-report-thanks-{language}-phone")
        assert "/report/thanks/" in page.url
        report = ConcernReport.objects.get(description=description)
        assert (report.number, report.kind, report.language) == (VALID, "mark_misuse", language)
        assert opened.errors == []
    finally:
        ConcernReport.objects.filter(description=description).delete()


def test_an_unknown_number_says_so_with_a_404(demo_site, visit):
    opened = visit(certificate_url(demo_site, "G2024001011000000", "en"), device("phone", "en"))
    opened.screenshot("certificate-not-found-en-phone")
    assert opened.response.status == 404
    assert opened.page.locator(".status-banner").count() == 0
    assert opened.page.locator('main a[href$="/report/"]').is_visible()
