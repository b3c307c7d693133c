"""The site with a service down: Elasticsearch, Redis (the cache).

Each outage is a real one: the settings point at a loopback port nobody listens on,
so every connection is refused, as when the server has stopped. The "up" cases use a
real Redis (127.0.0.1:6379, database 9) and the osmem server the suite starts.
"""

import io
import logging
import socket
import uuid

import pytest

from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from cms.tests.factories import bilingual_page
from config.settings.base import redis_caches
from lookup import scan_counts
from lookup.engines import indexing
from lookup.engines.base import get_engine, reset_engine
from lookup.engines.query import build_query
from lookup.models import TraceCode
from lookup.tests.factories import CertificateFactory, OrganisationFactory, TraceCodeFactory, UserFactory

pytestmark = pytest.mark.django_db

REDIS_UP = "redis://127.0.0.1:6379/9"


def closed_port():
    """A loopback port with nothing listening: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def down_url(scheme):
    return f"{scheme}://127.0.0.1:{closed_port()}"


@pytest.fixture
def fridge():
    return CertificateFactory(
        product_name="海川变频节能家用电冰箱",
        product_name_en="Inverter household refrigerator",
        client=OrganisationFactory(name_zh="青岛海川建材股份有限公司", region_code="370200"),
    )


@pytest.fixture
def site_pages(db, fridge):
    """Every kind of public page, addressed in English."""
    bilingual_page("PolicyIndexPage")
    trace = TraceCodeFactory(certificate=fridge)
    with translation.override("en"):
        return {
            "home": "/en/",
            "lookup": reverse("lookup-home"),
            "lookup by text": reverse("lookup-home") + "?q=冰箱",
            "lookup by code": reverse("lookup-code") + f"?q={fridge.number}",
            "certificate": reverse("lookup-certificate", kwargs={"number": fridge.number}),
            "report form": reverse("lookup-certificate-report", kwargs={"number": fridge.number}),
            "trace page": f"/t/{trace.code}",
            "site search": reverse("search:search") + "?q=绿色",
            "api certificate": f"/api/v1/certificates/{fridge.number}/",
            "api trace": f"/api/v1/trace/{trace.code}/",
        }


def statuses(client, pages):
    return {name: client.get(url).status_code for name, url in pages.items()}


# --- Elasticsearch down ---------------------------------------------------------------


@pytest.fixture
def elasticsearch_down(settings):
    """The lookup engine and the site search both on a cluster that is not there."""
    url = down_url("http")
    settings.LOOKUP_ENGINE = ""
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_COMPATIBILITY_HEADERS = False
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"},
        "site": {"BACKEND": "search.elasticsearch", "URLS": [url], "INDEX_PREFIX": "test-faults-", "TIMEOUT": 1},
    }
    reset_engine()
    indexing.pending_path().unlink(missing_ok=True)
    yield url
    indexing.pending_path().unlink(missing_ok=True)
    reset_engine()


def test_with_elasticsearch_down_every_page_renders(client, elasticsearch_down, site_pages):
    assert statuses(client, site_pages) == dict.fromkeys(site_pages, 200)


def test_with_elasticsearch_down_codes_answer_from_the_database(client, elasticsearch_down, fridge):
    answer = client.get("/api/v1/lookup/", {"q": fridge.client.uscc, "lang": "en"}).json()
    page = client.get(reverse("lookup-code"), {"q": fridge.number}, HTTP_ACCEPT_LANGUAGE="en")

    assert answer["degraded"] is False
    assert [result["number"] for result in answer["results"]] == [fridge.number]
    assert fridge.number in page.content.decode()


def test_with_elasticsearch_down_text_search_says_it_is_degraded(client, elasticsearch_down, fridge):
    answer = client.get("/api/v1/lookup/", {"q": "冰箱", "lang": "en"}).json()
    with translation.override("en"):
        page = client.get(reverse("lookup-home"), {"q": "冰箱"})

    assert answer["degraded"] is True
    assert "may be incomplete" in page.content.decode()


@pytest.mark.elasticsearch
def test_certificate_saved_while_elasticsearch_is_down_is_indexed_when_it_is_back(
    elasticsearch_down, settings, osmem_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        lamp = CertificateFactory(product_name="节能荧光灯")

    assert lamp.number in indexing.read_pending()

    settings.ELASTICSEARCH_URL = osmem_url
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-faults-{uuid.uuid4().hex[:8]}"
    settings.LOOKUP_ENGINE = "lookup.tests.test_engine_elastic.RefreshingElasticsearchEngine"
    reset_engine()
    try:
        output = io.StringIO()
        call_command("rebuild_lookup_index", "--pending", stdout=output)

        assert "Indexed 1 pending certificates" in output.getvalue()
        assert indexing.read_pending() == set()
        assert get_engine().search(build_query("荧光灯")).numbers == [lamp.number]
    finally:
        get_engine().drop()


# --- Redis (the cache) up and down ----------------------------------------------------


def redis_at(url):
    """The production cache settings (config.settings.base.redis_caches, and
    production's logging of ignored errors) at ``url``, under a key prefix of this
    test's own."""
    return override_settings(
        CACHES=redis_caches(url, key_prefix=f"greencert-faults-{uuid.uuid4().hex}"),
        DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True,
    )


@pytest.fixture
def redis_down():
    with redis_at(down_url("redis") + "/9"):
        yield


@pytest.fixture
def redis_up():
    with redis_at(REDIS_UP):
        yield
        cache.clear()


def test_with_redis_down_every_page_renders(client, redis_down, site_pages, caplog):
    with caplog.at_level(logging.ERROR, logger="django_redis"):
        answered = statuses(client, site_pages)

    assert answered == dict.fromkeys(site_pages, 200)
    assert "Exception ignored" in caplog.text  # the outage is logged, not hidden


def test_with_redis_down_every_scan_is_written_to_the_database(client, redis_down):
    trace = TraceCodeFactory()

    pages = [client.get(f"/t/{trace.code}", HTTP_ACCEPT_LANGUAGE="en") for _ in range(3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    stored = TraceCode.objects.get(pk=trace.pk)
    assert stored.scan_count == 3
    assert stored.first_scanned_at is not None


def test_with_redis_up_scans_are_counted_in_redis_and_flushed(client, redis_up):
    scan_counts.flush()  # what earlier tests left, and a fresh interval before the next flush is due
    trace = TraceCodeFactory()

    for _ in range(3):
        client.get(f"/t/{trace.code}")
    in_redis = cache.get(scan_counts.total_key(trace.code))
    before_flush = TraceCode.objects.get(pk=trace.pk).scan_count
    scan_counts.flush()

    assert in_redis == 3
    assert before_flush == 0
    assert TraceCode.objects.get(pk=trace.pk).scan_count == 3


def test_scans_counted_before_redis_went_down_are_kept_and_later_ones_added(client):
    trace = TraceCodeFactory()
    prefix = f"greencert-faults-{uuid.uuid4().hex}"
    try:
        with override_settings(CACHES=redis_caches(REDIS_UP, key_prefix=prefix)):
            for _ in range(2):
                client.get(f"/t/{trace.code}")
            scan_counts.flush()
        with override_settings(CACHES=redis_caches(down_url("redis") + "/9", key_prefix=prefix)):
            for _ in range(2):
                client.get(f"/t/{trace.code}")
            page = client.get(f"/t/{trace.code}", HTTP_ACCEPT_LANGUAGE="en")
    finally:
        with override_settings(CACHES=redis_caches(REDIS_UP, key_prefix=prefix)):
            cache.clear()

    assert TraceCode.objects.get(pk=trace.pk).scan_count == 5
    assert page.status_code == 200


def test_with_redis_down_sign_in_and_the_admin_still_work(client, redis_down):
    """Sessions are kept in the database, not the cache."""
    user = UserFactory(is_superuser=True, is_staff=True, username="editor")
    user.set_password("a long enough password 1")
    user.save()

    signed_in = client.post(
        reverse("wagtailadmin_login"), {"username": "editor", "password": "a long enough password 1"}
    )
    dashboard = client.get(reverse("wagtailadmin_home"))

    assert signed_in.status_code == 302
    assert dashboard.status_code == 200


def test_a_change_saved_while_redis_is_down_shows_on_the_trace_page_at_once(client, redis_down):
    trace = TraceCodeFactory(certificate__product_name_en="Old name")
    client.get(f"/t/{trace.code}", HTTP_ACCEPT_LANGUAGE="en")
    certificate = trace.certificate
    certificate.product_name_en = "New name"
    certificate.save()

    page = client.get(f"/t/{trace.code}", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "New name" in page
    assert "Old name" not in page
