import re

import pytest

from django.test import Client

from .factories import CHAINS, bilingual_page

HTML_LANG = re.compile(r'<html lang="([^"]+)"')


@pytest.mark.parametrize("page_type", sorted(CHAINS))
def test_page_type_renders_in_chinese_and_english(db, page_type):
    chinese, english = bilingual_page(page_type)
    client = Client()

    chinese_response = client.get(chinese.url, HTTP_HOST="localhost")
    english_response = client.get(english.url, HTTP_HOST="localhost")

    assert chinese.url.startswith("/zh-hans/")
    assert english.url.startswith("/en/")
    assert chinese_response.status_code == 200
    assert english_response.status_code == 200
    assert HTML_LANG.search(chinese_response.text).group(1) == "zh-Hans"
    assert HTML_LANG.search(english_response.text).group(1) == "en"
    assert chinese.title in chinese_response.text
    assert english.title in english_response.text


def test_page_has_meta_description_open_graph_and_breadcrumb(db):
    chinese, _english = bilingual_page("PolicyPage")
    chinese.search_description = "国务院关于绿色产品的政策"
    chinese.save_revision().publish()

    response = Client().get(chinese.url, HTTP_HOST="localhost")

    assert '<meta name="description" content="国务院关于绿色产品的政策">' in response.text
    assert '<meta property="og:description" content="国务院关于绿色产品的政策">' in response.text
    assert f'<meta property="og:title" content="{chinese.title}">' in response.text
    assert 'class="breadcrumbs"' in response.text
    assert f'href="{chinese.get_parent().url}"' in response.text


def test_meta_description_falls_back_to_the_introduction(db):
    chinese, _english = bilingual_page("NewsPage")

    response = Client().get(chinese.url, HTTP_HOST="localhost")

    assert f'<meta name="description" content="{chinese.intro}">' in response.text


def test_page_without_any_text_gets_the_site_description(db):
    chinese, _english = bilingual_page("ProductCatalogPage")
    chinese.intro = ""
    chinese.save_revision().publish()

    response = Client().get(chinese.url, HTTP_HOST="localhost")

    assert '<meta name="description" content="">' not in response.text
    assert '<meta property="og:description" content="">' not in response.text
