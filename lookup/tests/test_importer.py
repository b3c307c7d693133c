"""The bulk importer: reading, checking and writing exchange-format files."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from django.utils import translation

from lookup.importer import certificates_imported, import_file, runner
from lookup.importer.columns import COLUMNS, ORGANISATION_FIELDS, ORGANISATION_ROLES
from lookup.models import Certificate, ImportRun, Organisation, Status, StatusChange
from lookup.tests.factories import CertificationBodyFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


SAMPLE = Path(__file__).parent / "data" / "sample-certificates.csv"
REVOKED = "G2022004106286503"
FIRST = "G2024001011318204"


def sample_rows():
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path, rows, columns=COLUMNS, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def errors_of(run):
    return [(error["row"], error["field"]) for error in run.errors]


def test_columns_are_the_full_header_of_the_spec():
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))

    assert list(COLUMNS) == header
    assert {column for column in COLUMNS if column.startswith(ORGANISATION_ROLES)} == {
        f"{role}_{field}" for role in ORGANISATION_ROLES for field in ORGANISATION_FIELDS
    }


def test_sample_file_imports_every_row():
    run = import_file(SAMPLE)

    assert run.outcome == ImportRun.Outcome.IMPORTED, run.errors
    assert (run.rows_total, run.rows_created, run.rows_updated, run.rows_unchanged) == (9, 9, 0, 0)
    assert Certificate.objects.count() == 9
    assert set(Certificate.objects.values_list("status", flat=True)) == set(Status.values)


def test_sample_file_stores_lists_numbers_and_organisations():
    import_file(SAMPLE)

    certificate = Certificate.objects.get(number="G2025001015004728")
    assert certificate.product_models == ["DHE-18", "DHE-21", "DHE-24"]
    assert certificate.energy_saving_kwh_per_year == 140
    assert certificate.body.code == "001"
    assert certificate.category.code == "015"
    assert certificate.client.uscc == "91320115MA1X3Q7P6P"
    assert certificate.client.region_code == "320100"
    assert Certificate.objects.get(number="G2025005103611934").product_models == []


def test_foreign_manufacturer_keeps_its_registration_number_without_uscc():
    import_file(SAMPLE)

    manufacturer = Certificate.objects.get(number="G2025001015004728").manufacturer
    assert manufacturer.country == "DE"
    assert manufacturer.uscc is None
    assert manufacturer.registration_number == "DE-HRB-748213"
    assert manufacturer.region_code == ""
    assert str(manufacturer.longitude) == "9.101000"


def test_imported_certificates_get_a_status_history_from_the_import():
    import_file(SAMPLE)

    revoked = Certificate.objects.get(number=REVOKED)
    history = list(revoked.status_changes.values_list("from_status", "to_status", "changed_on", "source"))
    assert history == [
        ("", Status.VALID, datetime.date(2022, 8, 8), StatusChange.Source.IMPORT),
        (Status.VALID, Status.REVOKED, datetime.date(2024, 4, 18), StatusChange.Source.IMPORT),
    ]


def test_same_file_twice_changes_nothing_the_second_time():
    import_file(SAMPLE)
    updated = dict(Certificate.objects.values_list("number", "updated_at"))
    organisations_updated = dict(Organisation.objects.values_list("pk", "updated_at"))
    history = StatusChange.objects.count()

    run = import_file(SAMPLE)

    assert run.outcome == ImportRun.Outcome.IMPORTED
    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 0, 9)
    assert dict(Certificate.objects.values_list("number", "updated_at")) == updated
    assert dict(Organisation.objects.values_list("pk", "updated_at")) == organisations_updated
    assert StatusChange.objects.count() == history


def test_one_bad_row_rejects_the_whole_file_and_is_reported(tmp_path):
    rows = sample_rows()
    rows[4]["expires_on"] = "2023-01-01"  # before issued_on 2024-09-09; file row 6
    path = write_csv(tmp_path / "bad.csv", rows)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert Certificate.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert run.errors == [
        {
            "row": 6,
            "field": "expires_on",
            "value": "2023-01-01",
            "reason": "The expiry date must come after the date of issue (2024-09-09).",
        }
    ]


def test_every_bad_row_is_reported_not_only_the_first(tmp_path):
    rows = sample_rows()
    rows[0]["issued_on"] = "2024-02-30"
    rows[3]["status"] = "active"
    rows[8]["client_uscc"] = "91430112MA4L8K2R1C"
    path = write_csv(tmp_path / "bad.csv", rows)

    run = import_file(path)

    assert errors_of(run) == [(2, "issued_on"), (5, "status"), (10, "client_uscc")]
    assert "should be B, not C" in run.errors[2]["reason"]


def test_an_existing_certificate_is_updated_by_its_row(tmp_path):
    import_file(SAMPLE)
    rows = sample_rows()
    rows[0]["product_name_en"] = "Qinghe inverter refrigerator"
    path = write_csv(tmp_path / "changed.csv", rows)

    run = import_file(path)

    assert (run.rows_created, run.rows_updated, run.rows_unchanged) == (0, 1, 8)
    assert Certificate.objects.get(number=FIRST).product_name_en == "Qinghe inverter refrigerator"


def test_unknown_column_is_an_error_naming_it_and_the_nearest_known_one(tmp_path):
    path = write_csv(tmp_path / "typo.csv", sample_rows(), columns=[*COLUMNS, "brnad"])

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert run.errors == [
        {"row": 1, "field": "brnad", "value": "brnad", "reason": "Unknown column “brnad”; did you mean “brand”?"}
    ]


def test_missing_required_column_is_an_error(tmp_path):
    columns = [column for column in COLUMNS if column != "issued_on"]
    path = write_csv(tmp_path / "short.csv", sample_rows(), columns=columns)

    run = import_file(path)

    assert errors_of(run) == [(1, "issued_on")]
    assert Certificate.objects.count() == 0


def test_optional_columns_may_be_left_out(tmp_path):
    columns = ["number", "status", "issued_on", "expires_on", "product_name", "category", "body", "client_name"]
    path = write_csv(tmp_path / "minimal.csv", sample_rows(), columns=columns)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.IMPORTED, run.errors
    certificate = Certificate.objects.get(number=FIRST)
    assert certificate.client.name_zh == "南京青禾家电股份有限公司"
    assert certificate.producer is None


def test_columns_in_any_order_import(tmp_path):
    columns = list(reversed(COLUMNS))
    path = write_csv(tmp_path / "shuffled.csv", sample_rows(), columns=columns)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.IMPORTED, run.errors
    assert Certificate.objects.count() == 9


def test_byte_order_mark_is_tolerated(tmp_path):
    path = write_csv(tmp_path / "bom.csv", sample_rows(), encoding="utf-8-sig")

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.IMPORTED, run.errors


def test_file_not_in_utf8_is_rejected_with_a_clear_error(tmp_path):
    path = write_csv(tmp_path / "gbk.csv", sample_rows(), encoding="gb18030")

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert len(run.errors) == 1
    assert "not UTF-8" in run.errors[0]["reason"]
    assert "GB18030" in run.errors[0]["reason"]
    assert Certificate.objects.count() == 0


def test_workbook_with_a_csv_name_is_rejected(tmp_path):
    path = tmp_path / "certificates.csv"
    Workbook().save(path)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert "not text" in run.errors[0]["reason"]


def test_xlsx_workbook_imports_the_same_data(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in sample_rows():
        cells = []
        for column in COLUMNS:
            value = row[column]
            if column in ("issued_on", "expires_on") and value:
                value = datetime.datetime.fromisoformat(value)  # date cells, as Excel keeps them
            elif column.endswith(("latitude", "longitude", "energy_saving_kwh_per_year")) and value:
                value = float(value)  # number cells
            cells.append(value or None)
        sheet.append(cells)
    path = tmp_path / "certificates.xlsx"
    workbook.save(path)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.IMPORTED, run.errors
    assert run.rows_created == 9
    certificate = Certificate.objects.get(number="G2025001015004728")
    assert certificate.issued_on == datetime.date(2025, 4, 1)
    assert certificate.energy_saving_kwh_per_year == 140
    assert import_file(SAMPLE).rows_unchanged == 9


def test_xlsx_formula_cell_is_rejected(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    rows = sample_rows()
    rows[0]["brand"] = '=HYPERLINK("http://example.com","青禾")'
    for row in rows:
        sheet.append([row[column] or None for column in COLUMNS])
    path = tmp_path / "formula.xlsx"
    workbook.save(path)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert errors_of(run) == [(2, "brand")]


@pytest.mark.parametrize("value", ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"])
def test_formula_like_text_is_rejected(tmp_path, value):
    rows = sample_rows()
    rows[1]["product_name"] = value
    path = write_csv(tmp_path / "formula.csv", rows)

    run = import_file(path)

    assert errors_of(run) == [(3, "product_name")]
    assert "formula" in run.errors[0]["reason"]


def test_plain_negative_number_is_accepted_where_a_number_belongs(tmp_path):
    rows = sample_rows()
    rows[7].update(manufacturer_country="US", manufacturer_latitude="30.26700", manufacturer_longitude="-97.74300")
    path = write_csv(tmp_path / "west.csv", rows)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.IMPORTED, run.errors
    assert str(Certificate.objects.get(number="G2025001015004728").manufacturer.longitude) == "-97.743000"


def test_out_of_range_latitude_is_rejected(tmp_path):
    rows = sample_rows()
    rows[0]["client_latitude"] = "91"
    path = write_csv(tmp_path / "north.csv", rows)

    assert errors_of(import_file(path)) == [(2, "client_latitude")]


def test_list_fields_split_on_ascii_and_full_width_semicolons(tmp_path):
    rows = sample_rows()
    rows[0]["models"] = " BCD-520WP ；BCD-520WPG; ;BCD-521"
    path = write_csv(tmp_path / "lists.csv", rows)

    import_file(path)

    assert Certificate.objects.get(number=FIRST).product_models == ["BCD-520WP", "BCD-520WPG", "BCD-521"]


def test_codes_are_normalised_before_they_are_judged(tmp_path):
    rows = sample_rows()
    rows[0]["number"] = "ｇ2024-0010-1131-8204"
    rows[0]["client_uscc"] = "91320115ma1x3q7p6p"
    path = write_csv(tmp_path / "typed.csv", rows)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.IMPORTED, run.errors
    assert Certificate.objects.filter(number=FIRST).exists()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("body", "002", "The body code in the number (001) is not the body column (002)."),
        ("category", "012", "The category code in the number (011) is not the category column (012)."),
        ("issued_on", "2023-03-01", "The year in the number (2024) is not the year of issue (2023)."),
    ],
)
def test_certificate_number_must_agree_with_body_category_and_year(tmp_path, column, value, reason):
    rows = sample_rows()
    rows[0][column] = value
    if column == "issued_on":
        rows[0]["expires_on"] = "2026-02-28"
    path = write_csv(tmp_path / "mismatch.csv", rows)

    run = import_file(path)

    assert [(error["field"], error["reason"]) for error in run.errors] == [("number", reason)]


def test_unknown_body_code_is_rejected(tmp_path):
    rows = sample_rows()
    rows[0]["body"] = "999"
    rows[0]["number"] = "G2024999011318204"
    path = write_csv(tmp_path / "body.csv", rows)

    run = import_file(path)

    assert errors_of(run) == [(2, "body")]
    assert run.errors[0]["reason"] == "No certification body has the code “999”."


def test_region_code_needs_six_digits_of_a_known_province(tmp_path):
    rows = sample_rows()
    rows[0]["client_region"] = "990100"
    rows[1]["client_region"] = "3201"
    path = write_csv(tmp_path / "regions.csv", rows)

    run = import_file(path)

    assert errors_of(run) == [(2, "client_region"), (3, "client_region")]


def test_country_must_be_an_iso_code(tmp_path):
    rows = sample_rows()
    rows[7]["manufacturer_country"] = "Germany"
    path = write_csv(tmp_path / "country.csv", rows)

    assert errors_of(import_file(path)) == [(9, "manufacturer_country")]


def test_status_may_be_given_by_its_chinese_name(tmp_path):
    rows = sample_rows()
    rows[2]["status"] = "暂停"
    path = write_csv(tmp_path / "chinese.csv", rows)

    import_file(path)

    assert Certificate.objects.get(number="G2022001013770415").status == Status.SUSPENDED


def test_value_in_a_column_without_a_header_is_rejected(tmp_path):
    path = tmp_path / "extra.csv"
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    text[0] += ","
    text[3] += ",stray"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")

    run = import_file(path)

    assert run.errors == [
        {"row": 4, "field": "", "value": "stray", "reason": f"Column {len(COLUMNS) + 1} has a value but no header."}
    ]


def test_certificate_number_twice_in_a_file_is_rejected(tmp_path):
    rows = sample_rows()
    rows.append(dict(rows[0]))
    path = write_csv(tmp_path / "twice.csv", rows)

    run = import_file(path)

    assert errors_of(run) == [(11, "number")]


def test_status_change_of_an_existing_certificate_is_recorded_in_its_history(tmp_path):
    import_file(SAMPLE)
    rows = sample_rows()
    rows[0].update(status="suspended", status_changed_on="2025-03-01", status_reason="监督审核发现问题")
    path = write_csv(tmp_path / "suspend.csv", rows)

    run = import_file(path)

    assert run.rows_updated == 1
    certificate = Certificate.objects.get(number=FIRST)
    assert certificate.status == Status.SUSPENDED
    last = certificate.status_changes.order_by("-changed_on", "-pk").first()
    assert (last.from_status, last.to_status, last.source) == (Status.VALID, Status.SUSPENDED, "import")
    assert last.reason == "监督审核发现问题"
    assert import_file(path).rows_unchanged == 9


def test_revoked_certificate_cannot_be_made_valid_again(tmp_path):
    import_file(SAMPLE)
    rows = sample_rows()
    revoked = next(row for row in rows if row["number"] == REVOKED)
    revoked.update(status="valid", status_changed_on="", status_reason="")
    path = write_csv(tmp_path / "revive.csv", rows)

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert errors_of(run) == [(8, "status")]
    assert "keeps that status for good" in run.errors[0]["reason"]
    assert Certificate.objects.get(number=REVOKED).status == Status.REVOKED


def test_organisation_matched_by_uscc_is_updated_not_duplicated():
    existing = OrganisationFactory(uscc="91320115MA1X3Q7P6P", name_zh="南京青禾家电有限公司", region_code="320000")

    import_file(SAMPLE)

    assert Organisation.objects.filter(uscc="91320115MA1X3Q7P6P").count() == 1
    existing.refresh_from_db()
    assert existing.name_zh == "南京青禾家电股份有限公司"
    assert existing.region_code == "320100"
    assert Certificate.objects.get(number=FIRST).client == existing


def test_foreign_organisation_matched_by_registration_number_and_country():
    existing = OrganisationFactory(foreign=True, name_zh="Bergmann GmbH", registration_number="DE-HRB-748213")

    import_file(SAMPLE)

    assert Certificate.objects.get(number="G2025001015004728").manufacturer == existing
    assert Organisation.objects.count() == 3


def test_empty_organisation_cells_do_not_erase_stored_details(tmp_path):
    import_file(SAMPLE)
    rows = sample_rows()
    for row in rows:
        for role in ("client", "producer", "manufacturer"):
            row[f"{role}_address_en"] = ""
    path = write_csv(tmp_path / "sparse.csv", rows)

    import_file(path)

    assert Organisation.objects.get(uscc="91320115MA1X3Q7P6P").address_en == "18 Kexueyuan Road, Jiangning, Nanjing"


def test_later_rows_fill_in_what_the_first_row_left_empty(tmp_path):
    rows = sample_rows()
    for role in ("client", "producer", "manufacturer"):
        rows[0][f"{role}_name_en"] = ""
    path = write_csv(tmp_path / "gaps.csv", rows)

    import_file(path)
    organisation = Organisation.objects.get(uscc="91320115MA1X3Q7P6P")
    again = import_file(path)

    assert organisation.name_en == "Nanjing Qinghe Home Appliances Co., Ltd."
    assert again.rows_unchanged == 9
    assert Organisation.objects.get(pk=organisation.pk).updated_at == organisation.updated_at


def test_organisation_known_only_by_name_gets_its_uscc():
    existing = OrganisationFactory(uscc=None, name_zh="长沙碧水建材有限公司", region_code="430100")

    import_file(SAMPLE)

    existing.refresh_from_db()
    assert existing.uscc == "91430112MA4L8K2R1B"
    assert Organisation.objects.filter(name_zh="长沙碧水建材有限公司").count() == 1


def test_body_restriction_turns_other_bodies_rows_into_errors():
    body = CertificationBodyFactory(code="001")

    run = import_file(SAMPLE, body=body)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert {error["field"] for error in run.errors} == {"body"}
    assert sorted(error["row"] for error in run.errors) == [5, 6, 7, 8, 10]
    assert Certificate.objects.count() == 0


def test_every_run_is_recorded_with_its_errors(tmp_path):
    rows = sample_rows()
    rows[0]["status"] = "unknown"
    import_file(SAMPLE)
    import_file(write_csv(tmp_path / "bad.csv", rows))

    runs = list(ImportRun.objects.order_by("pk"))
    assert [run.outcome for run in runs] == [ImportRun.Outcome.IMPORTED, ImportRun.Outcome.REJECTED]
    assert runs[0].file_name == "sample-certificates.csv"
    assert len(runs[0].file_sha256) == 64
    assert runs[1].errors[0]["field"] == "status"
    assert all(run.finished_at for run in runs)


def test_a_stream_is_imported_under_the_name_given():
    stream = io.BytesIO(SAMPLE.read_bytes())

    run = import_file(stream, name="upload.csv")

    assert run.outcome == ImportRun.Outcome.IMPORTED
    assert run.file_name == "upload.csv"


def test_errors_past_the_limit_are_counted_not_listed(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "MAX_ERRORS", 2)
    rows = sample_rows()
    for row in rows[:4]:
        row["status"] = "lost"
    path = write_csv(tmp_path / "many.csv", rows)

    run = import_file(path)

    assert errors_of(run) == [(2, "status"), (3, "status"), (0, "")]
    assert run.errors[2]["reason"].startswith("2 more errors not listed")


def test_committed_import_sends_a_signal_with_its_run(django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, run, **kwargs):
        received.append(run)

    certificates_imported.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = import_file(SAMPLE)
    finally:
        certificates_imported.disconnect(receiver)

    assert received == [run]


def test_file_with_only_a_header_is_rejected(tmp_path):
    path = write_csv(tmp_path / "empty.csv", [])

    run = import_file(path)

    assert run.outcome == ImportRun.Outcome.REJECTED
    assert run.errors[0]["reason"] == "The file has a header but no certificate rows."
