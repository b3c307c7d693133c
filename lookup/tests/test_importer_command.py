"""``manage.py import_certificates``: exit status, summary and report."""

import csv
from io import StringIO
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command
from django.utils import translation

from lookup.importer.columns import COLUMNS
from lookup.models import Certificate, ImportRun

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "sample-certificates.csv"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def bad_file(tmp_path):
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[2]["issued_on"] = "22/05/2022"
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_command(*files):
    stdout, stderr = StringIO(), StringIO()
    call_command("import_certificates", *map(str, files), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_command_imports_a_file_and_prints_a_summary():
    stdout, stderr = run_command(SAMPLE)

    assert "imported 9 rows: 9 created, 0 updated, 0 unchanged" in stdout
    assert stderr == ""
    assert Certificate.objects.count() == 9
    assert ImportRun.objects.get().source == ImportRun.Source.COMMAND


def test_command_run_again_reports_every_row_unchanged():
    run_command(SAMPLE)

    stdout, _stderr = run_command(SAMPLE)

    assert "0 created, 0 updated, 9 unchanged" in stdout


def test_command_exits_non_zero_with_the_row_report_on_standard_error(bad_file):
    stderr = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_certificates", str(bad_file), stdout=StringIO(), stderr=stderr)

    assert raised.value.returncode == 1
    assert "rejected, nothing imported" in stderr.getvalue()
    assert "row 4, issued_on: Not a date in the form YYYY-MM-DD. (value: '22/05/2022')" in stderr.getvalue()
    assert Certificate.objects.count() == 0


def test_command_imports_each_file_on_its_own(bad_file):
    stdout, stderr = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 of 2 files rejected"):
        call_command("import_certificates", str(bad_file), str(SAMPLE), stdout=stdout, stderr=stderr)

    assert "imported 9 rows" in stdout.getvalue()
    assert Certificate.objects.count() == 9
    assert ImportRun.objects.filter(outcome=ImportRun.Outcome.REJECTED).count() == 1


def test_command_reports_a_missing_file(tmp_path):
    stderr = StringIO()

    with pytest.raises(CommandError):
        call_command("import_certificates", str(tmp_path / "missing.csv"), stdout=StringIO(), stderr=stderr)

    assert "missing.csv: cannot be read" in stderr.getvalue()
