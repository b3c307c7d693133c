"""The anonymous read endpoints: GET /api/v1/certificates/NUMBER/ and /api/v1/trace/CODE/."""

import pytest

from lookup.models import Status
from lookup.tests.factories import CertificateFactory, StatusChangeFactory, TraceCodeFactory

pytestmark = pytest.mark.django_db


def certificate_url(number):
    return f"/api/v1/certificates/{number}/"


def trace_url(code):
    return f"/api/v1/trace/{code}/"


def test_certificate_answers_the_whole_record(client):
    certificate = CertificateFactory(product_models=["BCD-520WP", "BCD-521WP"])
    StatusChangeFactory(certificate=certificate)

    response = client.get(certificate_url(certificate.number))

    assert response.status_code == 200
    data = response.json()
    assert data["number"] == certificate.number
    assert data["status"] == "valid"
    assert data["models"] == ["BCD-520WP", "BCD-521WP"]
    assert data["client"]["uscc"] == certificate.client.uscc
    assert data["body"]["code"] == certificate.body.code
    assert [entry["to_status"] for entry in data["status_history"]] == ["valid"]


def test_unknown_certificate_is_404_in_the_error_shape(client):
    response = client.get(certificate_url("G2024001011000000"))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["field"] == "number"


def test_number_is_normalised_before_it_is_judged(client):
    certificate = CertificateFactory()
    number = certificate.number
    full_width = "".join(chr(ord(character) + 0xFEE0) for character in number)
    typed = [number.lower(), f" {number[:5]} {number[5:]} ", f"{number[:8]}-{number[8:]}", full_width]

    statuses = [client.get(certificate_url(value)).status_code for value in typed]

    assert statuses == [200, 200, 200, 200]


def test_malformed_number_is_400_with_the_code_error_message(client):
    response = client.get(certificate_url("G20240010113829"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_length"
    assert error["field"] == "number"
    assert error["message"].startswith("A certificate number has 17 characters")


def test_valid_certificate_past_expiry_reads_expired(client):
    certificate = CertificateFactory(expired=True)

    data = client.get(certificate_url(certificate.number)).json()

    assert data["status"] == "expired"
    assert data["recorded_status"] == "valid"


def test_names_follow_accept_language(client):
    certificate = CertificateFactory()

    english = client.get(certificate_url(certificate.number), HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get(certificate_url(certificate.number), HTTP_ACCEPT_LANGUAGE="zh-CN").json()

    assert english["category"]["name"] == certificate.category.name_en
    assert chinese["category"]["name"] == certificate.category.name_zh
    assert english["client"]["display_name"] == certificate.client.name_en


def test_lang_parameter_overrides_accept_language(client):
    certificate = CertificateFactory()

    response = client.get(certificate_url(certificate.number) + "?lang=en", HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert response["Content-Language"] == "en"
    assert response.json()["display_product_name"] == certificate.product_name_en


def test_unknown_lang_is_400_naming_the_parameter(client):
    certificate = CertificateFactory()

    response = client.get(certificate_url(certificate.number) + "?lang=fr")

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "lang"


def test_trace_answers_the_code_and_its_certificate(client):
    trace = TraceCodeFactory()

    response = client.get(trace_url(trace.code))

    assert response.status_code == 200
    data = response.json()
    assert data["code"] == trace.code
    assert data["url"].endswith(f"/t/{trace.code}")
    assert data["certificate"]["number"] == trace.certificate.number


def test_trace_lookup_through_the_api_is_not_counted_as_a_scan(client):
    trace = TraceCodeFactory()

    client.get(trace_url(trace.code))

    trace.refresh_from_db()
    assert trace.scan_count == 0


def test_trace_code_of_a_revoked_certificate_reads_revoked(client):
    certificate = CertificateFactory(status=Status.REVOKED, status_reason="Failed a spot check")
    trace = TraceCodeFactory(certificate=certificate)

    data = client.get(trace_url(trace.code)).json()

    assert data["status"] == "revoked"
    assert data["certificate"]["status_reason"] == "Failed a spot check"


def test_trace_code_in_lower_case_with_spaces_is_found(client):
    trace = TraceCodeFactory()

    response = client.get(trace_url(f"g{trace.code[1:11]} {trace.code[11:]}"))

    assert response.status_code == 200


def test_malformed_trace_code_is_400_naming_the_field(client):
    response = client.get(trace_url("G2024001011000A18273941"))

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "bad_character",
        "message": response.json()["error"]["message"],
        "field": "code",
    }


def test_unknown_trace_code_is_404(client):
    response = client.get(trace_url("G2024001011000000000000"))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_document_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/certificates/{number}/",
        "/api/v1/trace/{code}/",
        "/api/v1/reporting/certificates/",
        "/api/v1/reporting/certificates/{number}/",
        "/api/v1/reporting/certificates/{number}/status",
        "/api/v1/reporting/certificates/{number}/trace-codes",
    ):
        assert path in paths


def test_api_docs_page_is_served(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_chinese_text_is_sent_as_utf8_not_escapes(client):
    certificate = CertificateFactory()

    response = client.get(certificate_url(certificate.number))

    assert certificate.product_name.encode() in response.content
    assert response["Content-Type"].startswith("application/json")
