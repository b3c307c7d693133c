import datetime

from wagtail.rich_text import RichText

from cms.models import SiteDocument
from cms.models.information import filter_by_effective_status
from lookup.models import Certificate, Status
from lookup.tests.factories import CertificateFactory

from .factories import NewsPageFactory, StandardPageFactory, home_page, page_chain


def test_segmented_search_text_splits_chinese_title_and_body_into_words(db):
    index = page_chain("NewsIndexPage", home_page())
    news = NewsPageFactory(
        parent=index,
        title="绿色产品认证实施规则",
        body=[("paragraph", RichText("<p>节能家用电冰箱</p>"))],
    )

    words = news.search_text_segmented().split()

    assert {"绿色", "认证", "规则", "冰箱"} <= set(words)


def test_standard_search_text_includes_its_number(db):
    index = page_chain("StandardIndexPage", home_page())
    standard = StandardPageFactory(parent=index, number="GB/T 35601-2017", title="人造板和木质地板")

    assert "35601" in standard.search_text_segmented()


def test_site_document_search_text_includes_its_description(db):
    document = SiteDocument(title="评价标准", description="人造板和木质地板")

    assert "木质" in document.search_text_segmented()


def test_meta_description_prefers_the_search_description(db):
    index = page_chain("NewsIndexPage", home_page())
    news = NewsPageFactory(parent=index, intro="简介", search_description="搜索摘要")

    assert news.meta_description == "搜索摘要"


def test_meta_description_falls_back_to_the_body_text_shortened(db):
    index = page_chain("NewsIndexPage", home_page())
    news = NewsPageFactory(parent=index, intro="", body=[("paragraph", RichText("<p>" + "认证" * 200 + "</p>"))])

    assert news.meta_description.startswith("认证认证")
    assert len(news.meta_description) <= 160


def test_filter_by_effective_status_treats_a_lapsed_valid_certificate_as_expired(db):
    lapsed = CertificateFactory(expired=True)
    CertificateFactory()
    revoked = CertificateFactory(status=Status.REVOKED, status_changed_on=datetime.date.today())

    assert list(filter_by_effective_status(Certificate.objects.all(), Status.EXPIRED)) == [lapsed]
    assert list(filter_by_effective_status(Certificate.objects.all(), Status.REVOKED)) == [revoked]
    assert lapsed.effective_status() == Status.EXPIRED
