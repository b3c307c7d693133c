"""Issuing trace codes, their short address and scan counting (lookup.trace)."""

import random
import threading

import pytest

from django.db import connection
from django.test import override_settings
from django.utils import timezone

from lookup import scan_counts
from lookup.models import Status, TraceCode
from lookup.tests.factories import CertificateFactory, TraceCodeFactory, UserFactory
from lookup.trace import MAX_PER_REQUEST, TraceIssueError, issue_trace_codes, record_scan, trace_url

pytestmark = pytest.mark.django_db


def test_issues_the_number_of_codes_asked_for():
    certificate = CertificateFactory()

    traces = issue_trace_codes(certificate, 250)

    assert len(traces) == 250
    assert TraceCode.objects.filter(certificate=certificate).count() == 250


def test_the_largest_request_is_issued_in_one_go():
    certificate = CertificateFactory()

    traces = issue_trace_codes(certificate, MAX_PER_REQUEST)

    assert len({trace.code for trace in traces}) == MAX_PER_REQUEST
    assert TraceCode.objects.filter(certificate=certificate).count() == MAX_PER_REQUEST


def test_codes_carry_the_certificate_prefix_and_22_digits():
    certificate = CertificateFactory()

    traces = issue_trace_codes(certificate, 20)

    for trace in traces:
        assert trace.code.startswith(certificate.number[:11])
        assert len(trace.code) == 23
        assert trace.code[1:].isdigit()


def test_codes_of_one_request_share_one_issue_time():
    certificate = CertificateFactory()

    issue_trace_codes(certificate, 30)

    assert TraceCode.objects.filter(certificate=certificate).values("issued_at").distinct().count() == 1


def test_issuer_is_recorded():
    certificate = CertificateFactory()
    user = UserFactory()

    issue_trace_codes(certificate, 2, user=user)

    assert set(TraceCode.objects.values_list("issued_by", flat=True)) == {user.pk}


@pytest.mark.parametrize("count", [0, -1, MAX_PER_REQUEST + 1])
def test_count_out_of_range_is_refused(count):
    certificate = CertificateFactory()

    with pytest.raises(TraceIssueError) as error:
        issue_trace_codes(certificate, count)

    assert error.value.code == "bad_count"
    assert not TraceCode.objects.exists()


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.REVOKED])
def test_withdrawn_or_revoked_certificate_gets_no_codes(status):
    certificate = CertificateFactory(status=status, status_reason="test")

    with pytest.raises(TraceIssueError) as error:
        issue_trace_codes(certificate, 5)

    assert error.value.code == "certificate_closed"
    assert certificate.number in str(error.value)


def test_certificate_past_its_expiry_date_gets_no_codes():
    certificate = CertificateFactory(expired=True)

    with pytest.raises(TraceIssueError) as error:
        issue_trace_codes(certificate, 5)

    assert error.value.code == "certificate_closed"


def test_suspended_certificate_may_still_get_codes():
    certificate = CertificateFactory(status=Status.SUSPENDED, status_reason="audit")

    assert len(issue_trace_codes(certificate, 3)) == 3


def test_a_code_already_taken_is_drawn_again():
    certificate = CertificateFactory()
    first = issue_trace_codes(certificate, 5, rng=random.Random(7))

    again = issue_trace_codes(certificate, 5, rng=random.Random(7))

    assert not {trace.code for trace in first} & {trace.code for trace in again}
    assert TraceCode.objects.count() == 10


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite's shared in-memory test database locks whole tables across threads"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_drawing_the_same_codes_all_get_unique_codes():
    certificate = CertificateFactory()
    barrier = threading.Barrier(2)
    results, failures = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            results.append(issue_trace_codes(certificate, 200, rng=random.Random(42)))
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _thread in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    codes = [trace.code for batch in results for trace in batch]
    assert len(codes) == 400
    assert len(set(codes)) == 400
    assert TraceCode.objects.filter(certificate=certificate).count() == 400


@override_settings(SITE_URL="https://www.example.cn/")
def test_trace_url_is_the_short_language_neutral_address():
    assert trace_url("G2024001011000418273941") == "https://www.example.cn/t/G2024001011000418273941"


def test_a_scan_counts_once_and_keeps_the_first_date():
    trace = TraceCodeFactory()

    record_scan(trace)
    first = trace.first_scanned_at
    record_scan(trace)

    assert trace.scan_count == 2
    assert trace.first_scanned_at == first
    assert trace.last_scanned_at >= first


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite's shared in-memory test database locks whole tables across threads"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_flushing_the_same_codes_in_opposite_orders_never_deadlock():
    """Two gunicorn workers flush the scan counts of codes they both served, each in
    the order it met them. Each flush locks its rows in key order first; before, the
    update locked them in its own order and PostgreSQL broke the deadlock after a
    second with an error on the page being served."""
    codes = issue_trace_codes(CertificateFactory(), 200, rng=random.Random(5))
    now = timezone.now()
    pending = sorted((trace.pk, (trace.code, now)) for trace in codes)
    orders = [dict(pending), dict(reversed(pending))]
    barrier = threading.Barrier(2)
    failures = []

    def flush(order):
        try:
            with connection.cursor() as cursor:
                # The plan of a registry of millions of codes: the rows found through
                # the primary key, one after another, in the order the flush lists
                # them (on a table this small PostgreSQL would scan it in its own order).
                cursor.execute("SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off")
            for _round in range(5):
                barrier.wait(timeout=20)
                scan_counts._write_totals(order)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=flush, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert TraceCode.objects.filter(last_scanned_at=now).count() == 200
