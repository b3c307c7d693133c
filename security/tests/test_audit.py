"""The audit trail: what gets recorded, with whom, from where and with what outcome."""

import datetime
import io

import pytest

from django.test import RequestFactory

from wagtail.log_actions import log

from lookup.api.auth import create_api_token
from lookup.importer import import_file
from lookup.models import CertificationBody, ImportRun, Status
from lookup.status import change_status
from lookup.tests.factories import CertificateFactory, UserFactory
from security.audit import client_ip, record
from security.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery staple"
SAMPLE = "lookup/tests/data/sample-certificates.csv"


def reporting_url(number, tail=""):
    return f"/api/v1/reporting/certificates/{number}/{tail}"


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_client_ip_is_the_peer_address_by_default(settings):
    settings.TRUST_X_FORWARDED_FOR = False
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "10.0.0.5"


def test_client_ip_behind_the_proxy_is_the_last_forwarded_hop(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_client_ip_ignores_a_forwarded_value_that_is_not_an_address(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(request) == "10.0.0.5"


def test_record_outside_a_request_has_no_actor_or_address():
    event = record("import", actor_label="manage.py")
    assert (event.actor, event.ip_address, event.actor_label) == (None, None, "manage.py")


def test_successful_sign_in_is_recorded_with_user_and_address(client):
    user = UserFactory(username="editor", superuser=True)
    client.post(LOGIN_URL, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR="192.0.2.4")
    event = AuditEvent.objects.get(action="login")
    assert (event.actor, event.ip_address, event.outcome) == (user, "192.0.2.4", "success")


def test_failed_sign_in_is_recorded_with_the_name_tried_and_no_password(client):
    client.post(LOGIN_URL, {"username": "nobody", "password": "secret guess 1"}, REMOTE_ADDR="192.0.2.5")
    event = AuditEvent.objects.get(action="login")
    assert (event.actor_label, event.ip_address, event.outcome) == ("nobody", "192.0.2.5", "failure")
    assert "secret guess 1" not in str(event.details)


def test_sign_out_is_recorded(client):
    user = UserFactory(superuser=True)
    client.force_login(user)
    client.post("/admin/logout/")
    assert AuditEvent.objects.filter(action="logout", actor=user).exists()


def test_wagtail_log_entry_is_mirrored_with_actor_and_object():
    user = UserFactory()
    certificate = CertificateFactory()
    log(certificate, "wagtail.edit", user=user)
    event = AuditEvent.objects.get(action="wagtail.edit")
    assert (event.actor, event.object_type, event.object_id) == (user, "lookup.certificate", str(certificate.pk))


def test_snippet_edit_in_the_admin_is_recorded_with_address(client):
    user = UserFactory(superuser=True)
    client.force_login(user)
    body = CertificationBody.objects.get(code="001")
    client.post(
        f"/admin/snippets/lookup/certificationbody/edit/{body.pk}/",
        {
            "code": body.code,
            "name_zh": body.name_zh,
            "name_en": "Renamed body",
            "approval_number": body.approval_number,
            "website": body.website,
            "status": body.status,
        },
        REMOTE_ADDR="192.0.2.7",
    )
    event = AuditEvent.objects.get(action="wagtail.edit", object_type="lookup.certificationbody")
    assert (event.actor, event.ip_address, event.object_id) == (user, "192.0.2.7", str(body.pk))


def test_finished_import_is_recorded_with_its_outcome():
    user = UserFactory()
    run = import_file(SAMPLE, user=user)
    event = AuditEvent.objects.get(action="import")
    assert (event.actor, event.object_id) == (user, str(run.pk))
    assert event.outcome == ("success" if run.outcome == ImportRun.Outcome.IMPORTED else "failure")


def test_rejected_import_is_recorded_as_a_failure():
    import_file(io.BytesIO(b"not,a,certificate,file\n1,2,3,4\n"), name="bad.csv")
    assert AuditEvent.objects.get(action="import").outcome == "failure"


def test_status_change_is_recorded_with_from_and_to():
    user = UserFactory()
    certificate = CertificateFactory()
    change_status(certificate, Status.SUSPENDED, reason="Failed surveillance audit", user=user)
    event = AuditEvent.objects.get(action="status_change")
    assert (event.actor, event.object_repr) == (user, certificate.number)
    assert (event.details["from"], event.details["to"]) == ("valid", "suspended")


def test_api_write_is_recorded_with_its_key_and_outcome(client):
    body = CertificationBody.objects.get(code="001")
    _token, key = create_api_token(body, "Body 001 system")
    certificate = CertificateFactory(body=body, category__code="011")
    client.patch(reporting_url(certificate.number), {"brand": "新牌"}, content_type="application/json", **bearer(key))
    event = AuditEvent.objects.get(action="api.write")
    assert (event.object_id, event.outcome, event.details["status"]) == (certificate.number, "success", 200)
    assert event.actor_label.startswith("API key ")


def test_api_put_to_another_body_is_refused_and_recorded_as_a_failure(client):
    _token, key = create_api_token(CertificationBody.objects.get(code="002"), "Body 002 system")
    certificate = CertificateFactory(body=CertificationBody.objects.get(code="001"), category__code="011")
    data = {
        "number": certificate.number,
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat(),
        "product_name": "改写的产品",
        "category": "011",
        "client": {"name": "青岛青禾电器有限公司", "uscc": "91350100M000100Y43", "region": "370200"},
    }
    response = client.put(reporting_url(certificate.number), data, content_type="application/json", **bearer(key))
    event = AuditEvent.objects.get(action="api.write")
    certificate.refresh_from_db()
    assert response.status_code == 403
    assert certificate.product_name != "改写的产品"
    assert (event.outcome, event.details["body"], event.object_id) == ("failure", "002", certificate.number)


def test_api_read_is_not_recorded(client):
    certificate = CertificateFactory()
    client.get(f"/api/v1/certificates/{certificate.number}")
    assert not AuditEvent.objects.filter(action="api.write").exists()


def test_recorded_time_is_now():
    event = record("login")
    assert abs(event.occurred_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(seconds=5)
