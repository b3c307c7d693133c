"""The lookup pages: /<lang>/lookup/ (search) and /<lang>/lookup/certificates/<number>/
(one certificate), on the embedded engine."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse
from django.utils import translation

from lookup import codes
from lookup.engines.base import reset_engine
from lookup.models import Status
from lookup.status import change_status, record_initial_status
from lookup.tests.factories import CertificateFactory, OrganisationFactory, TraceCodeFactory
from lookup.tests.support import index

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LANGUAGES = ("zh-hans", "en")


def home_url(language="en"):
    with translation.override(language):
        return reverse("lookup-home")


def certificate_url(number, language="en"):
    with translation.override(language):
        return reverse("lookup-certificate", kwargs={"number": number})


@pytest.fixture
def lamp(engine):
    certificate = CertificateFactory(
        product_name="节能荧光灯冰箱灯",
        product_name_en="Fluorescent fridge lamps",
        brand="明远",
        product_models=["YZ-36RR"],
        status=Status.SUSPENDED,
        status_reason="监督抽查不合格",
        client=OrganisationFactory(name_zh="广州明远照明有限公司", name_en="", region_code="440100"),
    )
    index(engine, certificate)
    return certificate


# --- the search page ---------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_page_offers_the_box_and_filters_in_each_language(client, language):
    response = client.get(home_url(language))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="q"' in content
    for name in ("group", "category", "status", "body", "region"):
        assert f'name="{name}"' in content


@pytest.mark.parametrize(
    ("language", "product_name"),
    [("zh-hans", "海川变频节能家用电冰箱"), ("en", "Inverter household refrigerator")],
)
def test_search_results_name_the_product_in_the_readers_language(client, fridge, language, product_name):
    response = client.get(home_url(language), {"q": "冰箱"})
    assert response.status_code == 200
    assert product_name in response.content.decode()
    assert certificate_url(fridge.number, language) in response.content.decode()


def test_search_results_show_the_effective_status_as_a_label(client, fridge, lamp):
    response = client.get(home_url(), {"q": "冰箱"})
    content = response.content.decode()
    assert 'status-label--valid">Valid<' in content
    assert 'status-label--suspended">Suspended<' in content


def test_search_results_show_brand_models_holder_body_and_dates(client, fridge):
    content = client.get(home_url(), {"q": "冰箱"}).content.decode()
    for text in ("海川", "BCD-470W", "Qingdao Haichuan Co., Ltd.", fridge.body.name_en, fridge.expires_on.isoformat()):
        assert text in content


def test_status_filter_narrows_the_results(client, fridge, lamp):
    response = client.get(home_url(), {"q": "冰箱", "status": "suspended"})
    assert [row["certificate"].number for row in response.context["results"]] == [lamp.number]


def test_facet_links_add_their_filter_to_the_search(client, fridge, lamp):
    response = client.get(home_url(), {"q": "冰箱"})
    status_facet = next(facet for facet in response.context["facets"] if facet["name"] == "status")
    suspended = next(value for value in status_facet["values"] if value["value"] == "suspended")
    assert suspended["count"] == 1
    assert "q=%E5%86%B0%E7%AE%B1" in suspended["url"]
    assert "status=suspended" in suspended["url"]
    followed = client.get(suspended["url"])
    assert [row["certificate"].number for row in followed.context["results"]] == [lamp.number]


def test_region_facet_is_labelled_with_the_province_name(client, fridge):
    response = client.get(home_url(), {"q": "冰箱"})
    region_facet = next(facet for facet in response.context["facets"] if facet["name"] == "region")
    assert region_facet["values"][0]["value"] == "370000"
    assert region_facet["values"][0]["label"] == "Shandong Province"


def test_results_are_split_into_pages(client, engine):
    made = CertificateFactory.create_batch(21, product_name="节能空调")
    index(engine, *made)
    first = client.get(home_url(), {"q": "空调"})
    second = client.get(first.context["next_url"])
    assert (first.context["total"], len(first.context["results"]), len(second.context["results"])) == (21, 20, 1)
    assert second.context["page"] == 2
    assert second.context["previous_url"]


def test_a_certificate_number_goes_straight_to_its_page(client, fridge):
    response = client.get(home_url("zh-hans"), {"q": fridge.number.lower()})
    assert response.status_code == 302
    assert response.url == certificate_url(fridge.number, "zh-hans")


def test_a_trace_code_goes_straight_to_its_certificate(client, engine):
    trace = TraceCodeFactory()
    response = client.get(home_url(), {"q": trace.code})
    assert response.status_code == 302
    assert response.url == certificate_url(trace.certificate.number)


def test_a_malformed_code_shows_what_is_wrong_next_to_the_box(client, engine):
    response = client.get(home_url(), {"q": "G2024001011234"})
    assert response.status_code == 400
    assert 'id="lookup-q-error"' in response.content.decode()
    assert response.context["code_error"]


def test_an_unknown_well_formed_number_says_no_certificate_has_it(client, engine):
    number = codes.generate_certificate_number(2024, "001", "011")
    response = client.get(home_url(), {"q": number})
    content = response.content.decode()
    assert response.status_code == 404
    assert f"No certificate has the number or code {number}." in content
    assert "last few days" in content


def test_a_search_with_no_match_says_what_to_try(client, engine):
    response = client.get(home_url(), {"q": "不存在的产品名称"})
    assert response.status_code == 200
    assert "Nothing matched. Try fewer or shorter words" in response.content.decode()


def test_a_malformed_filter_is_a_400_that_says_so(client, engine):
    response = client.get(home_url(), {"q": "冰箱", "status": "bogus"})
    assert response.status_code == 400
    assert "status must be one of" in response.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_degraded_search_says_the_results_may_be_incomplete(client, settings):
    CertificateFactory(product_name="海川变频节能家用电冰箱")
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    reset_engine()
    try:
        response = client.get(home_url(), {"q": "冰箱"})
    finally:
        reset_engine()
    assert response.status_code == 200
    assert response.context["degraded"] is True
    assert "may be incomplete" in response.content.decode()


# --- the certificate page ----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "product_name"),
    [("zh-hans", "海川变频节能家用电冰箱"), ("en", "Inverter household refrigerator")],
)
def test_certificate_page_names_the_product_in_the_readers_language(client, fridge, language, product_name):
    response = client.get(certificate_url(fridge.number, language))
    assert response.status_code == 200
    assert f"<h1>{product_name}</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "meaning"),
    [
        (Status.VALID, "The certificate is in force"),
        (Status.SUSPENDED, "The certificate is suspended"),
        (Status.WITHDRAWN, "The certificate has been withdrawn"),
        (Status.REVOKED, "The certificate has been revoked"),
    ],
)
def test_certificate_page_opens_with_the_status_and_its_meaning(client, status, meaning):
    certificate = CertificateFactory(status=status, status_reason="" if status == Status.VALID else "抽查不合格")
    content = client.get(certificate_url(certificate.number)).content.decode()
    banner = content[content.index("status-banner") : content.index("<h1>")]
    assert f'status-banner__label">{Status(status).label}<' in banner
    assert meaning in banner


def test_certificate_page_reads_expired_past_the_expiry_date(client):
    certificate = CertificateFactory(expired=True)
    content = client.get(certificate_url(certificate.number)).content.decode()
    assert "status-banner--expired" in content
    assert "has passed its expiry date" in content


def test_certificate_page_names_the_organisations_with_credit_code_and_region(client):
    certificate = CertificateFactory(
        client=OrganisationFactory(
            name_zh="青岛海川建材股份有限公司", name_en="Qingdao Haichuan", region_code="370200"
        )
    )
    zh = client.get(certificate_url(certificate.number, "zh-hans")).content.decode()
    en = client.get(certificate_url(certificate.number, "en")).content.decode()
    assert "青岛海川建材股份有限公司" in zh and "山东省青岛市" in zh
    assert "Qingdao Haichuan" in en and "Qingdao, Shandong" in en
    assert certificate.client.uscc in en


def test_certificate_page_gives_the_energy_saving_and_its_coal_equivalent(client):
    certificate = CertificateFactory(energy_saving_kwh_per_year=Decimal("1000"))
    content = client.get(certificate_url(certificate.number)).content.decode()
    assert "1,000 kWh of electricity a year" in content
    assert "122.9 kg of standard coal" in content
    assert "0.1229 kgce per kWh, calorific equivalent" in content


def test_certificate_page_lists_the_status_history(client):
    certificate = CertificateFactory()
    record_initial_status(certificate)
    change_status(certificate, Status.SUSPENDED, reason="监督抽查不合格", changed_on=datetime.date.today() - 5 * DAY)
    content = client.get(certificate_url(certificate.number)).content.decode()
    timeline = content[content.index("lookup-timeline") :]
    assert timeline.index(certificate.issued_on.isoformat()) < timeline.index("监督抽查不合格")


def test_a_loosely_typed_number_redirects_to_the_canonical_address(client, fridge):
    loose = f"{fridge.number[:5].lower()} {fridge.number[5:9]}-{fridge.number[9:]}"
    response = client.get(certificate_url(loose, "zh-hans"), {"on": "2025-01-01"})
    assert response.status_code == 301
    assert response.url == certificate_url(fridge.number, "zh-hans") + "?on=2025-01-01"


def test_an_unknown_number_is_a_404_page(client, engine):
    number = codes.generate_certificate_number(2024, "001", "011")
    response = client.get(certificate_url(number))
    assert response.status_code == 404
    assert f"No certificate has the number {number}." in response.content.decode()


def test_a_malformed_number_is_a_400_page_that_says_what_is_wrong(client, engine):
    response = client.get(certificate_url("G123"))
    assert response.status_code == 400
    assert response.context["error"]
    assert str(response.context["error"]) in response.content.decode()


# --- "was it valid on this date?" --------------------------------------------------


@pytest.fixture
def suspended_last_month():
    certificate = CertificateFactory()
    record_initial_status(certificate)
    change_status(certificate, Status.SUSPENDED, reason="监督抽查不合格", changed_on=datetime.date.today() - 30 * DAY)
    return certificate


def test_valid_on_a_date_before_the_suspension_answers_yes(client, suspended_last_month):
    day = datetime.date.today() - 60 * DAY
    response = client.get(certificate_url(suspended_last_month.number), {"on": day.isoformat()})
    assert f"Yes: on {day.isoformat()} the certificate was valid." in response.content.decode()


def test_valid_on_a_date_after_the_suspension_answers_no_with_the_status(client, suspended_last_month):
    day = datetime.date.today() - 10 * DAY
    response = client.get(certificate_url(suspended_last_month.number), {"on": day.isoformat()})
    assert f"No: on {day.isoformat()} the certificate was not valid. Its status was: Suspended." in (
        response.content.decode()
    )


def test_valid_on_a_date_before_issue_says_it_did_not_exist_yet(client, suspended_last_month):
    day = suspended_last_month.issued_on - DAY
    response = client.get(certificate_url(suspended_last_month.number), {"on": day.isoformat()})
    assert "the certificate did not exist yet" in response.content.decode()


def test_valid_on_a_malformed_date_says_how_to_write_it(client, fridge):
    response = client.get(certificate_url(fridge.number), {"on": "30/06/2024"})
    assert response.status_code == 200
    assert "Give the date as year-month-day" in response.content.decode()


def test_a_credit_code_lists_the_companys_certificates(client, fridge, lamp):
    response = client.get(home_url(), {"q": fridge.client.uscc})
    assert response.status_code == 200
    assert [row["certificate"].number for row in response.context["results"]] == [fridge.number]


def test_filters_alone_search_without_words(client, fridge, lamp):
    response = client.get(home_url(), {"status": "valid"})
    assert response.status_code == 200
    assert [row["certificate"].number for row in response.context["results"]] == [fridge.number]


def test_search_results_may_be_crawled_but_name_the_lookup_home_as_canonical(client, fridge):
    """Crawlers may follow result pages to the certificates; the canonical link keeps
    every combination of words and filters from being indexed as a page of its own."""
    page = client.get(home_url(), {"q": "冰箱"}).content.decode()
    assert 'name="robots"' not in page
    assert f'<link rel="canonical" href="http://testserver{home_url()}">' in page


def test_a_page_past_the_last_goes_to_the_last_page(client, fridge):
    response = client.get(home_url(), {"q": "冰箱", "page": "7"})
    assert response.status_code == 302
    assert "page=" not in response.url
    assert client.get(response.url).context["results"][0]["certificate"].number == fridge.number


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_certificate_number_still_goes_to_its_page_when_the_search_server_is_down(client, settings):
    certificate = CertificateFactory()
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    reset_engine()
    try:
        response = client.get(home_url(), {"q": certificate.number})
    finally:
        reset_engine()
    assert response.status_code == 302
    assert response.url == certificate_url(certificate.number)


def test_one_company_in_several_roles_is_named_once_with_its_roles(client):
    holder = OrganisationFactory(name_en="Holder Co.")
    maker = OrganisationFactory(name_en="Maker Co.")
    certificate = CertificateFactory(client=holder, producer=holder, manufacturer=maker)
    content = client.get(certificate_url(certificate.number)).content.decode()
    assert content.count("Holder Co.") == 1
    assert "Certificate holder (client) · Producer" in content
    assert content.count("Maker Co.") == 1
