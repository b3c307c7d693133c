"""GET /api/v1/lookup/: the contract's answer shape, codes first, filters, facets,
pages, languages and errors (on the embedded engine; the engines themselves are
held to the same behaviour by ``engine_suite``)."""

import datetime

import pytest

from lookup.engines.base import reset_engine
from lookup.models import Status
from lookup.tests.factories import CertificateFactory, OrganisationFactory, TraceCodeFactory
from lookup.tests.support import index

pytestmark = pytest.mark.django_db

URL = "/api/v1/lookup/"


@pytest.fixture
def lamp(engine):
    certificate = CertificateFactory(
        product_name="节能荧光灯",
        product_name_en="Fluorescent lamps",
        brand="明远",
        product_models=["YZ-36RR"],
        status=Status.SUSPENDED,
        status_reason="监督抽查不合格",
        client=OrganisationFactory(name_zh="广州明远照明有限公司", name_en="", region_code="440100"),
    )
    index(engine, certificate)
    return certificate


def test_answer_has_the_contract_shape(client, fridge):
    response = client.get(URL, {"q": "冰箱"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert set(data["facets"]) == {"category", "status", "body", "region"}
    assert data["facets"]["region"] == [{"value": "370000", "count": 1}]
    result = data["results"][0]
    assert set(result) == {
        "number",
        "status",
        "product_name",
        "brand",
        "models",
        "client_name",
        "body",
        "category",
        "issued_on",
        "expires_on",
        "url",
    }
    assert result["number"] == fridge.number
    assert result["status"] == "valid"
    assert result["models"] == ["BCD-470W"]
    assert result["body"]["code"] == fridge.body.code
    assert result["issued_on"] == fridge.issued_on.isoformat()
    assert fridge.number in result["url"]


def test_certificate_number_answers_that_record(client, fridge, lamp):
    data = client.get(URL, {"q": fridge.number.lower()}).json()
    assert [result["number"] for result in data["results"]] == [fridge.number]


def test_trace_code_answers_its_certificate(client, fridge, lamp):
    trace = TraceCodeFactory(certificate=lamp)
    data = client.get(URL, {"q": trace.code}).json()
    assert [result["number"] for result in data["results"]] == [lamp.number]


def test_uscc_answers_the_organisations_certificates(client, fridge, lamp):
    data = client.get(URL, {"q": fridge.client.uscc}).json()
    assert [result["number"] for result in data["results"]] == [fridge.number]


def test_malformed_code_is_400_saying_what_is_wrong(client, fridge):
    response = client.get(URL, {"q": "G20240010113829"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_length"
    assert error["field"] == "q"
    assert "17 characters" in error["message"]


def test_well_formed_code_of_nothing_is_404(client, fridge):
    response = client.get(URL, {"q": "G2024001011000000"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("page_size", "101"),
        ("page_size", "0"),
        ("page", "x"),
        ("status", "lost"),
        ("category", "11a"),
        ("body", "1"),
        ("region", "3702"),
        ("scenario", "abc"),
    ],
)
def test_malformed_parameter_is_400_naming_it(client, engine, parameter, value):
    response = client.get(URL, {parameter: value})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == parameter


def test_filters_narrow_and_facets_count(client, fridge, lamp):
    data = client.get(URL, {"status": "suspended"}).json()
    assert [result["number"] for result in data["results"]] == [lamp.number]
    everything = client.get(URL).json()
    assert everything["count"] == 2
    assert {facet["value"]: facet["count"] for facet in everything["facets"]["status"]} == {
        "valid": 1,
        "suspended": 1,
    }


def test_region_filter_takes_a_province_or_a_prefecture(client, fridge, lamp):
    assert [r["number"] for r in client.get(URL, {"region": "370000"}).json()["results"]] == [fridge.number]
    assert [r["number"] for r in client.get(URL, {"region": "440100"}).json()["results"]] == [lamp.number]


def test_scenario_filters_by_product_group(client, fridge, lamp):
    group = fridge.category.group.number
    data = client.get(URL, {"scenario": group}).json()
    assert fridge.number in [result["number"] for result in data["results"]]
    assert all(
        result["category"]["code"] != lamp.category.code or lamp.category.group.number == group
        for result in data["results"]
    )


def test_valid_first_then_pages(client, engine):
    certificates = [
        CertificateFactory(product_name=f"家用电冰箱{n}", issued_on=datetime.date.today() - datetime.timedelta(days=n))
        for n in range(5)
    ]
    revoked = CertificateFactory(product_name="家用电冰箱", status=Status.REVOKED)
    index(engine, *certificates, revoked)
    first = client.get(URL, {"q": "冰箱", "page_size": 4}).json()
    second = client.get(URL, {"q": "冰箱", "page_size": 4, "page": 2}).json()
    assert first["count"] == 6
    numbers = [result["number"] for result in first["results"] + second["results"]]
    assert numbers[-1] == revoked.number
    assert len(set(numbers)) == 6


def test_names_follow_the_readers_language(client, fridge):
    english = client.get(URL, {"q": "冰箱", "lang": "en"}).json()["results"][0]
    chinese = client.get(URL, {"q": "冰箱"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert english["product_name"] == "Inverter household refrigerator"
    assert english["client_name"] == "Qingdao Haichuan Co., Ltd."
    assert chinese["product_name"] == "海川变频节能家用电冰箱"


def test_expired_by_date_reads_expired(client, engine):
    expired = CertificateFactory(expired=True)
    index(engine, expired)
    data = client.get(URL, {"q": expired.number}).json()
    assert data["results"][0]["status"] == "expired"
    assert client.get(URL, {"status": "expired"}).json()["count"] == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_text_search_says_it_is_degraded_when_the_search_server_is_down(client, settings):
    certificate = CertificateFactory(product_name="海川变频节能家用电冰箱")
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    reset_engine()
    try:
        text = client.get("/api/v1/lookup/", {"q": "冰箱", "lang": "en"})
        code = client.get("/api/v1/lookup/", {"q": certificate.number})
    finally:
        reset_engine()
    assert text.status_code == 200
    assert text.json()["degraded"] is True
    assert "unavailable" in text.json()["message"]
    assert code.status_code == 200
    assert [result["number"] for result in code.json()["results"]] == [certificate.number]
