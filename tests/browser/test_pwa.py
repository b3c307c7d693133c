"""The installable site in headless Chromium on a 360 px phone, in both languages:
the manifest and its icons, the service worker, certificates read again offline and
the offline page."""

import io
import json

import pytest
from PIL import Image

from django.utils import translation
from django.utils.translation import gettext, pgettext

from lookup.models import Certificate, TraceCode
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = {"zh-hans": "zh-Hans", "en": "en"}
# A sample certificate of the specification, and others nobody opens before going offline.
VIEWED = "G2024001011318204"
# The asset go_offline asks for, which nobody has, to learn when the worker is offline.
OFFLINE_PROBE = "/static/offline-probe-"


@pytest.fixture(scope="module")
def demo(demo_site):
    # Opening a trace page counts a scan: take a code other tests are unlikely to count.
    trace = TraceCode.objects.select_related("certificate").order_by("code")[101]
    others = Certificate.objects.exclude(number__in=[VIEWED, trace.certificate.number]).order_by("number")
    return {
        "server": demo_site,
        "trace": trace.code,
        "trace_certificate": trace.certificate.number,
        "second_certificate": others[50].number,
    }


def translated(language, message, context=None):
    with translation.override(language):
        return pgettext(context, message) if context else gettext(message)


def wait_until_controlled(page):
    """The service worker is installed, active and in charge of this page."""
    page.wait_for_function("() => navigator.serviceWorker?.controller != null", timeout=15_000)


def wait_until_its_assets_are_kept(page):
    """Every stylesheet and image of the page is in the worker's caches."""
    page.wait_for_function(
        """async () => {
            const assets = [...document.querySelectorAll("link[rel='stylesheet'], img")]
                .map((element) => element.href || element.src)
                .filter((url) => url.startsWith(location.origin));
            const kept = await Promise.all(assets.map((url) => caches.match(url)));
            return kept.every(Boolean);
        }""",
        timeout=15_000,
    )


def wait_until_saved(page, path):
    page.wait_for_function(
        """async (path) => {
            const cache = await caches.open("greencert-saved-pages");
            const keys = await cache.keys();
            return keys.some((request) => new URL(request.url).pathname === path);
        }""",
        arg=path,
        timeout=15_000,
    )


def go_offline(opened):
    """Cut the connection, and wait until the service worker is cut off too: Chromium
    applies the emulation to the worker a moment after the page, and until then the
    worker's network-first fetch would still reach the server. The probe is an asset
    nobody has, which the worker fetches itself: it fails once the worker is offline."""
    opened.context.set_offline(True)
    opened.page.wait_for_function(
        """async (probe) => {
            try {
                await fetch(`${probe}${Math.random()}.css`);
                return false;
            } catch {
                return true;
            }
        }""",
        arg=OFFLINE_PROBE,
        polling=100,
        timeout=15_000,
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_manifest_is_linked_valid_and_its_icons_load(demo, visit, language):
    opened = visit(f"{demo['server']}/{language}/lookup/", PHONE)
    href = opened.page.get_attribute("link[rel='manifest']", "href")
    assert href == f"/{language}/manifest.json"
    response = opened.page.request.get(demo["server"] + href)
    assert response.ok
    manifest = json.loads(response.text())
    assert manifest["lang"] == LANGUAGES[language]
    assert manifest["name"] == translated(language, "Green Product Certificate Lookup")
    short_name = translated(language, "Green Cert", "short name of the installed app under its icon")
    assert manifest["short_name"] == short_name
    assert manifest["start_url"] == f"/{language}/lookup/"
    assert manifest["display"] == "standalone"
    purposes = set()
    for icon in manifest["icons"]:
        image = opened.page.request.get(demo["server"] + icon["src"])
        assert image.ok, icon["src"]
        assert image.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.body())).size
        assert f"{width}x{height}" == icon["sizes"]
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    assert opened.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_chromium_finds_the_site_installable(demo, visit, language):
    opened = visit(f"{demo['server']}/{language}/lookup/", PHONE)
    wait_until_controlled(opened.page)
    devtools = opened.context.new_cdp_session(opened.page)
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["url"] == f"{demo['server']}/{language}/manifest.json"
    assert manifest["errors"] == []
    errors = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where Chromium never offers to install.
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_worker_registers_controls_the_page_and_keeps_the_shell(demo, visit, language):
    opened = visit(f"{demo['server']}/{language}/lookup/", PHONE)
    wait_until_controlled(opened.page)
    script = opened.page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert script == f"{demo['server']}/serviceworker.js"
    kept = opened.page.evaluate(
        """async () => {
            const name = (await caches.keys()).find((key) => key.startsWith("greencert-shell-"));
            const keys = await (await caches.open(name)).keys();
            return keys.map((request) => new URL(request.url).pathname);
        }"""
    )
    assert {"/zh-hans/offline/", "/en/offline/", "/static/css/site.css", "/static/js/pwa.js"} <= set(kept)
    assert opened.errors == []


