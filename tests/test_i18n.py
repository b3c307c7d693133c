"""The bilingual shell as a reader meets it: language prefixes, the root redirect, error pages."""

import pytest

from django.test import Client


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
