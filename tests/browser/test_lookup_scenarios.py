"""The lookup scenarios on a 360 px phone, in both languages: each form used as a
person would, the autocomplete with the keyboard, the forms without JavaScript, and
the warnings on certificates whose parties are on the supervision record.

Screenshots go to test-artifacts/screenshots/lookup-*.png.
"""

import datetime
import re

import pytest

from django.db.models import Count

from lookup.models import BlacklistEntry, Certificate, CertificationBody, SpotCheck
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LANGUAGES = ["zh-hans", "en"]
SAMPLE = "G2024001011318204"
NO_SCRIPT = {**PHONE, "java_script_enabled": False}


@pytest.fixture(scope="module")
def demo(demo_site):
    """What the tests look for in the demo, read before the browser opens."""
    sample = Certificate.objects.select_related("client", "category").get(number=SAMPLE)
    body = (
        CertificationBody.objects.annotate(categories=Count("approved_categories"))
        .filter(categories__gt=0)
        .order_by("code")
        .first()
    )
    failed = SpotCheck.objects.filter(result=SpotCheck.Result.FAIL).order_by("pk").first()
    return {
        "server": demo_site,
        "sample": sample,
        "client_name": sample.client.name_zh,
        "client_uscc": sample.client.uscc,
        "body": body,
        "category": body.approved_categories.order_by("code").first(),
        "failed": failed,
    }


@pytest.fixture(scope="module")
def listed_client(demo):
    """The sample certificate's holder put on the blacklist (committed, for the live
    server to see) for the tests that ask for it, and taken off after this module."""
    entry = BlacklistEntry.objects.create(
        organisation=demo["sample"].client,
        party_name=demo["client_name"],
        reason="浏览器测试：冒用绿色产品标识",
        decided_on=datetime.date.today(),
        decided_by="国家市场监督管理总局",
    )
    yield entry
    entry.delete()


def open_page(visit, demo, path, device=PHONE):
    opened = visit(f"{demo['server']}{path}", device)
    assert opened.response.status < 500
    return opened