def test_service_worker_keeps_nothing_of_the_admin_or_the_api(demo, visit):
    opened = visit(f"{demo['server']}/en/lookup/", PHONE)
    wait_until_controlled(opened.page)
    opened.page.goto(f"{demo['server']}/admin/login/")
    wait_until_controlled(opened.page)
    opened.page.evaluate(
        """async (number) => {
            await fetch(`/api/v1/certificates/${number}/`);
            await fetch(`/en/lookup/certificates/${number}/`, {method: "POST", body: "x"});
        }""",
        VIEWED,
    )
    cached = opened.page.evaluate(
        """async () => {
            const paths = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) {
                    paths.push(new URL(request.url).pathname);
                }
            }
            return paths;
        }"""
    )
    assert cached
    assert [path for path in cached if path.startswith(("/admin/", "/api/"))] == []
    assert f"/en/lookup/certificates/{VIEWED}/" not in cached


@pytest.mark.parametrize("language", LANGUAGES)
def test_viewed_certificate_reads_offline_with_a_saved_copy_notice(demo, visit, language):
    path = f"/{language}/lookup/certificates/{VIEWED}/"
    opened = visit(demo["server"] + path, PHONE)
    title = opened.page.title()
    wait_until_controlled(opened.page)
    wait_until_saved(opened.page, path)
    wait_until_its_assets_are_kept(opened.page)
    assert not opened.page.is_visible(".saved-copy")

    go_offline(opened)
    # The probes of go_offline may report their failure late: they are not the page's.
    failed = []
    opened.page.on("requestfailed", lambda request: failed.append(request.url))
    opened.page.reload()
    assert opened.page.title() == title
    page_failures = [url for url in failed if OFFLINE_PROBE not in url]
    assert page_failures == [], "every stylesheet, script and image of the page was kept with it"
    assert opened.page.is_visible(f"text={VIEWED}")
    notice = opened.page.locator(".saved-copy")
    expected_start = translated(language, "Saved copy from {time}, read without a connection: it may be out of date.")
    assert notice.is_visible()
    assert notice.inner_text().startswith(expected_start.split("{time}")[0])
    assert "{time}" not in notice.inner_text()
    widths = opened.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [360, 360]
    opened.screenshot(f"pwa-offline-certificate-{language}")
    opened.assert_accessible(f"saved copy of a certificate ({language})")


def test_viewed_trace_page_reads_offline(demo, visit):
    path = f"/t/{demo['trace']}"
    opened = visit(demo["server"] + path, PHONE)
    wait_until_controlled(opened.page)
    wait_until_saved(opened.page, path)
    go_offline(opened)
    opened.page.reload()
    assert opened.page.is_visible(f"text={demo['trace_certificate']}")
    assert opened.page.is_visible(".saved-copy")
    opened.screenshot("pwa-offline-trace")


@pytest.mark.parametrize("language", LANGUAGES)
def test_unviewed_page_offline_shows_the_translated_offline_page_listing_saved_ones(demo, visit, language):
    first = f"/{language}/lookup/certificates/{VIEWED}/"
    opened = visit(demo["server"] + first, PHONE)
    first_title = opened.page.title()
    wait_until_controlled(opened.page)
    wait_until_saved(opened.page, first)
    # The second is opened under the worker's control: saved as it comes from the network.
    second = f"/{language}/lookup/certificates/{demo['second_certificate']}/"
    opened.page.goto(demo["server"] + second)
    second_title = opened.page.title()
    wait_until_saved(opened.page, second)

    go_offline(opened)
    opened.page.goto(f"{demo['server']}/{language}/lookup/certificates/{demo['trace_certificate']}/")
    assert opened.page.get_attribute("html", "lang") == LANGUAGES[language]
    assert opened.page.inner_text("h1") == translated(language, "You are offline")
    saved = opened.page.locator("[data-saved-pages] a")
    saved.first.wait_for()
    site_name = " · " + translated(language, "China Green Product Certification")
    assert saved.all_inner_texts() == [second_title.removesuffix(site_name), first_title.removesuffix(site_name)]
    assert not opened.page.is_visible("[data-saved-pages-empty]")
    widths = opened.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [360, 360]
    opened.screenshot(f"pwa-offline-page-{language}")
    opened.assert_accessible(f"offline page ({language})")

    saved.last.click()
    opened.page.wait_for_url(demo["server"] + first)
    assert opened.page.title() == first_title
    assert opened.page.is_visible(".saved-copy")
