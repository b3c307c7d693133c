"""An English word with two meanings carries a translation context, so each meaning
gets its own Chinese: "Withdrawn" is 注销 for a certificate but 废止 for a standard;
"body" is a certification body (认证机构) or a page's text (正文)."""

import pytest

from django.test import Client
from django.utils import translation

from cms import models
from cms.tests.factories import StandardPageFactory, home_page, page_chain
from lookup.models import ApiToken, BodyStaff, Status
from lookup.tests.factories import CertificateFactory


@pytest.fixture
def home(db):
    return home_page()


def chinese(page):
    response = Client().get(page.url, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.text
    return response.text


def test_a_withdrawn_standard_reads_as_abolished_in_chinese(home):
    index = page_chain("StandardIndexPage", home)
    StandardPageFactory(parent=index, status=models.RecordStatus.WITHDRAWN)

    text = chinese(index)

    assert '<span class="cms-status cms-status--withdrawn">废止</span>' in text
    assert "注销" not in text


def test_a_withdrawn_certificate_reads_as_cancelled_in_chinese(home):
    page = page_chain("CertificationResultsPage", home)
    CertificateFactory(status=Status.WITHDRAWN)

    text = chinese(page)

    assert '<span class="cms-status cms-status--withdrawn">注销</span>' in text
    assert "废止" not in text


@pytest.mark.parametrize("model", [BodyStaff, ApiToken])
def test_the_body_of_a_staff_member_or_api_key_is_a_certification_body(model):
    with translation.override("zh-hans"):
        assert model._meta.get_field("body").verbose_name == "认证机构"


def test_the_body_of_a_page_is_its_text():
    with translation.override("zh-hans"):
        assert models.StandardPage._meta.get_field("body").verbose_name == "正文"
