"""Broken import files: a truncated or foreign zip named .xlsx, a "zip bomb"
workbook, a CSV cell past the reader's field limit, an upload over the size limit.
Each is rejected with an error that says what is wrong, and nothing is written."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from lookup.importer import import_file, readers
from lookup.importer.columns import COLUMNS
from lookup.models import Certificate, ImportRun, Organisation
from lookup.permissions import REGISTRY_EDITORS
from lookup.tests.factories import UserFactory
from lookup.tests.test_importer import SAMPLE, sample_rows, write_csv
from lookup.tests.test_importer_admin import UPLOAD_URL, sign_in_in_english
from lookup.views import imports

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def editor_client(client):
    return sign_in_in_english(client, UserFactory(groups=[REGISTRY_EDITORS]))


def workbook_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected(run):
    assert run.outcome == ImportRun.Outcome.REJECTED
    assert Certificate.objects.count() == 0
    assert Organisation.objects.count() == 0
    return run.errors[0]["reason"]


def test_truncated_workbook_is_rejected(tmp_path):
    path = tmp_path / "certificates.xlsx"
    path.write_bytes(workbook_bytes(sample_rows())[:2000])

    assert "cannot be opened" in rejected(import_file(path))


def test_zip_that_is_not_a_workbook_is_rejected(tmp_path):
    path = tmp_path / "certificates.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")

    assert "cannot be opened" in rejected(import_file(path))


def test_workbook_that_unpacks_to_more_than_the_limit_is_rejected_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_XLSX_UNPACKED_BYTES", 8 * 1024 * 1024)
    path = tmp_path / "certificates.xlsx"
    path.write_bytes(workbook_bytes(sample_rows()))
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/padding.xml", "w") as part,
    ):
        for _ in range(16):
            part.write(b"\0" * (1024 * 1024))
    assert path.stat().st_size < 1024 * 1024  # a small file that would unpack to 16 MB

    assert "unpacks to more than 8 MB" in rejected(import_file(path))


def test_csv_cell_past_the_field_limit_is_a_clear_error(tmp_path):
    rows = sample_rows()
    rows[0]["product_name"] = "冰箱" * 100_000
    path = write_csv(tmp_path / "certificates.csv", rows)

    assert "cannot be read after row" in rejected(import_file(path))


def test_csv_in_utf16_is_rejected_as_not_text(tmp_path):
    path = write_csv(tmp_path / "certificates.csv", sample_rows(), encoding="utf-16")

    run = import_file(path)

    assert "not text" in rejected(run)


def test_upload_over_the_size_limit_is_refused_naming_the_limit(editor_client, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1024 * 1024)
    content = SAMPLE.read_bytes()
    content += b"\n" * (1024 * 1024 + 1 - len(content))
    upload = SimpleUploadedFile("certificates.csv", content, content_type="text/csv")

    response = editor_client.post(UPLOAD_URL, {"file": upload})

    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert Certificate.objects.count() == 0
