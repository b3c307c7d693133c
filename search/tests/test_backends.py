"""What site search promises, run against every search backend.

``SiteSearchBehaviour`` holds the tests; each ``Test…Backend`` class below supplies a
``search_backend`` fixture that configures one backend, as Wagtail's own
``wagtail/search/tests/test_backends.py`` runs one ``BackendTests`` mixin per backend.
The database class runs on whichever database the suite runs on (SQLite's FTS5 or
PostgreSQL). The Elasticsearch classes talk HTTP to an osmem server started by the
suite and, when ``ELASTICSEARCH_URL`` is set, to that cluster; a server that cannot be
reached fails the tests.
"""

import os
import uuid
from io import StringIO

import pytest

from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail.search.backends import get_search_backend

from search.site_search import SiteSearch, site_backend_name
from search.tests.factories import ArticlePageFactory, SiteDocumentFactory, build_site

DATABASE_BACKEND = {"BACKEND": "wagtail.search.backends.database"}


def refresh():
    get_search_backend(site_backend_name()).refresh_indexes()


def page_titles(text, language="zh-hans"):
    refresh()
    with translation.override(language):
        return [page.title for page in SiteSearch.for_query(text).pages()]


def document_titles(text):
    refresh()
    return [document.title for document in SiteSearch.for_query(text).documents()]


@pytest.mark.django_db
class SiteSearchBehaviour:
    """Tests every backend must pass. ``stems_english``: whether "product" finds
    "products" on this backend."""

    stems_english = True

    @pytest.fixture
    def sections(self, search_backend):
        return build_site()

    @pytest.mark.parametrize("word", ["认证", "规则", "绿色产品"])
    def test_chinese_title_found_by_a_word_inside_it(self, sections, word):
        ArticlePageFactory(parent=sections["zh-hans"], title="绿色产品认证实施规则")
        ArticlePageFactory(parent=sections["zh-hans"], title="市场监管动态")

        assert page_titles(word) == ["绿色产品认证实施规则"]

    def test_body_word_found_inside_a_longer_word(self, sections):
        ArticlePageFactory(parent=sections["zh-hans"], title="抽查通知", text="本次抽查家用电冰箱三十批次。")
        ArticlePageFactory(parent=sections["zh-hans"], title="其他通知", text="本次抽查洗衣机二十批次。")

        assert page_titles("冰箱") == ["抽查通知"]

    def test_characters_of_a_word_found_apart_do_not_match(self, sections):
        ArticlePageFactory(parent=sections["zh-hans"], title="绿色产品认证实施规则")
        ArticlePageFactory(parent=sections["zh-hans"], title="认识证书的防伪特征")

        assert page_titles("认证") == ["绿色产品认证实施规则"]

    def test_pinyin_of_a_chinese_word_finds_it(self, sections):
        ArticlePageFactory(parent=sections["zh-hans"], title="绿色产品认证实施规则")
        ArticlePageFactory(parent=sections["zh-hans"], title="市场监管动态")

        assert page_titles("renzheng") == ["绿色产品认证实施规则"]

    def test_every_query_word_must_match(self, sections):
        ArticlePageFactory(parent=sections["zh-hans"], title="绿色产品认证实施规则")
        ArticlePageFactory(parent=sections["zh-hans"], title="绿色建材评价")

        assert page_titles("绿色 规则") == ["绿色产品认证实施规则"]

    def test_english_words_match(self, sections):
        ArticlePageFactory(parent=sections["en"], title="Green product certification rules")
        ArticlePageFactory(parent=sections["en"], title="Market supervision news")

        assert page_titles("certification rules", language="en") == ["Green product certification rules"]

    def test_english_plural_finds_singular_where_the_backend_stems(self, sections):
        ArticlePageFactory(parent=sections["en"], title="Product catalogue", text="One certified product.")

        expected = ["Product catalogue"] if self.stems_english else []
        assert page_titles("products", language="en") == expected

    def test_results_limited_to_the_current_language(self, sections):
        ArticlePageFactory(parent=sections["zh-hans"], title="CGPC 绿色产品认证")
        ArticlePageFactory(parent=sections["en"], title="CGPC green product certification")

        assert page_titles("CGPC", language="zh-hans") == ["CGPC 绿色产品认证"]
        assert page_titles("CGPC", language="en") == ["CGPC green product certification"]

    def test_draft_and_private_pages_not_found(self, sections):
        ArticlePageFactory(parent=sections["zh-hans"], title="认证规则草稿", live=False)
        private = ArticlePageFactory(parent=sections["zh-hans"], title="认证规则内部")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

        assert page_titles("认证") == []

    def test_document_found_by_a_chinese_word_in_its_title(self, search_backend):
        SiteDocumentFactory(title="绿色产品认证实施规则 家用电器")
        SiteDocumentFactory(title="年度工作报告")

        assert document_titles("规则") == ["绿色产品认证实施规则 家用电器"]

    def test_document_in_a_restricted_collection_not_found(self, search_backend):
        internal = Collection.get_first_root_node().add_child(name="内部")
        CollectionViewRestriction.objects.create(collection=internal, restriction_type="login")
        SiteDocumentFactory(title="认证规则 公开")
        SiteDocumentFactory(title="认证规则 内部", collection=internal)

        assert document_titles("认证") == ["认证规则 公开"]

    def test_results_paginated(self, client, sections):
        for number in range(12):
            ArticlePageFactory(parent=sections["zh-hans"], title=f"认证公告第{number}号")
        refresh()

        with translation.override("zh-hans"):
            response = client.get(reverse("search:search"), {"q": "公告", "page": 2})

        assert response.status_code == 200
        assert len(response.context["results"]) == 2
        assert response.context["result_count"] == 12

    def test_update_index_indexes_segmented_text(self, sections):
        ArticlePageFactory(parent=sections["zh-hans"], title="绿色产品认证实施规则")

        call_command("update_index", stdout=StringIO())

        assert page_titles("认证") == ["绿色产品认证实施规则"]


