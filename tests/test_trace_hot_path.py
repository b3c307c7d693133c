"""The trace page's hot path: sessionless middleware (security.sessionless) and the
one-round-trip cache calls on Redis (lookup.redis_cache.GuardedRedisCache.run_script,
lookup.scan_counts.tally_with, lookup.ratelimit).

The cache behaviours are one class run against each cache the site runs on: the
local-memory cache of development and tests, and a real Redis (127.0.0.1:6379,
database 9, a key prefix of its own), where the Lua scripts run.
"""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
import redis

from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import timezone, translation

from config.settings.base import redis_caches
from lookup import ratelimit, scan_counts, trace_pages
from lookup.models import TraceCode
from lookup.tests.factories import TraceCodeFactory, UserFactory
from tests.test_faults import down_url

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/9"


def scans_line(response):
    text = " ".join(response.content.decode().split())
    return text[text.index("trace__scans") :][:120]


def open_trace(client, code, **headers):
    return client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE="en", **headers)


# --- sessionless middleware ------------------------------------------------------------


def test_a_signed_in_visitor_s_cached_trace_page_reads_no_session(client, django_assert_num_queries):
    scan_counts.flush()  # no flush of earlier tests' scans falls due within this one
    client.force_login(UserFactory())
    trace = TraceCodeFactory()
    open_trace(client, trace.code)

    with django_assert_num_queries(0):
        response = open_trace(client, trace.code)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies


