"""Security headers of every kind of public page, under the production settings.

The production settings' security values (``production_security_settings``) are put
over the test settings, and requests come as HTTPS, as nginx passes them on.
"""

import re

import pytest
from csp.decorators import csp_update

from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import translation

from wagtail.models import Site

from cms.tests.factories import bilingual_page
from config import urls as site_urls
from lookup.tests.factories import CertificateFactory, TraceCodeFactory
from search.views import search as site_search
from security.headers import ContentSecurityPolicyMiddleware, permissions_policy
from tests.deploy_support import production_security_settings

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
PAGE_TYPES = ["home", "section", "lookup", "certificate", "trace landing", "search", "not found"]


@pytest.fixture
def production():
    with override_settings(**production_security_settings()):
        yield


@pytest.fixture
def pages(db):
    section, _english = bilingual_page("PolicyIndexPage")
    certificate = CertificateFactory()
    trace = TraceCodeFactory()
    with translation.override("zh-hans"):
        return {
            "home": "/zh-hans/",
            "section": section.url,
            "lookup": reverse("lookup-home"),
            "certificate": reverse("lookup-certificate", kwargs={"number": certificate.number}),
            "trace landing": f"/t/{trace.code}",
            "search": reverse("search:search") + "?q=绿色",
            "not found": "/zh-hans/no-such-page/",
        }


def get(path, client=None):
    return (client or Client()).get(path, secure=True, HTTP_HOST="localhost")


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def executable_scripts(html):
    """Opening <script> tags a browser runs (data blocks such as JSON-LD it does not)."""
    scripts = re.findall(r"<script\b[^>]*>", html)
    return [script for script in scripts if not re.search(r'type="application/(ld\+)?json"', script)]


def allowed_by_policy(script, nonce):
    """A script this page's policy lets run: from this site, or carrying the nonce."""
    source = re.search(r'src="([^"]*)"', script)
    return (source is not None and source.group(1).startswith("/")) or f'nonce="{nonce}"' in script


def expected_status(page_type):
    return 404 if page_type == "not found" else 200


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_public_page_sends_the_strict_policy_with_the_nonce_its_scripts_carry(production, pages, page_type):
    response = get(pages[page_type])

    assert response.status_code == expected_status(page_type)
    policy = directives(response)
    nonce = NONCE.search(response["Content-Security-Policy"]).group(1)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["worker-src"] == ["'self'"]
    assert policy["manifest-src"] == ["'self'"]
    assert "upgrade-insecure-requests" in policy
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'wasm-unsafe-eval'" not in response["Content-Security-Policy"]
    scripts = executable_scripts(response.text)
    assert any(f'nonce="{nonce}"' in script for script in scripts)
    assert [script for script in scripts if not allowed_by_policy(script, nonce)] == []


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_each_response_gets_a_fresh_nonce(production, pages, page_type):
    nonces = {NONCE.search(get(pages[page_type])["Content-Security-Policy"]).group(1) for _ in range(3)}
    assert len(nonces) == 3
    assert all(len(nonce) >= 22 for nonce in nonces)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_public_page_sends_hsts_referrer_permissions_nosniff_and_framing_headers(production, pages, page_type):
    response = get(pages[page_type])

    assert response.status_code == expected_status(page_type)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_plain_http_is_redirected_to_https(production, pages):
    response = Client().get("/zh-hans/", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"] == "https://localhost/zh-hans/"


def test_cookies_are_secure_httponly_and_same_site(production, pages):
    client = Client()
    client.get(reverse("wagtailadmin_login"), secure=True, HTTP_HOST="localhost")
    client.post("/i18n/setlang/", {"language": "en"}, secure=True, HTTP_HOST="localhost")
    client.post(
        reverse("wagtailadmin_login"), {"username": "nobody", "password": "wrong"}, secure=True, HTTP_HOST="localhost"
    )
    assert "csrftoken" in client.cookies
    for cookie in client.cookies.values():
        assert cookie["secure"], cookie.key
        assert cookie["httponly"], cookie.key
        assert cookie["samesite"] == "Lax", cookie.key


def test_admin_gets_its_own_policy_that_allows_same_origin_framing(production, pages):
    response = get(reverse("wagtailadmin_login"))

    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["frame-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "upgrade-insecure-requests" in policy
    assert not NONCE.search(response["Content-Security-Policy"])


def test_page_in_the_admins_preview_keeps_its_policy_but_may_be_framed_by_the_admin(production, pages):
    page = Site.objects.get(is_default_site=True).root_page.specific

    # As nginx passes it on: HTTPS, said by X-Forwarded-Proto, which Wagtail copies.
    editor_request = RequestFactory().get("/admin/", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    response = page.make_preview_request(editor_request)

    assert response.status_code == 200

    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert NONCE.fullmatch(policy["script-src"][1])
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


# The rules go by URL name: here the site search answers under the scanner's name too.
urlpatterns = [path("en/lookup/code/", site_search, name="lookup-code"), *site_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_the_code_scanner_page_alone_may_compile_webassembly_and_use_the_camera(client):
    scanner = client.get("/en/lookup/code/")
    other = client.get("/en/search/")

    assert scanner.status_code == other.status_code == 200

    assert directives(scanner)["script-src"][-1] == "'wasm-unsafe-eval'"
    assert "camera=(self)" in scanner["Permissions-Policy"]
    assert "'wasm-unsafe-eval'" not in other["Content-Security-Policy"]
    assert "camera=()" in other["Permissions-Policy"]


def test_the_policy_kept_per_kind_of_page_follows_the_settings(production, pages):
    """The header is built once per kind of page: a changed policy setting is
    built again, not served from what was kept."""

    def policy():
        return NONCE.sub("'nonce-…'", get(pages["home"])["Content-Security-Policy"])

    before = policy()
    changed = production_security_settings()["CONTENT_SECURITY_POLICY"]
    changed = {"DIRECTIVES": {**changed["DIRECTIVES"], "img-src": ["'self'", "https://images.example"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        during = policy()
    after = policy()

    assert "img-src 'self' https://images.example" in during
    assert "https://images.example" not in after
    assert before == after


def test_a_view_with_a_policy_of_its_own_keeps_it(production, pages):
    """django-csp's decorators still win over the policy kept per kind of page."""

    def view(request):
        return HttpResponse("<p>own</p>")

    middleware = ContentSecurityPolicyMiddleware(csp_update({"img-src": ["https://own.example"]})(view))
    plain = ContentSecurityPolicyMiddleware(view)
    own = middleware(RequestFactory().get("/zh-hans/", secure=True))
    other = plain(RequestFactory().get("/zh-hans/", secure=True))

    assert "https://own.example" in own["Content-Security-Policy"]
    assert "https://own.example" not in other["Content-Security-Policy"]


def test_permissions_policy_syntax():
    assert permissions_policy({"camera": ["self"], "usb": []}) == "camera=(self), usb=()"
