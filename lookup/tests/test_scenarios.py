"""The lookup scenarios: the home's cards and each scenario's page, without JavaScript,
in both languages, with their empty and error states, the supervision warnings in
every result list, and the autocomplete endpoint."""

import datetime
import re

import pytest

from django.urls import reverse
from django.utils import translation

from lookup import codes
from lookup.engines.base import reset_engine
from lookup.models import SpotCheck, Status
from lookup.status import change_status, record_initial_status
from lookup.tests.factories import (
    BlacklistEntryFactory,
    CertificateFactory,
    CertificationBodyFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    SpotCheckFactory,
    TraceCodeFactory,
)
from lookup.tests.support import index

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")
SCENARIOS = (
    "lookup-code",
    "lookup-products",
    "lookup-companies",
    "lookup-bodies",
    "lookup-validity",
    "lookup-supervision",
)
TODAY = datetime.date.today()


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def text(response):
    return response.content.decode()


@pytest.fixture
def haichuan():
    return OrganisationFactory(
        name_zh="青岛海川建材股份有限公司", name_en="Qingdao Haichuan Co., Ltd.", region_code="370200"
    )


@pytest.fixture
def fridges(engine, haichuan):
    """Two refrigerators of one company, one of them withdrawn, indexed."""
    valid = CertificateFactory(
        product_name="海川变频节能家用电冰箱",
        product_name_en="Inverter household refrigerator",
        brand="海川",
        product_models=["BCD-470W"],
        client=haichuan,
    )
    withdrawn = CertificateFactory(
        product_name="海川双门电冰箱",
        product_name_en="Two-door refrigerator",
        brand="海川",
        client=haichuan,
        status=Status.WITHDRAWN,
        status_reason="企业申请注销",
        status_changed_on=TODAY - datetime.timedelta(days=5),
    )
    index(engine, valid, withdrawn)
    return valid, withdrawn


