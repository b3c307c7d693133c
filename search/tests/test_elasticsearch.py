import pytest

from cms.models import SiteDocument
from search.elasticsearch import PlainJsonTransport, SegmentedElasticsearchBackend, plain_media_type


@pytest.mark.parametrize(
    ("versioned", "plain"),
    [
        ("application/vnd.elasticsearch+json; compatible-with=9", "application/json"),
        ("application/vnd.elasticsearch+x-ndjson; compatible-with=9", "application/x-ndjson"),
        ("application/json", "application/json"),
    ],
)
def test_plain_media_type_drops_the_compatibility_version(versioned, plain):
    assert plain_media_type(versioned) == plain


def backend(**params):
    return SegmentedElasticsearchBackend({"URLS": ["http://127.0.0.1:9200"], **params})


def test_compatibility_headers_off_gives_the_client_the_plain_json_transport():
    assert isinstance(backend(COMPATIBILITY_HEADERS=False).es.transport, PlainJsonTransport)


def test_compatibility_headers_on_by_default():
    assert not isinstance(backend().es.transport, PlainJsonTransport)


def test_catch_all_fields_use_the_segmented_text_analyser():
    properties = backend().mapping_class(SiteDocument).get_mapping()["properties"]

    catch_all = {name: field for name, field in properties.items() if name.startswith("_all_text")}
    assert len(catch_all) > 1
    assert {field["analyzer"] for field in catch_all.values()} == {"segmented_text"}
