"""The search page itself, on the database backend the suite runs on."""

import pytest

from django.urls import reverse
from django.utils import translation

from search.site_search import MAX_QUERY_LENGTH
from search.tests.factories import ArticlePageFactory, SiteDocumentFactory, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    return build_site()


def get(client, language="zh-hans", **params):
    with translation.override(language):
        url = reverse("search:search")
    return client.get(url, params)


def test_query_kept_in_the_search_box(client, sections):
    response = get(client, q="认证 规则")

    assert 'value="认证 规则"' in response.content.decode()


def test_over_long_query_trimmed(client, sections):
    response = get(client, q="认证" * 500)

    assert response.context["query"] == ("认证" * 500)[:MAX_QUERY_LENGTH]


@pytest.mark.parametrize(
    "query",
    ['"认证', "认证 AND NOT", "NEAR(认证 规则)", "*", "'; DROP TABLE x; --", "\x00\x1f", "认证\\", "🌱🌱", "a" * 5000],
)
def test_odd_input_answered_normally(client, sections, query):
    assert get(client, q=query).status_code == 200


def test_bad_page_number_gives_the_first_page(client, sections):
    ArticlePageFactory(parent=sections["zh-hans"], title="认证公告")

    response = get(client, q="认证", page="abc")

    assert response.status_code == 200
    assert [result["page"].title for result in response.context["results"]] == ["认证公告"]


def test_no_query_invites_one(client, sections):
    response = get(client, language="en")

    assert "Type one or more words" in response.content.decode()


def test_no_match_suggests_what_to_do(client, sections):
    response = get(client, language="en", q="zebra")

    assert "Check the spelling" in response.content.decode()


def test_query_without_words_says_so(client, sections):
    response = get(client, language="en", q="!!!")

    assert "no letters or digits" in response.content.decode()


def test_exact_title_match_promoted_to_the_top(client, sections):
    for number in range(3):
        ArticlePageFactory(
            parent=sections["zh-hans"], title=f"认证规则解读{number}", text="认证规则 认证规则 认证规则"
        )
    ArticlePageFactory(parent=sections["zh-hans"], title="认证规则")

    results = get(client, q="认证规则").context["results"]

    assert results[0]["page"].title == "认证规则"
    assert results[0]["promoted"]
    assert len(results) == 4


def test_result_shows_its_section(client, sections):
    ArticlePageFactory(parent=sections["zh-hans"], title="认证公告")

    result = get(client, q="认证").context["results"][0]

    assert result["section"].title == "栏目"


def test_snippet_marks_the_query_words(client, sections):
    ArticlePageFactory(parent=sections["zh-hans"], title="抽查通知", text="本次抽查家用电冰箱三十批次。")

    response = get(client, q="冰箱")

    assert "<mark>冰箱</mark>" in response.content.decode()


def test_documents_listed_with_file_type_and_size(client, sections):
    SiteDocumentFactory(title="绿色产品认证实施规则", file__filename="rules.pdf", file__data=b"x" * 2048)

    content = get(client, q="认证").content.decode()

    assert "绿色产品认证实施规则" in content
    assert "PDF" in content
    assert "2.0\xa0KB" in content
