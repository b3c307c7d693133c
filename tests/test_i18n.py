"""The bilingual shell as a reader meets it: language prefixes, the root redirect, error pages."""

import pytest
import wagtail_factories

from django.test import Client

from wagtail.models import Page, Site

from cms.models import ArticlePage, HomePage
from frontend.tests.factories import publish_translation


@pytest.mark.parametrize(
    ("accept_language", "location"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "/zh-hans/"),
        ("zh-TW,zh;q=0.9", "/zh-hans/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("fr-FR,fr;q=0.9", "/zh-hans/"),
        ("", "/zh-hans/"),
    ],
)
def test_root_redirects_by_accept_language(db, accept_language, location):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == location


def test_root_redirect_prefers_the_language_cookie_over_accept_language(db):
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response["Location"] == "/en/"


def test_page_not_found_in_english_is_rendered_in_the_english_shell(db):
    response = Client().get("/en/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="en">' in response.text
    assert "Page not found" in response.text


def test_page_not_found_in_chinese_declares_zh_hans(db):
    response = Client().get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="zh-Hans">' in response.text


def test_language_switch_on_a_view_without_a_page_keeps_the_path(db):
    response = Client().get("/zh-hans/no-such-page/")
    assert 'href="/en/no-such-page/" hreflang="en" lang="en"' in response.text


class HomePageFactory(wagtail_factories.PageFactory):
    title = "首页"
    hero_title = "绿色产品标识与认证"

    class Meta:
        model = HomePage


class ArticlePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticlePage


@pytest.fixture
def pages(db):
    """A Chinese home and its English translation; one article translated, one not."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="home-zh")
    Site.objects.filter(is_default_site=True).update(root_page=home)
    about = ArticlePageFactory(parent=home, title="关于认证", slug="about")
    notice = ArticlePageFactory(parent=home, title="通知", slug="notice")
    return {
        "home": home,
        "home_en": publish_translation(home, "en", title="Home"),
        "about": about,
        "about_en": publish_translation(about, "en", title="About certification"),
        "notice": notice,
    }


def test_chinese_page_switches_to_its_english_translation(pages):
    response = Client().get("/zh-hans/about/")
    assert response.status_code == 200
    assert 'href="/en/about/" hreflang="en" lang="en"' in response.text


def test_english_page_switches_back_to_the_chinese_original(pages):
    response = Client().get("/en/about/")
    assert '<html lang="en">' in response.text
    assert 'href="/zh-hans/about/" hreflang="zh-Hans" lang="zh-Hans"' in response.text


def test_english_home_page_switches_to_the_chinese_home_page(pages):
    response = Client().get("/en/")
    assert 'href="/zh-hans/" hreflang="zh-Hans" lang="zh-Hans"' in response.text


def test_untranslated_page_says_so_and_offers_the_english_home_page(pages):
    response = Client().get("/zh-hans/notice/")
    assert '<a href="/en/" hreflang="en" data-missing-translation>' in response.text


def test_untranslated_page_has_no_english_hreflang_alternate(pages):
    response = Client().get("/zh-hans/notice/")
    assert '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/zh-hans/notice/">' in response.text
    assert '<link rel="alternate" hreflang="en"' not in response.text


def test_translated_page_lists_both_hreflang_alternates(pages):
    response = Client().get("/en/about/")
    assert '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/zh-hans/about/">' in response.text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/about/">' in response.text
