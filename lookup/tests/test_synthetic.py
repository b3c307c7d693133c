from collections import Counter
from datetime import date
from io import StringIO

import pytest

from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import translation

from lookup import codes
from lookup.models import (
    Certificate,
    CertificationBody,
    Organisation,
    ProductCategory,
    ProductGroup,
    Status,
    StatusChange,
    TraceCode,
)
from lookup.regions import resolve_region
from lookup.synthetic import GenerationError, generate_certificates
from lookup.tests.factories import CertificateFactory, TraceCodeFactory

TODAY = date(2026, 6, 1)
pytestmark = pytest.mark.django_db


def generate(count=400, **options):
    options.setdefault("today", TODAY)
    return generate_certificates(count, **options)


def test_same_seed_gives_the_same_numbers():
    generate(60, seed=7, trace_codes=2)
    first = (list(Certificate.objects.values_list("number", flat=True)), set(TraceCode.objects.values_list("code")))
    TraceCode.objects.all().delete()
    StatusChange.objects.all().delete()
    Certificate.objects.all().delete()
    Organisation.objects.all().delete()
    generate(60, seed=7, trace_codes=2)
    second = (list(Certificate.objects.values_list("number", flat=True)), set(TraceCode.objects.values_list("code")))
    assert second == first


def test_another_seed_gives_other_numbers():
    generate(30, seed=1)
    first = set(Certificate.objects.values_list("number", flat=True))
    generate(30, seed=2)
    assert len(set(Certificate.objects.values_list("number", flat=True)) - first) == 30


def test_every_stored_status_appears_in_a_few_hundred_certificates():
    generate()
    assert set(Certificate.objects.values_list("status", flat=True)) == set(Status.values)


def test_some_valid_certificates_are_expired_by_date():
    generate()
    certificates = Certificate.objects.filter(status=Status.VALID)
    assert {certificate.effective_status(TODAY) for certificate in certificates} == {Status.VALID, Status.EXPIRED}


def test_every_product_group_appears_in_a_few_hundred_certificates():
    generate()
    used = set(Certificate.objects.values_list("category__group__number", flat=True))
    assert used == set(ProductGroup.objects.values_list("number", flat=True))
    assert len(used) == 12


def test_every_category_appears_in_a_few_hundred_certificates():
    generate()
    used = set(Certificate.objects.values_list("category__code", flat=True))
    assert used == set(ProductCategory.objects.values_list("code", flat=True))


def test_every_generated_code_validates():
    generate(200, trace_codes=3)
    numbers = Certificate.objects.values_list("number", flat=True)
    traces = TraceCode.objects.values_list("code", flat=True)
    usccs = Organisation.objects.exclude(uscc=None).values_list("uscc", flat=True)
    assert all(codes.validate_certificate_number(number) == number for number in numbers)
    assert all(codes.validate_trace_code(code) == code for code in traces)
    assert all(codes.validate_uscc(uscc) == uscc for uscc in usccs)


def test_certificate_number_carries_year_body_and_category():
    generate(200)
    certificates = Certificate.objects.select_related("body", "category")
    assert all(
        certificate.number[1:11] == f"{certificate.issued_on.year}{certificate.body.code}{certificate.category.code}"
        for certificate in certificates
    )


def test_trace_codes_carry_their_certificate_prefix():
    generate(50, trace_codes=4)
    traces = TraceCode.objects.select_related("certificate")
    assert Counter(trace.certificate_id for trace in traces) == dict.fromkeys(
        Certificate.objects.values_list("pk", flat=True), 4
    )
    assert all(trace.code[:11] == trace.certificate.number[:11] for trace in traces)


def test_certificates_are_issued_by_bodies_approved_for_their_category():
    generate(200)
    approved = set(
        CertificationBody.approved_categories.through.objects.values_list("certificationbody_id", "productcategory_id")
    )
    assert set(Certificate.objects.values_list("body_id", "category_id")) <= approved


def test_certificates_were_issued_in_the_last_six_years_for_three_years():
    generate(200)
    certificates = Certificate.objects.all()
    assert all((TODAY - certificate.issued_on).days < 6 * 366 for certificate in certificates)
    assert all(1094 <= (certificate.expires_on - certificate.issued_on).days <= 1096 for certificate in certificates)