@pytest.fixture
def unavailable_engine(settings, tmp_path):
    """The embedded engine with its index directory blocked by a file: it cannot answer."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.LOOKUP_ENGINE = "lookup.engines.embedded.EmbeddedEngine"
    settings.LOOKUP_INDEX_DIR = str(blocker)
    reset_engine()
    yield
    reset_engine()


# --- the home --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_starts_from_the_six_situations(client, language):
    response = client.get(url("lookup-home", language))
    assert response.status_code == 200
    content = text(response)
    for name in SCENARIOS:
        assert f'href="{url(name, language)}"' in content
    assert 'class="scenario-grid"' in content


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_page_is_a_plain_get_form(client, language, name):
    response = client.get(url(name, language))
    assert response.status_code == 200
    content = text(response)
    assert f'method="get" action="{url(name, language)}"' in content
    assert 'type="submit"' in content
    assert "<script>" not in content


def test_search_everything_results_keep_their_address(client, fridges):
    response = client.get(url("lookup-home"), {"q": "冰箱"})
    assert response.status_code == 200
    assert response.templates[0].name == "lookup/pages/search.html"
    assert response.context["total"] == 2


# --- I have a code ---------------------------------------------------------------------


def test_code_page_offers_the_camera_scanner(client):
    response = client.get(url("lookup-code"))
    assert "lookup/includes/code_scanner.html" in [template.name for template in response.templates]
    assert 'name="code"' in text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_certificate_number_goes_to_its_page(client, fridges, language):
    valid, _withdrawn = fridges
    response = client.get(url("lookup-code", language), {"code": valid.number.lower()})
    assert response.status_code == 302
    assert response.url == url("lookup-certificate", language, number=valid.number)


def test_a_trace_code_goes_to_its_certificate_even_when_withdrawn(client, fridges):
    _valid, withdrawn = fridges
    trace = TraceCodeFactory(certificate=withdrawn)
    response = client.get(url("lookup-code"), {"code": f" {trace.code[:5]}-{trace.code[5:]} "})
    assert response.status_code == 302
    assert response.url == url("lookup-certificate", number=withdrawn.number)


def test_a_credit_code_opens_the_company(client, fridges, haichuan):
    response = client.get(url("lookup-code"), {"code": haichuan.uscc})
    assert response.status_code == 302
    assert response.url == f"{url('lookup-companies')}?q={haichuan.uscc}"


def test_a_malformed_code_is_a_400_that_says_what_is_wrong(client, engine):
    response = client.get(url("lookup-code"), {"code": "G20240010113182"})
    assert response.status_code == 400
    assert 'id="code-q-error"' in text(response)
    assert 'aria-invalid="true"' in text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_well_formed_number_never_issued_is_a_404_that_says_so(client, engine, language):
    number = codes.generate_certificate_number(2024, "001", "011")
    response = client.get(url("lookup-code", language), {"code": number})
    assert response.status_code == 404
    assert number in text(response)
    if language == "en":
        assert "has the right shape, but no certificate with it is in the register" in text(response)
        assert "last few days" in text(response)


def test_a_trace_code_never_issued_says_the_label_may_be_counterfeit(client, engine):
    code = codes.generate_trace_code(2024, "001", "011")
    response = client.get(url("lookup-code"), {"code": code})
    assert response.status_code == 404
    assert f"No product has the trace code {code}." in text(response)
    assert "counterfeit" in text(response)


# --- I'm choosing a product ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "name"), [("zh-hans", "海川变频节能家用电冰箱"), ("en", "Inverter household refrigerator")]
)
def test_products_are_found_by_brand_with_status_facet_counts(client, fridges, language, name):
    response = client.get(url("lookup-products", language), {"q": "海川"})
    assert response.status_code == 200
    assert name in text(response)
    status_facet = next(facet for facet in response.context["facets"] if facet["name"] == "status")
    assert {value["value"]: value["count"] for value in status_facet["values"]} == {"valid": 1, "withdrawn": 1}
    assert all(value["url"].startswith(url("lookup-products", language)) for value in status_facet["values"])


def test_product_filters_work_as_plain_links(client, fridges):
    valid, _withdrawn = fridges
    response = client.get(url("lookup-products"), {"q": "海川", "status": "valid"})
    assert [row["certificate"].number for row in response.context["results"]] == [valid.number]
    assert f'href="{response.context["clear_url"]}"' in text(response).replace("&amp;", "&")


def test_products_filtered_to_nothing_say_the_matches_are_withdrawn(client, fridges):
    response = client.get(url("lookup-products"), {"q": "双门", "status": "valid"})
    assert response.status_code == 200
    content = text(response)
    assert "No certificate matches with these filters, but 1 certificate matches the words without them" in content
    assert "Withdrawn: 1" in content


def test_a_malformed_product_filter_is_a_400(client, engine):
    response = client.get(url("lookup-products"), {"q": "冰箱", "category": "fridge"})
    assert response.status_code == 400
    assert "category must be a code of 3 digits" in text(response)


def test_products_answer_503_when_the_engine_cannot(client, unavailable_engine):
    response = client.get(url("lookup-products"), {"q": "冰箱"})
    assert response.status_code == 503
    assert "The lookup is unavailable just now" in text(response)


def test_a_degraded_answer_is_flagged_as_incomplete(client, fridges, settings):
    settings.LOOKUP_ENGINE = "lookup.engines.elastic.ElasticsearchEngine"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    reset_engine()
    try:
        response = client.get(url("lookup-products"), {"q": "冰箱"})
    finally:
        reset_engine()
    assert response.status_code == 200
    assert response.context["degraded"] is True
    assert "may be incomplete" in text(response)


# --- check a company -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_credit_code_shows_the_company_and_its_certificates_by_status(client, fridges, haichuan, language):
    response = client.get(url("lookup-companies", language), {"q": haichuan.uscc.lower()})
    assert response.status_code == 200
    assert response.context["company"] == haichuan
    assert {value["value"]: value["count"] for value in response.context["status_facet"]} == {
        "valid": 1,
        "withdrawn": 1,
    }
    assert len(response.context["results"]) == 2
    assert response.context["results"][0]["status"] == "valid"


def test_a_company_status_filter_narrows_its_certificates(client, fridges, haichuan):
    response = client.get(url("lookup-companies"), {"company": haichuan.pk, "status": "withdrawn"})
    assert [row["certificate"] for row in response.context["results"]] == [fridges[1]]


def test_an_expired_certificate_counts_as_expired(client, haichuan):
    CertificateFactory(client=haichuan, expired=True)
    response = client.get(url("lookup-companies"), {"company": haichuan.pk})
    assert [value["value"] for value in response.context["status_facet"]] == ["expired"]


def test_a_name_matching_several_companies_lists_them_with_counts(client, fridges):
    other = OrganisationFactory(name_zh="海川电器有限公司", name_en="Haichuan Appliances")
    CertificateFactory(client=other)
    OrganisationFactory(name_zh="海川贸易有限公司")  # named on no certificate
    response = client.get(url("lookup-companies"), {"q": "海川"})
    assert response.status_code == 200
    assert {(company.name_zh, company.certificate_count) for company in response.context["companies"]} == {
        ("青岛海川建材股份有限公司", 2),
        ("海川电器有限公司", 1),
    }
    assert f"?company={other.pk}" in text(response)


def test_a_name_matching_one_company_shows_it(client, fridges, haichuan):
    response = client.get(url("lookup-companies"), {"q": "Qingdao Haichuan"})
    assert response.context["company"] == haichuan


def test_a_company_certificate_counted_once_in_every_role(client, haichuan):
    CertificateFactory(client=haichuan, producer=haichuan, manufacturer=haichuan)
    CertificateFactory(manufacturer=haichuan)
    response = client.get(url("lookup-companies"), {"q": "海川建材"})
    assert response.context["total"] == 2


def test_an_unknown_credit_code_is_a_404_that_says_it_holds_no_certificate(client, engine):
    uscc = codes.generate_uscc()
    response = client.get(url("lookup-companies"), {"q": uscc})
    assert response.status_code == 404
    assert f"No company with the credit code {uscc} is named on a certificate." in text(response)


def test_a_malformed_credit_code_is_a_400(client, engine):
    uscc = codes.generate_uscc()
    wrong = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    response = client.get(url("lookup-companies"), {"q": wrong})
    assert response.status_code == 400
    assert 'id="companies-q-error"' in text(response)


@pytest.mark.parametrize(("company", "status"), [("abc", 400), ("999999", 404)])
def test_a_bad_company_choice_is_an_error(client, engine, company, status):
    assert client.get(url("lookup-companies"), {"company": company}).status_code == status


def test_a_name_matching_nothing_says_what_to_try(client, engine):
    response = client.get(url("lookup-companies"), {"q": "不存在的公司"})
    assert response.status_code == 200
    assert "Try a shorter part of the name" in text(response)


# --- find a certification body ---------------------------------------------------------


@pytest.fixture
def bodies():
    lamps, boards = ProductCategoryFactory(name_en="Lamps"), ProductCategoryFactory(name_en="Boards")
    north = CertificationBodyFactory(name_en="North Certification")
    north.approved_categories.set([lamps, boards])
    south = CertificationBodyFactory(name_en="South Certification")
    south.approved_categories.set([boards])
    shandong = OrganisationFactory(region_code="370200")
    CertificateFactory(body=north, category=lamps, client=shandong)
    CertificateFactory(body=north, category=lamps, client=shandong, expired=True)
    CertificateFactory(body=south, category=boards, client=OrganisationFactory(region_code="440100"))
    return {"lamps": lamps, "boards": boards, "north": north, "south": south}


def test_directory_lists_each_body_with_its_categories_and_counts(client, bodies):
    response = client.get(url("lookup-bodies"), {"category": bodies["boards"].code})
    found = {body.code: (body.certificate_count, body.valid_count) for body in response.context["bodies"]}
    assert found == {bodies["north"].code: (2, 1), bodies["south"].code: (1, 1)}
    content = text(response)
    assert "Lamps" in content and "Boards" in content
    assert f'href="{url("lookup-body", code=bodies["north"].code)}"' in content


def test_directory_filters_by_the_province_the_companies_are_in(client, bodies):
    response = client.get(url("lookup-bodies"), {"category": bodies["boards"].code, "region": "370000"})
    assert [(body.code, body.province_count) for body in response.context["bodies"]] == [(bodies["north"].code, 2)]


def test_directory_with_no_body_says_why(client, bodies):
    response = client.get(url("lookup-bodies"), {"category": bodies["lamps"].code, "region": "440000"})
    assert response.status_code == 200
    assert "has yet certified a company in" in text(response)


def test_directory_rejects_an_unknown_filter(client):
    assert client.get(url("lookup-bodies"), {"category": "x"}).status_code == 400


@pytest.mark.parametrize("language", LANGUAGES)
def test_body_page_shows_categories_counts_and_provinces(client, bodies, language):
    north = bodies["north"]
    response = client.get(url("lookup-body", language, code=north.code))
    assert response.status_code == 200
    assert response.context["certificate_count"] == 2
    assert {status["value"]: status["count"] for status in response.context["status_counts"]} == {
        "valid": 1,
        "expired": 1,
    }
    assert [code for code, _name, _total in response.context["provinces"]] == ["370000"]


def test_unknown_body_is_a_404(client):
    assert client.get(url("lookup-body", code="999")).status_code == 404


# --- is this certificate still valid? --------------------------------------------------


@pytest.fixture
def suspended():
    certificate = CertificateFactory(issued_on=TODAY - datetime.timedelta(days=400))
    record_initial_status(certificate)
    change_status(
        certificate, Status.SUSPENDED, changed_on=TODAY - datetime.timedelta(days=30), reason="监督抽查不合格"
    )
    return certificate


@pytest.mark.parametrize("language", LANGUAGES)
def test_validity_today_gives_the_status_and_its_meaning(client, suspended, language):
    response = client.get(url("lookup-validity", language), {"number": suspended.number})
    assert response.status_code == 200
    assert response.context["status_then"] == Status.SUSPENDED
    assert "status-banner--suspended" in text(response)
    if language == "en":
        assert "The certificate is suspended while a problem is put right" in text(response)


def test_validity_on_an_earlier_date_answers_for_that_day_and_today(client, suspended):
    day = (TODAY - datetime.timedelta(days=60)).isoformat()
    response = client.get(url("lookup-validity"), {"number": suspended.number, "on": day})
    content = text(response)
    assert f"On {day}: Valid" in content
    assert "Today it is: <strong>Suspended</strong>" in content


def test_validity_before_issue_says_not_yet_issued(client, suspended):
    day = (suspended.issued_on - datetime.timedelta(days=1)).isoformat()
    response = client.get(url("lookup-validity"), {"number": suspended.number, "on": day})
    assert f"Not yet issued on {day}" in text(response)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"number": "G2024"}, 400, 'id="validity-number-error"'),
        ({"number": "VALID", "on": ""}, 400, 'id="validity-number-error"'),
        ({"on": "2024-13-01"}, 400, "Give the date as year-month-day"),
        ({"on": (TODAY + datetime.timedelta(days=2)).isoformat()}, 400, "That date is in the future"),
    ],
)
def test_validity_rejects_bad_input(client, suspended, params, status, message):
    response = client.get(url("lookup-validity"), {"number": suspended.number, **params})
    assert response.status_code == status
    assert message in text(response)


def test_validity_of_an_unknown_number_is_a_404(client):
    number = codes.generate_certificate_number(2024, "001", "011")
    response = client.get(url("lookup-validity"), {"number": number})
    assert response.status_code == 404
    assert f"No certificate has the number {number}." in text(response)


# --- spot checks and blacklist ---------------------------------------------------------


@pytest.fixture
def record(haichuan):
    failed = SpotCheckFactory(organisation=haichuan, result=SpotCheck.Result.FAIL, findings="甲醛释放量不符合标准要求")
    passed = SpotCheckFactory(organisation=haichuan, result=SpotCheck.Result.PASS)
    listed = BlacklistEntryFactory(organisation=haichuan, decided_on=TODAY - datetime.timedelta(days=3))
    ended = BlacklistEntryFactory(
        organisation=None,
        party_name="江西某建材有限公司",
        decided_on=datetime.date(2020, 1, 1),
        listed_until=datetime.date(2021, 1, 1),
    )
    return {"failed": failed, "passed": passed, "listed": listed, "ended": ended}


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervision_by_credit_code_finds_checks_and_listing(client, record, haichuan, language):
    response = client.get(url("lookup-supervision", language), {"q": haichuan.uscc})
    assert response.status_code == 200
    assert [entry for _anchor, entry in response.context["current_blacklist"]] == [record["listed"]]
    assert {check for _anchor, check in response.context["checks"]} == {record["failed"], record["passed"]}
    assert f'id="blacklist-{record["listed"].pk}"' in text(response)
    assert f'id="spot-check-{record["failed"].pk}"' in text(response)


def test_supervision_result_facet_counts_and_filters(client, record):
    response = client.get(url("lookup-supervision"), {"q": "海川", "result": "fail"})
    assert {value["value"]: value["count"] for value in response.context["result_facet"]} == {"pass": 1, "fail": 1}
    assert [check for _anchor, check in response.context["checks"]] == [record["failed"]]


def test_supervision_keeps_ended_listings_apart(client, record):
    response = client.get(url("lookup-supervision"), {"q": "江西"})
    assert response.context["current_blacklist"] == []
    assert [entry for _anchor, entry in response.context["past_blacklist"]] == [record["ended"]]
    assert "Nobody matching “江西” is on the blacklist now." in text(response)


def test_supervision_rejects_a_certificate_number_and_says_where_to_go(client, record):
    response = client.get(url("lookup-supervision"), {"q": codes.generate_certificate_number(2024, "001", "011")})
    assert response.status_code == 400
    assert "I have a code" in text(response)


def test_supervision_rejects_an_unknown_result(client):
    assert client.get(url("lookup-supervision"), {"result": "maybe"}).status_code == 400


def test_supervision_with_no_match_explains(client, record):
    response = client.get(url("lookup-supervision"), {"q": "无此公司"})
    assert response.status_code == 200
    assert "No published spot-check result matches" in text(response)


# --- warnings in every result list -----------------------------------------------------


@pytest.fixture
def flagged(fridges, haichuan):
    BlacklistEntryFactory(organisation=haichuan, decided_on=TODAY)
    SpotCheckFactory(organisation=haichuan, result=SpotCheck.Result.FAIL, year=2025)
    return fridges


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("lookup-home", {"q": "海川"}),
        ("lookup-products", {"q": "海川"}),
        ("lookup-companies", {"q": "海川建材"}),
    ],
)
def test_result_lists_flag_certificates_of_listed_parties(client, flagged, name, params):
    response = client.get(url(name), params)
    rows = response.context["results"]
    assert rows and all([flag.kind for flag in row["flags"]] == ["blacklist", "spot_check_failed"] for row in rows)
    content = text(response)
    assert "Blacklisted: 青岛海川建材股份有限公司" in content
    assert "Failed a spot check in 2025: 青岛海川建材股份有限公司" in content
    assert f'href="{url("lookup-supervision")}?q=' in content


def test_validity_answer_carries_the_flags(client, flagged):
    response = client.get(url("lookup-validity"), {"number": flagged[0].number})
    assert "Blacklisted: 青岛海川建材股份有限公司" in text(response)


def test_unflagged_results_show_no_warning(client, fridges):
    response = client.get(url("lookup-products"), {"q": "海川"})
    assert all(row["flags"] == [] for row in response.context["results"])
    assert "lookup-flags" not in text(response)


def test_flags_take_a_fixed_number_of_queries_per_page(client, engine, django_assert_max_num_queries):
    for _ in range(15):
        index(engine, CertificateFactory(product_name="节能冰箱"))
    with django_assert_max_num_queries(12):
        response = client.get(url("lookup-products"), {"q": "冰箱"})
    assert len(response.context["results"]) == 15


# --- autocomplete ----------------------------------------------------------------------


def test_autocomplete_suggests_brands_and_names(client, fridges):
    response = client.get("/api/v1/autocomplete/", {"q": "海"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    suggestions = response.json()["suggestions"]
    assert "海川" in suggestions


def test_autocomplete_answers_plain_text_that_pages_escape(client, engine):
    index(engine, CertificateFactory(brand='Acme<img src=x onerror="alert(1)">'))
    response = client.get("/api/v1/autocomplete/", {"q": "acme"})
    assert response.json()["suggestions"] == ['Acme<img src=x onerror="alert(1)">']
    page = text(client.get(url("lookup-products"), {"q": "acme"}))
    assert "<img src=x" not in page
    assert "Acme&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_autocomplete_of_nothing_is_an_empty_list(client, engine):
    response = client.get("/api/v1/autocomplete/", {"q": " "})
    assert (response.status_code, response.json()) == (200, {"suggestions": []})


@pytest.mark.parametrize("params", [{"q": "x" * 51}, {"q": "a", "limit": 0}, {"q": "a", "limit": 21}])
def test_autocomplete_rejects_out_of_bounds_parameters(client, engine, params):
    response = client.get("/api/v1/autocomplete/", params)
    assert response.status_code == 400
    assert response.json()["error"]["field"] in {"q", "limit"}


def test_autocomplete_is_a_503_when_the_engine_cannot_answer(client, unavailable_engine):
    response = client.get("/api/v1/autocomplete/", {"q": "冰", "lang": "en"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"


def test_search_boxes_carry_the_autocomplete_endpoint_and_script(client):
    content = text(client.get(url("lookup-products")))
    assert 'data-autocomplete="/api/v1/autocomplete/"' in content
    script = re.search(r'<script src="/static/lookup/autocomplete.js" nonce="([^"]+)" defer></script>', content)
    assert script and script.group(1)


# --- what a reader may type ------------------------------------------------------------


@pytest.mark.parametrize("name", ["lookup-companies", "lookup-supervision", "lookup-products", "lookup-home"])
def test_control_characters_in_a_search_are_not_an_error(client, fridges, name):
    response = client.get(url(name), {"q": "海川\x00\u200b"})
    assert response.status_code == 200
