"""The lookup with its Elasticsearch cluster down: code lookups answer in full from
the database, text searches say they are degraded, with counts and facets that
agree with what is shown, and no change saved meanwhile is lost."""

import io

import pytest

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from lookup.engines import indexing
from lookup.engines.base import get_engine, reset_engine
from lookup.engines.breaker import CircuitBreaker
from lookup.engines.elastic import ElasticsearchEngine
from lookup.engines.query import build_query
from lookup.tests.factories import CertificateFactory, OrganisationFactory

from .test_engine_elastic import RefreshingElasticsearchEngine

URL = "/api/v1/lookup/"
# Nothing listens here: connections are refused at once.
DOWN_URL = "http://127.0.0.1:9"

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_down(settings):
    settings.LOOKUP_ENGINE = ""
    settings.ELASTICSEARCH_URL = DOWN_URL
    settings.ELASTICSEARCH_COMPATIBILITY_HEADERS = False
    reset_engine()
    yield
    reset_engine()


@pytest.fixture
def fridge():
    return CertificateFactory(
        product_name="海川变频节能家用电冰箱",
        client=OrganisationFactory(name_zh="青岛海川建材股份有限公司", region_code="370200"),
    )


def test_text_search_answers_degraded_with_nothing_counted(client, server_down, fridge):
    answer = client.get(URL, {"q": "冰箱", "lang": "en"}).json()
    assert answer["degraded"] is True
    assert "unavailable" in answer["message"]
    assert answer["count"] == 0
    assert answer["results"] == []
    assert answer["facets"] == {"category": [], "status": [], "body": [], "region": []}


def test_browsing_by_filters_answers_degraded_too(client, server_down, fridge):
    answer = client.get(URL, {"status": "valid", "lang": "en"}).json()
    assert answer["degraded"] is True
    assert answer["count"] == 0


def test_code_lookup_answers_in_full_with_facets_that_count_its_results(client, server_down, fridge):
    answer = client.get(URL, {"q": fridge.client.uscc, "lang": "en"}).json()
    assert answer["degraded"] is False
    assert answer["message"] == ""
    assert [result["number"] for result in answer["results"]] == [fridge.number]
    assert answer["facets"]["status"] == [{"value": "valid", "count": 1}]
    assert answer["facets"]["region"] == [{"value": "370000", "count": 1}]
    assert answer["facets"]["category"] == [{"value": fridge.category.code, "count": 1}]


def test_unknown_code_is_still_a_404(client, server_down, fridge):
    unknown = fridge.number[:-6] + ("000000" if fridge.number[-6:] != "000000" else "000001")
    response = client.get(URL, {"q": unknown, "lang": "en"})
    assert response.status_code == 404


def test_lookup_page_says_the_text_search_is_incomplete(client, server_down, fridge):
    with translation.override("en"):
        url = reverse("lookup-home")
    response = client.get(url, {"q": "冰箱"})
    assert response.status_code == 200
    assert "may be incomplete" in response.content.decode()


@pytest.mark.elasticsearch
def test_change_saved_while_the_server_was_down_is_indexed_once_it_is_back(osmem_url, settings, fridge):
    settings.ELASTICSEARCH_COMPATIBILITY_HEADERS = False
    indexing.pending_path().unlink(missing_ok=True)
    down = ElasticsearchEngine(DOWN_URL, index_prefix="test", breaker=CircuitBreaker(), compatibility_headers=False)
    back = RefreshingElasticsearchEngine(url=osmem_url, index_prefix="test", compatibility_headers=False)
    try:
        assert indexing.flush({fridge.number}, engine=down) is False
        assert indexing.read_pending() == {fridge.number}
        lamp = CertificateFactory(product_name="节能荧光灯")
        assert indexing.flush({lamp.number}, engine=back) is True
        assert indexing.read_pending() == set()
        assert back.search(build_query("冰箱")).numbers == [fridge.number]
        assert back.search(build_query("荧光灯")).numbers == [lamp.number]
    finally:
        indexing.pending_path().unlink(missing_ok=True)


@pytest.mark.elasticsearch
def test_pending_certificates_are_indexed_by_the_command_once_the_server_is_back(osmem_url, settings, fridge):
    settings.ELASTICSEARCH_COMPATIBILITY_HEADERS = False
    settings.ELASTICSEARCH_INDEX_PREFIX = "test"
    settings.LOOKUP_ENGINE = "lookup.tests.test_engine_elastic.RefreshingElasticsearchEngine"
    indexing.pending_path().unlink(missing_ok=True)
    indexing.write_pending({fridge.number})
    try:
        settings.ELASTICSEARCH_URL = DOWN_URL
        reset_engine()
        with pytest.raises(CommandError, match="1 certificates stay pending"):
            call_command("rebuild_lookup_index", "--pending")
        assert indexing.read_pending() == {fridge.number}
        settings.ELASTICSEARCH_URL = osmem_url
        reset_engine()
        output = io.StringIO()
        call_command("rebuild_lookup_index", "--pending", stdout=output)
        assert "Indexed 1 pending certificates" in output.getvalue()
        assert indexing.read_pending() == set()
        assert get_engine().search(build_query("冰箱")).numbers == [fridge.number]
    finally:
        indexing.pending_path().unlink(missing_ok=True)
        reset_engine()
