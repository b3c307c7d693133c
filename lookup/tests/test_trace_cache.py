"""The trace page's cache and its buffered scan counts (lookup.trace_pages, lookup.scan_counts)."""

import runpy
import time
from pathlib import Path

import pytest

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from lookup import scan_counts, trace_pages
from lookup.models import Certificate, Status, TraceCode
from lookup.status import change_status
from lookup.tests.factories import CertificateFactory, TraceCodeFactory
from lookup.tests.support import page_nonces

pytestmark = pytest.mark.django_db

GUNICORN_CONF = Path(settings.BASE_DIR) / "site" / "gunicorn.conf.py"


@pytest.fixture(autouse=True)
def nothing_pending():
    """Each test starts and ends with no scans waiting in this process."""
    scan_counts.flush()
    yield
    scan_counts.flush()


def open_trace(client, code, language="en"):
    return client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE=language)


def page_text(response):
    return " ".join(response.content.decode().split())


def stored_count(trace):
    trace.refresh_from_db()
    return trace.scan_count


def test_second_visit_is_served_from_the_cache_without_the_database(client, django_assert_num_queries):
    trace = TraceCodeFactory()
    open_trace(client, trace.code)

    with django_assert_num_queries(0):
        response = open_trace(client, trace.code)

    assert response.status_code == 200
    assert trace.certificate.product_name_en in response.content.decode()
    assert "This code has been checked 2 times since" in page_text(response)


def test_revoked_certificate_reads_revoked_on_the_next_scan_after_commit(client, django_capture_on_commit_callbacks):
    trace = TraceCodeFactory()
    assert "<h1>Valid</h1>" in open_trace(client, trace.code).content.decode()
    open_trace(client, trace.code, language="zh-CN")

    with django_capture_on_commit_callbacks(execute=True):
        change_status(trace.certificate, Status.REVOKED, reason="Failed a spot check")

    english = open_trace(client, trace.code).content.decode()
    assert "<h1>Revoked</h1>" in english
    assert "Failed a spot check" in english
    with translation.override("zh-hans"):
        revoked_in_chinese = str(Status.REVOKED.label)
    assert revoked_in_chinese in open_trace(client, trace.code, language="zh-CN").content.decode()


def test_a_rolled_back_change_keeps_the_cached_page(client, django_capture_on_commit_callbacks):
    trace = TraceCodeFactory()
    open_trace(client, trace.code)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change_status(trace.certificate, Status.REVOKED, reason="Failed a spot check")

    assert callbacks, "the change queues the cache invalidation for the commit"
    assert trace_pages.cached_page(trace.code) is not None


def test_a_change_without_save_is_seen_once_the_page_expires(client, monkeypatch):
    monkeypatch.setattr(trace_pages, "PAGE_TIMEOUT", 1)
    trace = TraceCodeFactory()
    open_trace(client, trace.code)
    Certificate.objects.filter(pk=trace.certificate_id).update(status=Status.REVOKED)

    assert "<h1>Valid</h1>" in open_trace(client, trace.code).content.decode()
    time.sleep(1.1)
    assert "<h1>Revoked</h1>" in open_trace(client, trace.code).content.decode()


def test_deleting_a_certificate_forgets_its_pages(client, django_capture_on_commit_callbacks):
    trace = TraceCodeFactory()
    open_trace(client, trace.code)

    with django_capture_on_commit_callbacks(execute=True):
        trace.certificate.delete()

    assert open_trace(client, trace.code).status_code == 404


def test_unknown_code_is_not_cached_and_is_found_once_issued(client):
    certificate = CertificateFactory()
    code = certificate.number[:11] + "000000000001"

    assert open_trace(client, code).status_code == 404
    TraceCode.objects.create(code=code, certificate=certificate)

    assert open_trace(client, code).status_code == 200


def test_typed_variant_of_a_code_is_answered_but_not_cached(client):
    trace = TraceCodeFactory()
    typed = "g" + trace.code[1:]

    response = open_trace(client, typed)

    assert response.status_code == 200
    assert trace_pages.cached_page(trace.code) is None


def test_each_cached_page_carries_the_nonce_of_its_own_response(client):
    trace = TraceCodeFactory()
    responses = [open_trace(client, trace.code) for _ in range(3)]

    nonces = [page_nonces(response) for response in responses]
    if nonces[0]:
        assert nonces[1] != nonces[0] and nonces[2] != nonces[1]


def test_head_reads_the_count_without_adding_to_it(client):
    trace = TraceCodeFactory()
    open_trace(client, trace.code)

    client.head(f"/t/{trace.code}")
    response = open_trace(client, trace.code)

    assert "This code has been checked 2 times since" in page_text(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
        {"HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        {"HTTP_USER_AGENT": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"},
        {"HTTP_USER_AGENT": "WhatsApp/2.23.20.0"},
        {"HTTP_SEC_PURPOSE": "prefetch"},
    ],
    ids=["baidu", "google", "link-preview", "chat-preview", "prefetch"],
)
def test_crawlers_link_previews_and_prefetches_read_the_count_without_adding_to_it(client, headers):
    trace = TraceCodeFactory()
    open_trace(client, trace.code)

    automated = client.get(f"/t/{trace.code}", **headers)
    response = open_trace(client, trace.code)

    assert automated.status_code == 200
    assert "This code has been checked 2 times since" in page_text(response)


def test_a_phone_browser_inside_a_chat_app_counts_as_a_scan(client):
    trace = TraceCodeFactory()
    wechat = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47"
    )
    client.get(f"/t/{trace.code}", HTTP_USER_AGENT=wechat)
    client.get(f"/t/{trace.code}", HTTP_USER_AGENT=wechat)

    assert "This code has been checked 3 times since" in page_text(open_trace(client, trace.code))


