"""The reporting API: certification bodies write their certificates with an API key."""

import csv
import datetime
import io

import pytest

from lookup.api.auth import create_api_token
from lookup.models import Certificate, CertificationBody, ImportRun, Status, StatusChange, TraceCode
from lookup.tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE_URL = "/api/v1/reporting/certificates/"
ISSUED = datetime.date.today() - datetime.timedelta(days=30)
USCC = "91350100M000100Y43"


def certificate_url(number, tail=""):
    return f"/api/v1/reporting/certificates/{number}/{tail}"


def body(code):
    return CertificationBody.objects.get(code=code)


def key_for(code, user=None):
    _token, key = create_api_token(body(code), f"system of {code}", user)
    return key


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def send(client, method, url, key, data=None, **extra):
    return getattr(client, method)(url, data=data, content_type="application/json", **auth(key), **extra)


def record(number=None, **changes):
    data = {
        "number": number or f"G{ISSUED.year}001011123456",
        "issued_on": ISSUED.isoformat(),
        "expires_on": (ISSUED + datetime.timedelta(days=3 * 365)).isoformat(),
        "product_name": "节能家用电冰箱",
        "product_name_en": "Energy-saving refrigerator",
        "models": ["BCD-520WP", "BCD-521WP"],
        "standards": ["GB/T 39761-2021"],
        "brand": "青禾",
        "category": "011",
        "client": {"name": "青岛青禾电器有限公司", "uscc": USCC, "region": "370200"},
    }
    data.update(changes)
    return data


def certificate_of(code, **kwargs):
    return CertificateFactory(body=body(code), category__code="011", **kwargs)


def test_create_then_read_back_round_trip(client):
    key = key_for("001")

    created = send(client, "post", CREATE_URL, key, record())
    read = client.get(f"/api/v1/certificates/{created.json()['number']}/")

    assert created.status_code == 201
    assert read.status_code == 200
    data = read.json()
    assert data["models"] == ["BCD-520WP", "BCD-521WP"]
    assert data["client"]["uscc"] == USCC
    assert data["body"]["code"] == "001"
    assert [entry["source"] for entry in data["status_history"]] == ["api"]


def test_create_is_recorded_as_an_import_from_the_api(client):
    key = key_for("001")

    send(client, "post", CREATE_URL, key, record())

    run = ImportRun.objects.get()
    assert run.source == ImportRun.Source.API
    assert run.body.code == "001"
    assert run.outcome == ImportRun.Outcome.IMPORTED


def test_create_is_checked_like_an_import_row(client):
    key = key_for("001")

    response = send(client, "post", CREATE_URL, key, record(client={"name": "某公司", "uscc": "91350100M000100Y44"}))

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "client.uscc"
    assert not Certificate.objects.exists()


def test_create_with_expiry_before_issue_is_400(client):
    key = key_for("001")

    response = send(
        client, "post", CREATE_URL, key, record(expires_on=(ISSUED - datetime.timedelta(days=1)).isoformat())
    )

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "expires_on"


def test_missing_required_field_is_400_naming_it(client):
    key = key_for("001")
    data = record()
    del data["product_name"]

    response = send(client, "post", CREATE_URL, key, data)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "product_name"


def test_create_for_another_body_is_403(client):
    key = key_for("002")

    response = send(client, "post", CREATE_URL, key, record())

    assert response.status_code == 403
    assert not Certificate.objects.exists()


def test_create_of_an_existing_number_is_409(client):
    key = key_for("001")
    send(client, "post", CREATE_URL, key, record())

    response = send(client, "post", CREATE_URL, key, record())

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "exists"


def test_patch_changes_only_the_fields_sent(client):
    key = key_for("001")
    certificate = certificate_of("001", brand="旧牌")

    response = send(client, "patch", certificate_url(certificate.number), key, {"brand": "新牌"})

    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.brand == "新牌"
    assert certificate.product_models == ["BCD-520WP"]


def test_put_replaces_the_record(client):
    key = key_for("001")
    certificate = certificate_of("001")
    data = record(number=certificate.number, issued_on=certificate.issued_on.isoformat(), brand="换新")
    data["expires_on"] = certificate.expires_on.isoformat()

    response = send(client, "put", certificate_url(certificate.number), key, data)

    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.brand == "换新"
    assert certificate.product_models == ["BCD-520WP", "BCD-521WP"]
    assert certificate.client.uscc == USCC


