"""lookup.flags: warnings on certificates whose parties are blacklisted or failed a spot check."""

import datetime

import pytest

from lookup.flags import BLACKLIST, SPOT_CHECK_FAILED, party_flags
from lookup.models import Certificate, SpotCheck
from lookup.tests.factories import (
    BlacklistEntryFactory,
    CertificateFactory,
    CertificationBodyFactory,
    OrganisationFactory,
    SpotCheckFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def test_certificate_with_clean_parties_has_no_flag():
    certificate = CertificateFactory()
    SpotCheckFactory(organisation=certificate.client, result=SpotCheck.Result.PASS)
    assert party_flags([certificate], on=TODAY) == {}


def test_blacklisted_client_flags_the_certificate_with_a_link_to_the_entry():
    certificate = CertificateFactory()
    entry = BlacklistEntryFactory(organisation=certificate.client, decided_on=TODAY - datetime.timedelta(days=10))
    [flag] = party_flags([certificate], on=TODAY)[certificate.pk]
    assert flag.kind == BLACKLIST
    assert certificate.client.name_zh in flag.label
    assert flag.url.startswith("/en/lookup/supervision/?q=")
    assert flag.url.endswith(f"#blacklist-{entry.pk}")


def test_listing_that_has_ended_does_not_flag():
    certificate = CertificateFactory()
    BlacklistEntryFactory(
        organisation=certificate.client, decided_on=datetime.date(2020, 1, 1), listed_until=datetime.date(2023, 1, 1)
    )
    assert party_flags([certificate], on=TODAY) == {}


def test_failed_spot_check_of_the_manufacturer_flags_and_names_the_year():
    maker = OrganisationFactory()
    certificate = CertificateFactory(manufacturer=maker)
    check = SpotCheckFactory(organisation=maker, result=SpotCheck.Result.FAIL, year=2025)
    [flag] = party_flags([certificate], on=TODAY)[certificate.pk]
    assert flag.kind == SPOT_CHECK_FAILED
    assert "2025" in flag.label
    assert flag.url.endswith(f"#spot-check-{check.pk}")


def test_entry_published_without_a_link_matches_the_exact_name():
    certificate = CertificateFactory(producer=OrganisationFactory(name_zh="江西某建材有限公司"))
    BlacklistEntryFactory(organisation=None, party_name="江西某建材有限公司", decided_on=TODAY)
    SpotCheckFactory(organisation=None, organisation_name="江西某建材", result=SpotCheck.Result.FAIL)
    [flag] = party_flags([certificate], on=TODAY)[certificate.pk]
    assert flag.kind == BLACKLIST


def test_blacklisted_certification_body_flags_its_certificates():
    body = CertificationBodyFactory()
    certificate = CertificateFactory(body=body)
    BlacklistEntryFactory(organisation=None, body=body, party_name=body.name_zh, decided_on=TODAY)
    assert [flag.kind for flag in party_flags([certificate], on=TODAY)[certificate.pk]] == [BLACKLIST]


def test_blacklist_comes_before_spot_checks_and_each_entry_once():
    company = OrganisationFactory()
    certificate = CertificateFactory(client=company, producer=company, manufacturer=company)
    SpotCheckFactory(organisation=company, result=SpotCheck.Result.FAIL)
    BlacklistEntryFactory(organisation=company, decided_on=TODAY)
    assert [flag.kind for flag in party_flags([certificate], on=TODAY)[certificate.pk]] == [
        BLACKLIST,
        SPOT_CHECK_FAILED,
    ]


def test_a_page_of_certificates_takes_three_queries(django_assert_num_queries):
    companies = [OrganisationFactory() for _ in range(5)]
    for company in companies:
        CertificateFactory(client=company, producer=company, manufacturer=OrganisationFactory())
        SpotCheckFactory(organisation=company, result=SpotCheck.Result.FAIL)
    BlacklistEntryFactory(organisation=companies[0], decided_on=TODAY)
    page = list(Certificate.objects.all())
    with django_assert_num_queries(3):
        flags = party_flags(page, on=TODAY)
    assert len(flags) == 5
    loaded = list(Certificate.objects.select_related("client", "producer", "manufacturer"))
    with django_assert_num_queries(2):
        assert party_flags(loaded, on=TODAY) == flags