def test_scans_reach_the_database_on_flush():
    trace = TraceCodeFactory()
    for _ in range(5):
        scan_counts.count_scan(trace.code, trace.pk, None)

    assert scan_counts.pending() == 1
    assert scan_counts.flush() == 1

    assert stored_count(trace) == 5
    assert trace.first_scanned_at is not None
    assert trace.last_scanned_at >= trace.first_scanned_at
    assert scan_counts.pending() == 0


def test_flush_writes_totals_so_repeating_it_counts_nothing_twice():
    trace = TraceCodeFactory()
    scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.flush()
    # A flush that wrote but did not finish is repeated: the same total again.
    scan_counts._dirty.mark(trace.code, trace.pk, timezone.now())
    scan_counts.flush()

    assert stored_count(trace) == 2


def test_flush_is_due_after_the_interval_and_comes_from_the_request_path(client, settings):
    settings.TRACE_SCAN_FLUSH_SECONDS = 0
    trace = TraceCodeFactory()

    open_trace(client, trace.code)
    open_trace(client, trace.code)

    assert stored_count(trace) == 2


def test_with_a_flushing_thread_the_request_path_never_flushes(client, settings):
    settings.TRACE_SCAN_FLUSH_SECONDS = 3600
    trace = TraceCodeFactory()
    scan_counts.flush_in_background()
    try:
        open_trace(client, trace.code)
        scan_counts._dirty.last_flush -= 7200  # long overdue
        open_trace(client, trace.code)

        assert scan_counts.pending() == 1
        assert stored_count(trace) == 0
    finally:
        scan_counts.stop_flushing_in_background()


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite's shared in-memory test database locks whole tables across threads"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_flushing_thread_writes_the_counts(client, settings):
    trace = TraceCodeFactory()
    for _ in range(3):
        open_trace(client, trace.code)
    settings.TRACE_SCAN_FLUSH_SECONDS = 0.05
    flusher = scan_counts.flush_in_background()
    try:
        deadline = time.monotonic() + 10
        while stored_count(trace) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored_count(trace) == 3
        assert scan_counts.pending() == 0
        assert flusher.is_alive()
    finally:
        scan_counts.stop_flushing_in_background()
    assert not flusher.is_alive()


def test_scans_between_flushes_are_all_counted():
    trace = TraceCodeFactory()
    for _ in range(3):
        scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.flush()
    for _ in range(4):
        scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.flush()

    assert stored_count(trace) == 7


def test_a_lost_cached_total_starts_again_from_the_database():
    trace = TraceCodeFactory()
    for _ in range(3):
        scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.flush()
    cache.delete(scan_counts.total_key(trace.code))

    tally = scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.flush()

    assert tally.scan_count == 4
    assert stored_count(trace) == 4


def test_first_scan_date_is_kept_across_flushes():
    trace = TraceCodeFactory()
    first = scan_counts.count_scan(trace.code, trace.pk, None).first_scanned_at
    scan_counts.flush()
    later = scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.flush()

    assert later.first_scanned_at == first
    trace.refresh_from_db()
    assert trace.first_scanned_at == first


def test_gunicorn_worker_exit_writes_what_is_pending():
    trace = TraceCodeFactory()
    scan_counts.count_scan(trace.code, trace.pk, None)
    scan_counts.count_scan(trace.code, trace.pk, None)
    hooks = runpy.run_path(str(GUNICORN_CONF))

    hooks["worker_exit"](server=None, worker=None)

    assert stored_count(trace) == 2
    assert scan_counts.pending() == 0


def test_a_new_code_of_a_certificate_is_served_its_page_with_its_own_code(client, django_assert_max_num_queries):
    first = TraceCodeFactory()
    second = TraceCodeFactory(certificate=first.certificate)
    open_trace(client, first.code)

    # One query finds the code's certificate, one starts its scan count.
    with django_assert_max_num_queries(2):
        response = open_trace(client, second.code)

    text = page_text(response)
    assert second.code in text and first.code not in text
    assert first.certificate.product_name_en in text
    assert "This is the first time this code has been checked." in text


def test_revoking_a_certificate_is_seen_through_every_code_of_it(client, django_capture_on_commit_callbacks):
    first = TraceCodeFactory()
    second = TraceCodeFactory(certificate=first.certificate)
    open_trace(client, first.code)
    open_trace(client, second.code)

    with django_capture_on_commit_callbacks(execute=True):
        change_status(first.certificate, Status.REVOKED, reason="Failed a spot check")

    assert "<h1>Revoked</h1>" in open_trace(client, first.code).content.decode()
    assert "<h1>Revoked</h1>" in open_trace(client, second.code).content.decode()


def test_a_code_moved_to_another_certificate_leads_to_that_certificate(client, django_capture_on_commit_callbacks):
    trace = TraceCodeFactory()
    other = CertificateFactory()
    open_trace(client, trace.code)

    with django_capture_on_commit_callbacks(execute=True):
        trace.certificate = other
        trace.save()

    assert other.product_name_en in open_trace(client, trace.code).content.decode()


def test_deleting_a_trace_code_is_a_not_found_on_the_next_scan(client, django_capture_on_commit_callbacks):
    trace = TraceCodeFactory()
    open_trace(client, trace.code)

    with django_capture_on_commit_callbacks(execute=True):
        trace.delete()

    assert open_trace(client, trace.code).status_code == 404