class TestDatabaseBackend(SiteSearchBehaviour):
    @property
    def stems_english(self):
        # PostgreSQL's default text search configuration is English; SQLite's FTS5
        # tokeniser does not stem.
        return connection.vendor == "postgresql"

    @pytest.fixture
    def search_backend(self, settings):
        settings.WAGTAILSEARCH_BACKENDS = {"default": DATABASE_BACKEND}


def elasticsearch_backends(url, prefix, compatibility_headers):
    return {
        "default": DATABASE_BACKEND,
        "site": {
            "BACKEND": "search.elasticsearch",
            "URLS": [url],
            "INDEX_PREFIX": prefix,
            "TIMEOUT": 10,
            "COMPATIBILITY_HEADERS": compatibility_headers,
        },
    }


@pytest.mark.elasticsearch
class TestOsmemBackend(SiteSearchBehaviour):
    """An in-memory OpenSearch-compatible server, one clone per test."""

    @pytest.fixture
    def search_backend(self, settings, osmem_url):
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(osmem_url, "test-", compatibility_headers=False)
        call_command("update_index", backend_name="site", stdout=StringIO())


@pytest.mark.elasticsearch
class TestElasticsearchClusterBackend(SiteSearchBehaviour):
    """The cluster at ELASTICSEARCH_URL, in indices of its own that are removed after."""

    @pytest.fixture
    def search_backend(self, settings):
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("ELASTICSEARCH_URL is not set")
        prefix = f"test-{uuid.uuid4().hex[:12]}-"
        compatibility_headers = os.environ.get("ELASTICSEARCH_COMPATIBILITY_HEADERS", "1").lower() in {
            "1",
            "true",
            "yes",
            "on",
        }
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(url, prefix, compatibility_headers)
        call_command("update_index", backend_name="site", stdout=StringIO())
        yield
        get_search_backend("site").es.indices.delete(index=f"{prefix}*", expand_wildcards="all")
