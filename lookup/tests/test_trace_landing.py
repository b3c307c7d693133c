"""The short trace page /t/<code> that a label's QR code opens."""

import datetime

import pytest

from django.test import override_settings
from django.utils import timezone

from lookup import scan_counts
from lookup.models import Status, TraceCode
from lookup.tests.factories import CertificateFactory, TraceCodeFactory

pytestmark = pytest.mark.django_db


def open_trace(client, code, language="en"):
    return client.get(f"/t/{code}", HTTP_ACCEPT_LANGUAGE=language)


def test_valid_code_shows_status_first_then_product_brand_client_and_body(client):
    trace = TraceCodeFactory(certificate__brand="青禾")
    certificate = trace.certificate

    response = open_trace(client, trace.code)

    assert response.status_code == 200
    page = response.content.decode()
    positions = [
        page.index("Valid"),
        page.index(certificate.product_name_en),
        page.index("青禾"),
        page.index(certificate.client.name_en),
        page.index(certificate.body.name_en),
    ]
    assert positions == sorted(positions)


def test_page_is_in_the_language_of_accept_language(client):
    trace = TraceCodeFactory()

    response = open_trace(client, trace.code, language="zh-CN,zh;q=0.9")

    assert response["Content-Language"] == "zh-hans"
    assert trace.certificate.product_name in response.content.decode()


def test_each_visit_counts_one_scan(client):
    trace = TraceCodeFactory()

    open_trace(client, trace.code)
    open_trace(client, trace.code)
    scan_counts.flush()

    trace.refresh_from_db()
    assert trace.scan_count == 2
    assert trace.first_scanned_at is not None


def test_first_scan_says_so(client):
    trace = TraceCodeFactory()

    response = open_trace(client, trace.code)

    assert "This is the first time this code has been checked." in response.content.decode()


def test_repeat_scans_give_the_count_and_first_date_without_calling_it_fake(client):
    trace = TraceCodeFactory()
    first = timezone.make_aware(datetime.datetime(2025, 5, 2, 10, 0))
    TraceCode.objects.filter(pk=trace.pk).update(scan_count=2, first_scanned_at=first)

    response = open_trace(client, trace.code)

    page = " ".join(response.content.decode().split())
    assert "This code has been checked 3 times since May 2, 2025." in page
    assert "If you checked this code before, those checks are counted here." in page
    assert "the label may have been copied from another product: ask the seller" in page
    assert "fake" not in page.lower()


def test_head_request_does_not_count_a_scan(client):
    trace = TraceCodeFactory()

    client.head(f"/t/{trace.code}")

    trace.refresh_from_db()
    assert trace.scan_count == 0


@pytest.mark.parametrize(("status", "words"), [(Status.REVOKED, "Revoked"), (Status.WITHDRAWN, "Withdrawn")])
def test_code_of_a_closed_certificate_reads_as_such(client, status, words):
    trace = TraceCodeFactory(certificate=CertificateFactory(status=status, status_reason="Failed a spot check"))

    response = open_trace(client, trace.code)

    page = response.content.decode()
    assert f"<h1>{words}</h1>" in page
    assert "Failed a spot check" in page


def test_code_of_an_expired_certificate_reads_expired(client):
    trace = TraceCodeFactory(certificate=CertificateFactory(expired=True))

    response = open_trace(client, trace.code)

    assert "<h1>Expired</h1>" in response.content.decode()


def test_code_is_normalised_before_it_is_looked_up(client):
    trace = TraceCodeFactory()
    typed = "g" + trace.code[1:12] + "-" + trace.code[12:]

    response = open_trace(client, typed)

    assert response.status_code == 200


def test_malformed_code_is_400_saying_what_is_wrong(client):
    response = open_trace(client, "G20240010110004182")

    assert response.status_code == 400
    assert "A trace code has 23 characters" in response.content.decode()


def test_well_formed_unknown_code_is_404(client):
    response = open_trace(client, "G2024001011000000000000")

    assert response.status_code == 404
    assert "No product has the trace code G2024001011000000000000." in response.content.decode()


@override_settings(SITE_URL="https://cgp.example.cn")
def test_page_names_the_official_host_in_plain_text(client):
    trace = TraceCodeFactory()

    response = open_trace(client, trace.code)

    assert "The official address of this lookup is cgp.example.cn." in response.content.decode()