def assert_fits_the_phone(opened):
    widths = opened.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths == [360, 360]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_offers_six_scenarios_that_fit_the_phone(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/")
    opened.screenshot(f"lookup-home-{language}-phone")
    cards = opened.page.locator(".scenario-grid .scenario h2 a")
    assert cards.count() == 6
    assert_fits_the_phone(opened)
    opened.assert_accessible(f"lookup-home-{language}")
    assert opened.errors == []
    cards.nth(4).click()
    opened.page.wait_for_url(f"**/{language}/lookup/validity/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_typed_code_opens_its_certificate(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/code/")
    opened.screenshot(f"lookup-code-{language}-phone")
    opened.assert_accessible(f"lookup-code-{language}")
    opened.page.fill("#code-q", f"{SAMPLE[:6]} {SAMPLE[6:]}".lower())
    opened.page.locator("form.lookup-form button[type=submit]").click()
    opened.page.wait_for_url(f"**/{language}/lookup/certificates/{SAMPLE}/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_code_never_issued_is_explained(demo, visit, language):
    number = "G2024001011399999"
    assert not Certificate.objects.filter(number=number).exists()
    opened = open_page(visit, demo, f"/{language}/lookup/code/?code={number}")
    opened.screenshot(f"lookup-code-unknown-{language}-phone")
    assert opened.response.status == 404
    assert opened.page.locator(".notice--warning[role=alert]").is_visible()
    assert number in opened.page.locator(".notice--warning").inner_text()
    assert_fits_the_phone(opened)


@pytest.mark.parametrize("language", LANGUAGES)
def test_product_search_with_facets_and_filters(demo, visit, language):
    product = {"zh-hans": "冰箱", "en": "refrigerator"}[language]
    opened = open_page(visit, demo, f"/{language}/lookup/products/?q={product}")
    opened.screenshot(f"lookup-products-{language}-phone")
    assert opened.page.locator(".lookup-result").count() > 0
    facet = opened.page.locator(".lookup-facets__group").first.locator("a").first
    label = facet.inner_text()
    facet.click()
    opened.page.wait_for_load_state()
    assert opened.page.locator(".lookup-facets strong[aria-current=true]").first.inner_text() == label
    assert_fits_the_phone(opened)
    opened.assert_accessible(f"lookup-products-{language}")
    assert opened.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_autocomplete_is_used_with_the_keyboard(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/products/")
    box = opened.page.locator("#products-q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially(demo["sample"].brand[:1], delay=50)
    options = opened.page.locator("#products-q-suggestions [role=option]")
    options.first.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    opened.screenshot(f"lookup-autocomplete-{language}-phone")
    opened.assert_accessible(f"lookup-autocomplete-open-{language}")
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert second.get_attribute("aria-selected") == "true"
    box.press("ArrowUp")
    chosen = options.first.inner_text()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert not opened.page.locator("#products-q-suggestions").is_visible()
    box.press("ArrowDown")
    box.press("Enter")
    opened.page.wait_for_url(re.compile(r"/lookup/products/\?q="))
    assert opened.page.locator("#products-q").input_value() == chosen
    assert opened.errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_forms_work_without_javascript(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/products/", NO_SCRIPT)
    opened.page.fill("#products-q", demo["sample"].brand)
    opened.page.select_option("#lookup-status", "valid")
    opened.page.locator("form.lookup-form button[type=submit]").click()
    opened.page.wait_for_url(re.compile(r"status=valid"))
    assert opened.page.locator(".lookup-result").count() > 0
    assert opened.page.locator("#products-q").get_attribute("role") is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_company_by_credit_code_with_its_certificates(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/companies/")
    opened.page.fill("#companies-q", demo["client_uscc"])
    opened.page.locator("form.lookup-form button[type=submit]").click()
    opened.page.wait_for_selector("#company-heading")
    opened.screenshot(f"lookup-company-{language}-phone")
    assert opened.page.locator(f"a[href$='/lookup/certificates/{SAMPLE}/']").count() == 1
    assert opened.page.locator(".lookup-facets li").count() >= 1
    assert_fits_the_phone(opened)
    opened.assert_accessible(f"lookup-company-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_company_name_matching_several_lists_them(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/companies/?q=有限公司")
    opened.screenshot(f"lookup-companies-{language}-phone")
    choices = opened.page.locator("#companies-heading ~ .lookup-list h3 a")
    assert choices.count() > 1
    choices.first.click()
    opened.page.wait_for_selector("#company-heading")


@pytest.mark.parametrize("language", LANGUAGES)
def test_body_directory_filters_by_category_and_opens_a_body(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/bodies/")
    opened.page.select_option("#lookup-category", demo["category"].code)
    opened.page.locator("form.lookup-form button[type=submit]").click()
    opened.page.wait_for_url(re.compile(rf"category={demo['category'].code}"))
    opened.screenshot(f"lookup-bodies-{language}-phone")
    assert opened.page.locator(f"#body-{demo['body'].code}").is_visible()
    assert_fits_the_phone(opened)
    opened.assert_accessible(f"lookup-bodies-{language}")
    opened.page.locator(f"#body-{demo['body'].code} h3 a").click()
    opened.page.wait_for_url(f"**/{language}/lookup/bodies/{demo['body'].code}/")
    opened.screenshot(f"lookup-body-{language}-phone")
    assert_fits_the_phone(opened)


@pytest.mark.parametrize("language", LANGUAGES)
def test_validity_on_a_date(demo, visit, language):
    opened = open_page(visit, demo, f"/{language}/lookup/validity/")
    opened.page.fill("#validity-number", SAMPLE)
    day = demo["sample"].issued_on + datetime.timedelta(days=30)
    opened.page.fill("#validity-on", day.isoformat())
    opened.page.locator("form.lookup-form button[type=submit]").click()
    opened.page.wait_for_selector("#validity-answer")
    opened.screenshot(f"lookup-validity-{language}-phone")
    assert day.isoformat() in opened.page.locator("#validity-answer").inner_text()
    assert_fits_the_phone(opened)
    opened.assert_accessible(f"lookup-validity-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervision_search_shows_failed_checks(demo, visit, language):
    failed = demo["failed"]
    opened = open_page(visit, demo, f"/{language}/lookup/supervision/?q={failed.organisation_name}&result=fail")
    opened.screenshot(f"lookup-supervision-{language}-phone")
    assert opened.page.locator(f"#spot-check-{failed.pk}").is_visible()
    assert_fits_the_phone(opened)
    opened.assert_accessible(f"lookup-supervision-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_result_lists_warn_about_a_blacklisted_holder(demo, visit, language, listed_client):
    opened = open_page(visit, demo, f"/{language}/lookup/companies/?q={demo['client_uscc']}")
    flag = opened.page.locator(".lookup-flag--blacklist a").first
    flag.wait_for(state="visible")
    opened.screenshot(f"lookup-flagged-{language}-phone")
    assert demo["client_name"] in flag.inner_text()
    flag.click()
    opened.page.wait_for_url(re.compile(rf"/lookup/supervision/\?q=.*#blacklist-{listed_client.pk}$"))
    assert opened.page.locator(f"#blacklist-{listed_client.pk}").is_visible()
