"""Per-address rate limits (lookup.ratelimit): the lookup pages, the trace page, the
JSON API and the "report a concern" form answer 429 with Retry-After past their limit."""

import socket
import uuid

import pytest

from django.core.cache import cache
from django.test import override_settings

from lookup.ratelimit import Rate, hit
from lookup.tests.factories import CertificateFactory, TraceCodeFactory

pytestmark = pytest.mark.django_db

GENEROUS = "100000/60"


def limits(**buckets):
    """Every bucket generous except those named: ``limits(api="2/60")``."""
    return override_settings(
        RATELIMITS={
            name: buckets.get(name, GENEROUS)
            for name in ("lookup", "trace", "api", "autocomplete", "api_write", "report")
        }
    )


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(location):
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5, "IGNORE_EXCEPTIONS": True},
            "KEY_PREFIX": f"greencert-ratelimit-test-{uuid.uuid4().hex}",
        }
    }


def test_api_past_its_limit_is_429_in_the_error_shape_with_retry_after(client):
    certificate = CertificateFactory()
    url = f"/api/v1/certificates/{certificate.number}/?lang=en"
    with limits(api="3/60"):
        statuses = [client.get(url).status_code for _ in range(3)]
        refused = client.get(url)

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-cache" in refused["Cache-Control"]


def test_lookup_page_past_its_limit_is_a_translated_page_with_retry_after(client):
    with limits(lookup="2/60"):
        served = [client.get("/en/lookup/").status_code for _ in range(2)]
        refused_en = client.get("/en/lookup/")
        refused_zh = client.get("/zh-hans/lookup/")

    assert served == [200, 200]
    assert refused_en.status_code == 429
    wait = int(refused_en["Retry-After"])
    assert 1 <= wait <= 60
    assert refused_en["Content-Type"].startswith("text/html")
    assert "Too many requests" in refused_en.content.decode()
    assert f"try again in {wait} second" in refused_en.content.decode()
    assert refused_zh.status_code == 429
    assert 'lang="zh' in refused_zh.content.decode()


def test_trace_page_past_its_limit_is_429(client):
    trace = TraceCodeFactory()
    with limits(trace="2/60"):
        statuses = [client.get(f"/t/{trace.code}").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_autocomplete_has_its_own_bucket(client):
    certificate = CertificateFactory()
    with limits(autocomplete="1/60", api="5/60"):
        first = client.get("/api/v1/autocomplete/?q=abc")
        second = client.get("/api/v1/autocomplete/?q=abcd")
        read = client.get(f"/api/v1/certificates/{certificate.number}/")

    assert first.status_code != 429
    assert second.status_code == 429
    assert read.status_code == 200


def test_report_form_posts_are_limited_but_reading_the_form_is_not(client):
    certificate = CertificateFactory()
    url = f"/en/lookup/certificates/{certificate.number}/report/"
    with limits(report="1/3600"):
        first_post = client.post(url, {"kind": "fake", "description": "short"})
        second_post = client.post(url, {"kind": "fake", "description": "short"})
        form = client.get(url)

    assert first_post.status_code == 400  # counted, and refused by the form
    assert second_post.status_code == 429
    assert int(second_post["Retry-After"]) <= 3600
    assert form.status_code == 200


def test_reporting_api_writes_have_a_stricter_bucket(client):
    url = "/api/v1/reporting/certificates/"
    with limits(api_write="1/60"):
        first = client.post(url, data={}, content_type="application/json")
        second = client.post(url, data={}, content_type="application/json")

    assert first.status_code == 401
    assert second.status_code == 429
    assert second.json()["error"]["code"] == "rate_limited"


def test_other_addresses_are_not_affected(client):
    with limits(lookup="1/60"):
        client.get("/en/lookup/", REMOTE_ADDR="203.0.113.7")
        refused = client.get("/en/lookup/", REMOTE_ADDR="203.0.113.7")
        other = client.get("/en/lookup/", REMOTE_ADDR="203.0.113.8")

    assert refused.status_code == 429
    assert other.status_code == 200


def test_an_ipv6_client_is_counted_by_its_64_network(client):
    with limits(lookup="1/60"):
        client.get("/en/lookup/", REMOTE_ADDR="2001:db8:1:2::1")
        same_network = client.get("/en/lookup/", REMOTE_ADDR="2001:db8:1:2::ffff")
        next_network = client.get("/en/lookup/", REMOTE_ADDR="2001:db8:1:3::1")

    assert same_network.status_code == 429
    assert next_network.status_code == 200


@override_settings(TRUST_X_FORWARDED_FOR=True)
def test_behind_the_proxy_the_forwarded_address_is_counted(client):
    with limits(lookup="1/60"):
        client.get("/en/lookup/", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
        invented_first_hop = client.get("/en/lookup/", HTTP_X_FORWARDED_FOR="198.51.100.2, 203.0.113.9")
        other_client = client.get("/en/lookup/", HTTP_X_FORWARDED_FOR="203.0.113.10")

    assert invented_first_hop.status_code == 429
    assert other_client.status_code == 200


def test_the_window_resets():
    rate = Rate(2, 60)
    start = 6000.0  # the start of a window
    waits = [hit("lookup", "203.0.113.1", rate, now=start + offset) for offset in (0, 10, 20, 59)]
    next_window = hit("lookup", "203.0.113.1", rate, now=start + 60)

    assert waits[:2] == [0, 0]
    assert waits[2:] == [40, 1]
    assert next_window == 0


def test_rates_are_read_as_requests_per_seconds():
    assert Rate.parse("120/60") == Rate(120, 60)
    assert Rate.parse("5") == Rate(5, 60)
    assert Rate.parse("") is None
    with pytest.raises(ValueError):
        Rate.parse("0/60")


def test_with_redis_up_the_counter_is_shared_in_redis(client):
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/9")), limits(lookup="1/60"):
        # Three requests: should a minute's window end between the first two, the
        # third still meets the limit.
        statuses = [client.get("/en/lookup/").status_code for _ in range(3)]
        cache.clear()

    assert statuses[0] == 200
    assert 429 in statuses[1:]


def test_with_the_cache_down_requests_are_still_served(client, caplog):
    trace = TraceCodeFactory()
    down = redis_cache(f"redis://127.0.0.1:{closed_port()}/9")
    with override_settings(CACHES=down), limits(lookup="1/60", trace="1/60", api="1/60"):
        pages = [client.get("/en/lookup/").status_code for _ in range(3)]
        traces = [client.get(f"/t/{trace.code}").status_code for _ in range(3)]
        api = [client.get(f"/api/v1/trace/{trace.code}/").status_code for _ in range(3)]

    assert pages == [200, 200, 200]
    assert traces == [200, 200, 200]
    assert api == [200, 200, 200]
    assert "Rate limit not checked" in caplog.text
