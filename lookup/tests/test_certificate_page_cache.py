"""The certificate page's cache (lookup.certificate_pages)."""

import re
import time

import pytest

from lookup import certificate_pages
from lookup.models import Certificate, Status
from lookup.status import change_status
from lookup.tests.factories import CertificateFactory
from lookup.tests.support import page_nonces

pytestmark = pytest.mark.django_db


def open_page(client, number, query=None, host="testserver"):
    return client.get(f"/en/lookup/certificates/{number}/", query or {}, HTTP_HOST=host)


def banner(response):
    return re.search(r'class="status-banner__label">([^<]*)<', response.content.decode()).group(1)


def test_second_request_is_served_from_the_cache_without_the_database(client, django_assert_num_queries):
    certificate = CertificateFactory()
    first = open_page(client, certificate.number).content.decode()

    with django_assert_num_queries(0):
        response = open_page(client, certificate.number)

    assert response.status_code == 200
    assert certificate.number in response.content.decode()
    assert response.content.decode().count("status-banner__label") == first.count("status-banner__label")


def test_revoked_certificate_reads_revoked_on_the_next_request_after_commit(
    client, django_capture_on_commit_callbacks
):
    certificate = CertificateFactory(status=Status.VALID)
    assert banner(open_page(client, certificate.number)) == "Valid"

    with django_capture_on_commit_callbacks(execute=True):
        change_status(certificate, Status.REVOKED, reason="Failed a spot check")

    assert banner(open_page(client, certificate.number)) == "Revoked"


def test_a_change_without_save_is_seen_once_the_page_expires(client, monkeypatch):
    monkeypatch.setattr(certificate_pages, "PAGE_TIMEOUT", 1)
    certificate = CertificateFactory(status=Status.VALID)
    open_page(client, certificate.number)
    Certificate.objects.filter(pk=certificate.pk).update(status=Status.REVOKED)

    assert banner(open_page(client, certificate.number)) == "Valid"
    time.sleep(1.1)
    assert banner(open_page(client, certificate.number)) == "Revoked"


def test_the_valid_on_date_answer_is_never_cached(client):
    certificate = CertificateFactory()
    open_page(client, certificate.number)
    day = certificate.issued_on.isoformat()

    first = open_page(client, certificate.number, {"on": day}).content.decode()
    future = open_page(client, certificate.number, {"on": "2999-01-01"}).content.decode()

    assert "That date is in the future" in future and "That date is in the future" not in first
    assert "That date is in the future" not in open_page(client, certificate.number).content.decode()


def test_a_page_for_another_host_is_rendered_with_its_own_address(client):
    certificate = CertificateFactory()
    open_page(client, certificate.number, host="testserver")

    content = open_page(client, certificate.number, host="localhost").content.decode()

    assert f"http://localhost/en/lookup/certificates/{certificate.number}/" in content
    assert "http://testserver/" not in content


def test_each_cached_page_carries_the_nonce_of_its_own_response(client):
    certificate = CertificateFactory()
    responses = [open_page(client, certificate.number) for _ in range(3)]

    nonces = [page_nonces(response) for response in responses]
    assert all(nonces)
    assert nonces[1] != nonces[0] and nonces[2] != nonces[1]