def test_the_trace_page_still_has_its_security_headers_language_and_rate_limit(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "trace": "2/60"}
    cache.clear()
    trace = TraceCodeFactory()

    answers = [open_trace(client, trace.code) for _ in range(3)]

    first = answers[0]
    nonce = first["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in first.content.decode()
    assert "camera=()" in first["Permissions-Policy"]
    assert first["X-Frame-Options"] == "DENY"
    assert first["Content-Language"] == "en"
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    cache.clear()


def test_a_post_to_the_trace_address_still_meets_the_csrf_check():
    trace = TraceCodeFactory()

    response = Client(enforce_csrf_checks=True).post(f"/t/{trace.code}")

    assert response.status_code == 403


def test_other_pages_keep_the_session(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get("/admin/")

    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated


# --- the cached page and its count, on each cache --------------------------------------


@pytest.fixture(params=["local memory", "redis"])
def each_cache(request):
    scan_counts.flush()
    if request.param == "local memory":
        cache.clear()
        yield request.param
        cache.clear()
    else:
        with override_settings(CACHES=redis_caches(REDIS, key_prefix=f"greencert-hot-{uuid.uuid4().hex}")):
            yield request.param
            scan_counts.flush()
            cache.clear()
    scan_counts.flush()


class TestCachedTracePage:
    def test_each_scan_of_a_cached_page_counts_once(self, client, each_cache):
        trace = TraceCodeFactory()

        lines = [scans_line(open_trace(client, trace.code)) for _ in range(4)]
        scan_counts.flush()

        assert "first time" in lines[0]
        assert "checked 2 times" in lines[1]
        assert "checked 3 times" in lines[2]
        assert "checked 4 times" in lines[3]
        assert TraceCode.objects.get(pk=trace.pk).scan_count == 4

    def test_a_head_or_a_crawler_reads_the_count_of_a_cached_page_without_adding(self, client, each_cache):
        trace = TraceCodeFactory()
        open_trace(client, trace.code)
        open_trace(client, trace.code)

        client.head(f"/t/{trace.code}")
        crawler = open_trace(client, trace.code, HTTP_USER_AGENT="Googlebot/2.1")

        assert "checked 2 times" in scans_line(crawler)
        assert "checked 3 times" in scans_line(open_trace(client, trace.code))

    def test_a_total_gone_from_the_cache_starts_again_from_the_database(self, client, each_cache):
        trace = TraceCodeFactory()
        open_trace(client, trace.code)
        open_trace(client, trace.code)
        scan_counts.flush()
        cache.delete(scan_counts.total_key(trace.code))

        response = open_trace(client, trace.code)

        assert "checked 3 times" in scans_line(response)

    def test_a_page_gone_from_the_cache_is_rendered_again_and_counted_once(self, client, each_cache):
        trace = TraceCodeFactory()
        open_trace(client, trace.code)
        trace_pages.forget_certificates([trace.certificate_id])

        response = open_trace(client, trace.code)

        assert "checked 2 times" in scans_line(response)
        assert "checked 3 times" in scans_line(open_trace(client, trace.code))

    def test_a_code_gone_from_the_cache_is_remembered_again_from_its_page(
        self, client, each_cache, django_assert_num_queries
    ):
        trace = TraceCodeFactory()
        open_trace(client, trace.code)
        open_trace(client, trace.code)
        scan_counts.flush()
        trace_pages.forget_codes([trace.code])
        open_trace(client, trace.code)

        with django_assert_num_queries(0):
            response = open_trace(client, trace.code)

        assert "checked 4 times" in scans_line(response)

    def test_the_rate_limit_counts_and_refuses_past_the_limit(self, each_cache):
        rate = ratelimit.Rate(2, 60)
        key = f"test-{uuid.uuid4().hex}"

        waits = [ratelimit.hit("trace", key, rate, now=1_000_000) for _ in range(3)]

        assert waits[:2] == [0, 0]
        assert 0 < waits[2] <= 60


def test_on_redis_the_rate_limit_counter_expires_with_its_window():
    with override_settings(CACHES=redis_caches(REDIS, key_prefix=f"greencert-hot-{uuid.uuid4().hex}")):
        ratelimit.hit("trace", "192.0.2.1", ratelimit.Rate(5, 60), now=6_000)
        counter = "ratelimit:v1:trace:192.0.2.1:100"
        lifetime = cache.ttl(counter)
        value = cache.get(counter)
        cache.clear()

    assert value == 1
    assert 0 < lifetime <= 61


def test_clearing_the_redis_cache_keeps_the_keys_of_other_prefixes():
    prefixes = [f"greencert-hot-{uuid.uuid4().hex}" for _ in range(2)]
    for prefix in prefixes:
        with override_settings(CACHES=redis_caches(REDIS, key_prefix=prefix)):
            cache.set("page", prefix)
    with override_settings(CACHES=redis_caches(REDIS, key_prefix=prefixes[0])):
        cache.clear()
        cleared = cache.get("page")
    with override_settings(CACHES=redis_caches(REDIS, key_prefix=prefixes[1])):
        kept = cache.get("page")
        cache.clear()

    assert cleared is None
    assert kept == prefixes[1]


def round_trips():
    """Counts the commands sent to Redis while it is entered."""
    return mock.patch.object(
        redis.connection.AbstractConnection,
        "send_packed_command",
        autospec=True,
        side_effect=redis.connection.AbstractConnection.send_packed_command,
    )


def on_redis():
    return override_settings(CACHES=redis_caches(REDIS, key_prefix=f"greencert-hot-{uuid.uuid4().hex}"))


def test_on_redis_a_repeated_scan_is_one_round_trip(client):
    """The code, its page, its scan count and the rate limit's count in one script."""
    trace = TraceCodeFactory()
    with on_redis():
        open_trace(client, trace.code)
        open_trace(client, trace.code)
        with round_trips() as sent:
            response = open_trace(client, trace.code)
        scan_counts.flush()
        cache.clear()

    assert "checked 3 times" in scans_line(response)
    assert sent.call_count == 1


def test_on_redis_every_path_of_the_trace_page_counts_the_request_once(client, settings):
    """A rendered page, a cached one, a typed variant, an unknown code, a malformed
    code and a POST (405) each count one request: the fourth of a limit of 6 is still
    served, and past the limit each path answers 429."""
    settings.RATELIMITS = {**settings.RATELIMITS, "trace": "6/60"}
    trace = TraceCodeFactory()
    unknown = trace.code[:-1] + str((int(trace.code[-1]) + 1) % 10)
    with on_redis():
        answers = [
            open_trace(client, trace.code),  # rendered
            open_trace(client, trace.code),  # cached
            open_trace(client, trace.code[:12] + "-" + trace.code[12:]),  # typed: no cached page
            open_trace(client, unknown),  # nobody issued it
            open_trace(client, "not-a-code"),
            client.post(f"/t/{trace.code}"),
        ]
        refused = [
            open_trace(client, trace.code),
            open_trace(client, unknown),
            open_trace(client, "not-a-code"),
        ]
        scan_counts.flush()
        cache.clear()

    assert [answer.status_code for answer in answers] == [200, 200, 200, 404, 400, 405]
    assert [answer.status_code for answer in refused] == [429, 429, 429]
    assert all(int(answer["Retry-After"]) > 0 for answer in refused)
    # The refused scan read nothing and counted nothing.
    assert TraceCode.objects.get(pk=trace.pk).scan_count == 3


def test_on_redis_a_scan_past_the_limit_reads_no_database_and_counts_no_scan(
    client, settings, django_assert_num_queries
):
    settings.RATELIMITS = {**settings.RATELIMITS, "trace": "2/60"}
    trace = TraceCodeFactory()
    with on_redis():
        open_trace(client, trace.code)
        open_trace(client, trace.code)
        with django_assert_num_queries(0):
            refused = open_trace(client, trace.code)
        total = cache.get(scan_counts.total_key(trace.code))
        scan_counts.flush()
        cache.clear()

    assert refused.status_code == 429
    assert total == 2


def test_with_redis_down_the_cached_path_falls_back_to_the_database(client):
    trace = TraceCodeFactory()
    with override_settings(CACHES=redis_caches(down_url("redis") + "/9", key_prefix="hot-down")):
        lines = [scans_line(open_trace(client, trace.code)) for _ in range(2)]

    assert "first time" in lines[0]
    assert "checked 2 times" in lines[1]
    assert TraceCode.objects.get(pk=trace.pk).scan_count == 2


# --- the scan-count line ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_scan_count_line_reads_as_its_template_renders_it_for_every_count(language):
    first = timezone.now() - timedelta(days=40)
    tallies = [scan_counts.Tally(count, first) for count in (0, 1, 2, 3, 11, 21, 101, 1234, 99999)]
    tallies.append(scan_counts.Tally(1, None))

    with translation.override(language):
        lines = [trace_pages.render_scans(tally) for tally in tallies * 2]
        rendered = [render_to_string(trace_pages.SCANS_TEMPLATE, {"trace": tally}) for tally in tallies * 2]

    assert lines == rendered
