"""Issuing trace codes in the Wagtail admin and downloading a batch."""

import csv
import io

import pytest

from lookup.models import Status, TraceCode
from lookup.permissions import REGISTRY_EDITORS, ensure_registry_groups
from lookup.qr import SHEET_PART_SIZE
from lookup.tests.factories import BodyStaffFactory, CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db

ISSUE_URL = "/admin/trace-codes/"


@pytest.fixture
def editor(client):
    ensure_registry_groups()
    user = UserFactory(is_staff=True, groups=[REGISTRY_EDITORS])
    client.force_login(user)
    return user


def staff_client(client, body):
    ensure_registry_groups()
    staff = BodyStaffFactory(body=body, user__groups=["Certification body staff"])
    client.force_login(staff.user)
    return staff.user


def issue(client, number, count):
    return client.post(ISSUE_URL, {"number": number, "count": count})


def test_editor_issues_codes_and_lands_on_the_batch(client, editor):
    certificate = CertificateFactory()

    response = issue(client, certificate.number, 30)

    assert response.status_code == 302
    assert TraceCode.objects.filter(certificate=certificate, issued_by=editor).count() == 30
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "30 trace codes" in page.content.decode()


def test_batch_downloads_as_csv_with_code_url_number_and_product(client, editor):
    certificate = CertificateFactory()
    batch = issue(client, certificate.number, 3)["Location"]
    csv_url = batch.replace(f"{certificate.number}/?", f"{certificate.number}/download.csv?")

    response = client.get(csv_url)

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["code", "url", "certificate", "product"]
    codes = set(TraceCode.objects.filter(certificate=certificate).values_list("code", flat=True))
    assert {row[0] for row in rows[1:]} == codes
    assert all(row[1].endswith(f"/t/{row[0]}") and row[2] == certificate.number for row in rows[1:])


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"), [("svg", "image/svg+xml", b"<?xml"), ("pdf", "application/pdf", b"%PDF")]
)
def test_batch_downloads_as_a_qr_sheet(client, editor, fmt, content_type, start):
    certificate = CertificateFactory()
    batch = issue(client, certificate.number, 2)["Location"]

    response = client.get(batch.replace(f"{certificate.number}/?", f"{certificate.number}/download.{fmt}?"))

    assert response["Content-Type"] == content_type
    assert response.content.startswith(start)


def test_number_is_normalised_in_the_form(client, editor):
    certificate = CertificateFactory()

    issue(client, " " + certificate.number.lower()[:9] + "-" + certificate.number[9:], 1)

    assert TraceCode.objects.filter(certificate=certificate).count() == 1


def test_revoked_certificate_is_refused(client, editor):
    certificate = CertificateFactory(status=Status.REVOKED, status_reason="fraud")

    response = issue(client, certificate.number, 5)

    assert response.context["form"].has_error("number", code="certificate_closed")
    assert not TraceCode.objects.exists()


def test_body_staff_issue_codes_for_their_own_body(client):
    certificate = CertificateFactory()
    staff_client(client, certificate.body)

    response = issue(client, certificate.number, 4)

    assert response.status_code == 302
    assert TraceCode.objects.filter(certificate=certificate).count() == 4


def test_body_staff_cannot_issue_codes_for_another_body(client):
    certificate = CertificateFactory()
    other = CertificateFactory()
    staff_client(client, other.body)

    response = issue(client, certificate.number, 4)

    assert response.context["form"].has_error("number")
    assert not TraceCode.objects.exists()


def test_body_staff_cannot_download_another_body_batch(client, editor):
    certificate = CertificateFactory()
    batch = issue(client, certificate.number, 2)["Location"]
    staff_client(client, CertificateFactory().body)

    assert client.get(batch).status_code == 404


def test_user_who_is_neither_editor_nor_staff_is_refused(client):
    client.force_login(UserFactory(superuser=False, is_staff=True))

    response = client.get(ISSUE_URL)

    assert response.status_code in (302, 403)


def test_large_batch_sheets_come_in_parts(client, editor):
    certificate = CertificateFactory()
    batch = issue(client, certificate.number, SHEET_PART_SIZE + 1)["Location"]
    last = TraceCode.objects.filter(certificate=certificate).order_by("code").last()
    svg_url = batch.replace(f"{certificate.number}/?", f"{certificate.number}/download.svg?")

    page = client.get(batch).content.decode()
    second = client.get(f"{svg_url}&part=2")

    assert "&amp;part=2" in page
    assert second.content.count(b"<text") == 2  # the page title and the one code left
    assert last.code.encode() in second.content
    assert client.get(f"{svg_url}&part=3").status_code == 404
