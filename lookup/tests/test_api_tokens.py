"""API keys of certification bodies: creation, storage and authentication."""

import hashlib
import io

import pytest

from django.core.management import CommandError, call_command
from django.utils import timezone

from lookup.api.auth import create_api_token
from lookup.models import ApiToken, CertificationBody
from lookup.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def patch_brand(client, certificate, headers):
    return client.patch(
        f"/api/v1/reporting/certificates/{certificate.number}/",
        data={"brand": "新"},
        content_type="application/json",
        **headers,
    )


def test_only_a_hash_and_a_prefix_of_the_key_are_stored():
    token, key = create_api_token(CertificationBody.objects.get(code="001"), "ERP")

    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.key_prefix == key[:8]
    assert key not in {token.key_hash, token.name}


def test_command_prints_the_key_once_and_stores_its_hash():
    out = io.StringIO()

    call_command("create_api_token", "002", "Reporting system", stdout=out, stderr=io.StringIO())

    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.body.code == "002"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()


def test_command_refuses_an_unknown_body():
    with pytest.raises(CommandError):
        call_command("create_api_token", "999", "x", stdout=io.StringIO(), stderr=io.StringIO())


def test_request_without_a_key_is_401_in_the_error_shape(client):
    certificate = CertificateFactory()

    response = patch_brand(client, certificate, {})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_wrong_key_is_401(client):
    certificate = CertificateFactory()

    response = patch_brand(client, certificate, {"HTTP_AUTHORIZATION": "Bearer not-a-key"})

    assert response.status_code == 401


def test_revoked_key_is_401(client):
    certificate = CertificateFactory()
    token, key = create_api_token(certificate.body, "old")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    response = patch_brand(client, certificate, {"HTTP_AUTHORIZATION": f"Bearer {key}"})

    assert response.status_code == 401


def test_key_of_a_suspended_body_is_403(client):
    certificate = CertificateFactory()
    _token, key = create_api_token(certificate.body, "ERP")
    CertificationBody.objects.filter(pk=certificate.body_id).update(status=CertificationBody.Status.SUSPENDED)

    response = patch_brand(client, certificate, {"HTTP_AUTHORIZATION": f"Bearer {key}"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "body_not_active"


def test_use_of_a_key_is_dated(client):
    certificate = CertificateFactory()
    token, key = create_api_token(certificate.body, "ERP")

    patch_brand(client, certificate, {"HTTP_AUTHORIZATION": f"Bearer {key}"})

    token.refresh_from_db()
    assert token.last_used_at is not None
