"""The Wagtail admin upload view of the bulk import."""

import csv
import io
from pathlib import Path

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from wagtail.users.models import UserProfile

from lookup.models import Certificate, ImportRun
from lookup.permissions import REGISTRY_EDITORS

from .factories import BodyStaffFactory, CertificationBodyFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "sample-certificates.csv"
UPLOAD_URL = reverse("lookup_import:upload")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def sign_in_in_english(client, user):
    """The admin speaks the user's chosen language: English, for these assertions."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(client):
    return sign_in_in_english(client, UserFactory(groups=[REGISTRY_EDITORS]))


@pytest.fixture
def body_client(client):
    return sign_in_in_english(client, BodyStaffFactory(body=CertificationBodyFactory(code="003")).user)


def sample_upload(name="certificates.csv", content=None):
    return SimpleUploadedFile(name, SAMPLE.read_bytes() if content is None else content, content_type="text/csv")


def test_editor_sees_the_upload_form(editor_client):
    response = editor_client.get(UPLOAD_URL)

    assert response.status_code == 200
    assert b'type="file"' in response.content


def test_editor_upload_imports_and_shows_the_result(editor_client):
    response = editor_client.post(UPLOAD_URL, {"file": sample_upload()}, follow=True)

    run = ImportRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("lookup_import:result", args=[run.pk])
    assert run.outcome == ImportRun.Outcome.IMPORTED
    assert run.source == ImportRun.Source.ADMIN
    assert run.uploaded_by == response.wsgi_request.user
    assert Certificate.objects.count() == 9
    assert "Imported 9 rows: 9 created, 0 updated, 0 unchanged." in response.content.decode()


def test_upload_kept_on_disk_imports_too(editor_client, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # the sample is larger: Django writes it to a temporary file

    editor_client.post(UPLOAD_URL, {"file": sample_upload()})

    assert ImportRun.objects.get().outcome == ImportRun.Outcome.IMPORTED
    assert Certificate.objects.count() == 9


def test_rejected_upload_shows_the_row_level_report(editor_client):
    content = SAMPLE.read_bytes().replace(b"G2024003091552190,valid", b"G2024003091552190,current")

    response = editor_client.post(UPLOAD_URL, {"file": sample_upload(content=content)}, follow=True)

    page = response.content.decode()
    assert "The file was rejected and nothing was written: 1 error." in page
    assert "Not a status; use one of" in page
    assert Certificate.objects.count() == 0


def test_report_downloads_as_csv(editor_client):
    content = SAMPLE.read_bytes().replace(b"G2024003091552190,valid", b"G2024003091552190,current")
    editor_client.post(UPLOAD_URL, {"file": sample_upload(content=content)})
    run = ImportRun.objects.get()

    response = editor_client.get(reverse("lookup_import:report", args=[run.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "field", "value", "reason"]
    assert rows[1][:3] == ["6", "status", "current"]


def test_upload_with_another_extension_is_refused(editor_client):
    response = editor_client.post(UPLOAD_URL, {"file": sample_upload(name="certificates.txt")})

    assert response.status_code == 200
    assert "neither a .csv nor a .xlsx file" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_upload_whose_content_does_not_match_its_extension_is_refused(editor_client):
    response = editor_client.post(UPLOAD_URL, {"file": sample_upload(name="certificates.xlsx")})

    assert "is not an Excel workbook" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_body_staff_import_rows_of_their_own_body_only(body_client):
    body_client.post(UPLOAD_URL, {"file": sample_upload()})

    run = ImportRun.objects.get()
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert run.body.code == "003"
    assert {error["field"] for error in run.errors} == {"body"}
    assert len(run.errors) == 7
    assert Certificate.objects.count() == 0


def test_body_staff_cannot_see_another_bodys_import(body_client):
    other = ImportRun.objects.create(
        file_name="other.csv",
        file_sha256="0" * 64,
        source=ImportRun.Source.ADMIN,
        outcome="imported",
        body=CertificationBodyFactory(code="001"),
    )

    assert body_client.get(reverse("lookup_import:result", args=[other.pk])).status_code == 404
    assert body_client.get(reverse("lookup_import:report", args=[other.pk])).status_code == 404


def test_user_who_is_neither_editor_nor_body_staff_is_refused(client):
    client.force_login(UserFactory(groups=["Moderators"], is_staff=True))

    response = client.get(UPLOAD_URL)

    assert response.status_code in (302, 403)
    assert not ImportRun.objects.exists()


def test_menu_item_is_shown_to_editors(editor_client):
    response = editor_client.get(reverse("wagtailadmin_home"))

    assert "Import certificates" in response.content.decode()