def test_put_cannot_change_the_status(client):
    key = key_for("001")
    certificate = certificate_of("001")
    data = record(number=certificate.number, issued_on=certificate.issued_on.isoformat(), status="revoked")

    response = send(client, "put", certificate_url(certificate.number), key, data)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "status"


def test_token_of_body_002_cannot_change_a_certificate_of_body_001(client):
    key = key_for("002")
    certificate = certificate_of("001", brand="原牌")

    patched = send(client, "patch", certificate_url(certificate.number), key, {"brand": "改"})
    status = send(
        client, "post", certificate_url(certificate.number, "status"), key, {"status": "revoked", "reason": "x"}
    )
    codes = send(client, "post", certificate_url(certificate.number, "trace-codes"), key, {"count": 1})

    assert [patched.status_code, status.status_code, codes.status_code] == [403, 403, 403]
    assert patched.json()["error"]["code"] == "forbidden"
    certificate.refresh_from_db()
    assert (certificate.brand, certificate.status) == ("原牌", Status.VALID)
    assert not TraceCode.objects.exists()


def test_unknown_number_is_404(client):
    key = key_for("001")

    response = send(client, "patch", certificate_url("G2024001011999999"), key, {"brand": "x"})

    assert response.status_code == 404


def test_status_change_goes_into_the_history_from_the_api(client):
    user = UserFactory()
    key = key_for("001", user)
    certificate = certificate_of("001")

    response = send(
        client,
        "post",
        certificate_url(certificate.number, "status"),
        key,
        {"status": "suspended", "reason": "Surveillance audit missed", "date": datetime.date.today().isoformat()},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "suspended"
    change = StatusChange.objects.get(certificate=certificate)
    assert (change.to_status, change.source, change.changed_by) == ("suspended", "api", user)


def test_status_change_is_in_wagtail_audit_log_when_the_key_has_an_owner(client):
    from wagtail.models import ModelLogEntry

    user = UserFactory()
    key = key_for("001", user)
    certificate = certificate_of("001")

    send(client, "post", certificate_url(certificate.number, "status"), key, {"status": "revoked", "reason": "fraud"})

    entry = ModelLogEntry.objects.get(object_id=str(certificate.pk))
    assert entry.user == user
    assert entry.data["api_token"] == key[:8]


def test_status_change_the_rules_forbid_is_400(client):
    key = key_for("001")
    certificate = certificate_of("001", status=Status.REVOKED, status_reason="fraud")

    response = send(client, "post", certificate_url(certificate.number, "status"), key, {"status": "valid"})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "status"


def test_trace_codes_come_back_as_json(client):
    key = key_for("001")
    certificate = certificate_of("001")

    response = send(client, "post", certificate_url(certificate.number, "trace-codes"), key, {"count": 3})

    assert response.status_code == 201
    codes = response.json()
    assert len(codes) == 3
    assert {item["code"] for item in codes} == set(certificate.trace_codes.values_list("code", flat=True))
    assert all(item["url"].endswith(f"/t/{item['code']}") for item in codes)


def test_trace_codes_come_back_as_csv_when_asked(client):
    key = key_for("001")
    certificate = certificate_of("001")

    response = send(
        client, "post", certificate_url(certificate.number, "trace-codes"), key, {"count": 2}, HTTP_ACCEPT="text/csv"
    )

    assert response.status_code == 201
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["code", "url", "certificate", "product"]
    assert len(rows) == 3


def test_trace_codes_for_a_revoked_certificate_are_refused(client):
    key = key_for("001")
    certificate = certificate_of("001", status=Status.REVOKED, status_reason="fraud")

    response = send(client, "post", certificate_url(certificate.number, "trace-codes"), key, {"count": 2})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "certificate_closed"


def test_count_above_the_limit_is_400(client):
    key = key_for("001")
    certificate = certificate_of("001")

    response = send(client, "post", certificate_url(certificate.number, "trace-codes"), key, {"count": 10_001})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "count"


def test_body_that_is_not_json_is_400_in_the_error_shape(client):
    key = key_for("001")

    response = client.post(CREATE_URL, data="{not json", content_type="application/json", **auth(key))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_body"