def test_every_status_change_has_a_reason_and_a_history_entry():
    generate()
    changed = Certificate.objects.exclude(status=Status.VALID).prefetch_related("status_changes")
    assert changed
    for certificate in changed:
        last = list(certificate.status_changes.all())[-1]
        assert certificate.status_reason
        assert (last.to_status, last.changed_on, last.reason) == (
            certificate.status,
            certificate.status_changed_on,
            certificate.status_reason,
        )


def test_no_status_changes_after_today():
    generate()
    assert not StatusChange.objects.filter(changed_on__gt=TODAY).exists()


def test_uscc_region_part_is_the_organisation_region():
    generate(100)
    chinese = Organisation.objects.filter(country="CN")
    assert all(organisation.uscc[2:8] == organisation.region_code for organisation in chinese)
    assert all(resolve_region(organisation.region_code).province is not None for organisation in chinese)


def test_organisations_lie_near_the_centre_of_their_region():
    generate(100)
    for organisation in Organisation.objects.filter(country="CN"):
        centre = resolve_region(organisation.region_code).most_specific
        assert abs(organisation.latitude - centre.latitude) < 1
        assert abs(organisation.longitude - centre.longitude) < 1


def test_chinese_organisations_have_chinese_and_english_names():
    generate(100)
    for organisation in Organisation.objects.filter(country="CN"):
        assert organisation.name_zh.endswith("公司")
        assert organisation.name_en.endswith("Co., Ltd.")


def test_companies_hold_several_certificates():
    generate()
    held = Counter(Certificate.objects.values_list("client_id", flat=True))
    assert max(held.values()) >= 5


def test_some_certificates_name_another_manufacturer():
    generate()
    assert Certificate.objects.exclude(manufacturer=F("client")).exists()


def test_a_few_manufacturers_are_foreign_without_uscc():
    generate()
    foreign = Organisation.objects.filter(certificates_as_manufacturer__isnull=False).exclude(country="CN").distinct()
    assert foreign
    assert all(organisation.uscc is None and organisation.registration_number for organisation in foreign)


def test_running_twice_adds_and_never_collides():
    generate(150, trace_codes=2)
    generate(150, trace_codes=2)
    assert Certificate.objects.count() == 300
    assert TraceCode.objects.count() == 600
    assert Organisation.objects.exclude(uscc=None).values("uscc").distinct().count() == (
        Organisation.objects.exclude(uscc=None).count()
    )


def test_generating_nothing_adds_nothing():
    result = generate(0)
    assert (result.certificates, Organisation.objects.count()) == (0, 0)


def test_generation_without_an_active_approved_body_fails_clearly():
    CertificationBody.objects.update(status=CertificationBody.Status.SUSPENDED)
    with pytest.raises(GenerationError, match="approved"):
        generate(10)


def test_command_prints_progress_and_a_summary():
    out = StringIO()
    with translation.override("en"):
        call_command("generate_certificates", "--count", "30", "--trace-codes", "2", "--seed", "5", stdout=out)
    assert "30 / 30 certificates" in out.getvalue()
    assert "Added 30 certificates, 60 trace codes" in out.getvalue()
    assert Certificate.objects.count() == 30


def test_command_refuses_a_negative_count():
    with pytest.raises(CommandError, match="count"):
        call_command("generate_certificates", "--count", "-1")


def _numbers_and_traces_of_seed(seed):
    generate(20, seed=seed, trace_codes=2)
    numbers = list(Certificate.objects.order_by("pk").values_list("number", flat=True))
    traces = list(TraceCode.objects.order_by("pk").values_list("code", flat=True))
    TraceCode.objects.all().delete()
    StatusChange.objects.all().delete()
    Certificate.objects.all().delete()
    Organisation.objects.all().delete()
    return numbers, traces


def test_a_number_already_taken_is_drawn_again():
    numbers, _traces = _numbers_and_traces_of_seed(11)
    existing = CertificateFactory(number=numbers[0])
    generate(20, seed=11, trace_codes=2)
    assert Certificate.objects.count() == 21
    assert Certificate.objects.get(number=numbers[0]) == existing
    assert set(numbers[1:]) < set(Certificate.objects.values_list("number", flat=True))


def test_a_trace_code_already_taken_is_drawn_again():
    _numbers, traces = _numbers_and_traces_of_seed(12)
    existing = TraceCodeFactory(code=traces[0])
    generate(20, seed=12, trace_codes=2)
    assert TraceCode.objects.exclude(pk=existing.pk).count() == 40
    assert TraceCode.objects.get(code=traces[0]) == existing
    assert set(traces[1:]) < set(TraceCode.objects.exclude(pk=existing.pk).values_list("code", flat=True))
