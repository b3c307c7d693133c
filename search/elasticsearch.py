"""Wagtail's Elasticsearch 9 backend, set up for segmented Chinese text.

Two changes to the stock backend:

* **Analysis.** The stock ``standard`` analyser cuts Chinese into single characters,
  so "认证" matches every page holding "认" or "证". Pages and documents index their
  text already segmented by jieba ("绿色 产品 认证", see ``search.chinese``), and the
  site search view segments the query the same way, so the ``segmented_text``
  analyser only has to turn everything that is not a letter or a digit into a space,
  split on spaces, lower-case, and stem English words ("products" → "product"). It
  is the index's default analyser and, explicitly, the analyser of Wagtail's
  catch-all ``_all_text`` fields, which its queries run against (servers that ignore
  the index default, such as osmem, then analyse them the same way).

* **Compatibility headers.** elasticsearch-py 9 sends
  ``application/vnd.elasticsearch+json; compatible-with=9`` as Accept and Content-Type.
  Elasticsearch 9 wants that; OpenSearch-compatible servers answer 406. With the
  backend parameter ``COMPATIBILITY_HEADERS`` set to ``False`` (environment variable
  ``ELASTICSEARCH_COMPATIBILITY_HEADERS=0``) the client is given
  ``PlainJsonTransport``, which sends plain ``application/json`` instead, through the
  client's public ``transport_class`` option.
"""

import re
from copy import deepcopy

from elastic_transport import Transport
from modelsearch.utils import deep_update

from wagtail.search.backends.elasticsearch9 import Elasticsearch9Mapping, Elasticsearch9SearchBackend

COMPATIBLE_MEDIA_TYPE = re.compile(r"application/vnd\.elasticsearch\+([\w.-]+)\s*;\s*compatible-with=\d+")

SEGMENTED_TEXT_ANALYZER = "segmented_text"
_segmented_text = {
    "type": "custom",
    # A pattern_replace character filter and the whitespace tokeniser rather than the
    # pattern tokeniser: same result, and osmem's pattern tokeniser keeps the
    # separators instead of the words when it indexes.
    "char_filter": ["non_word_to_space"],
    "tokenizer": "whitespace",
    "filter": ["lowercase", "english_stemmer"],
}
SEGMENTED_TEXT_ANALYSIS = {
    "settings": {
        "analysis": {
            "char_filter": {
                "non_word_to_space": {"type": "pattern_replace", "pattern": r"[^\p{L}\p{N}]+", "replacement": " "},
            },
            "filter": {
                "english_stemmer": {"type": "stemmer", "language": "english"},
            },
            "analyzer": {
                SEGMENTED_TEXT_ANALYZER: _segmented_text,
                "default": _segmented_text,
            },
        }
    }
}


def plain_media_type(value):
    """``application/vnd.elasticsearch+json; compatible-with=9`` → ``application/json``."""
    return COMPATIBLE_MEDIA_TYPE.sub(r"application/\1", value)


class PlainJsonTransport(Transport):
    """A transport that sends plain ``application/json`` (and ``x-ndjson``) media types
    where elasticsearch-py asks for versioned compatibility ones."""

    def perform_request(self, method, target, *, headers=None, **kwargs):
        if headers:
            headers = {name: plain_media_type(value) for name, value in headers.items()}
        return super().perform_request(method, target, headers=headers, **kwargs)


class SegmentedTextMapping(Elasticsearch9Mapping):
    """Wagtail's mapping with ``segmented_text`` set on the catch-all fields."""

    def get_mapping(self):
        mapping = super().get_mapping()
        for name, field in mapping["properties"].items():
            if name == "_all_text" or name.startswith("_all_text_boost_"):
                field["analyzer"] = SEGMENTED_TEXT_ANALYZER
        return mapping


class SegmentedElasticsearchBackend(Elasticsearch9SearchBackend):
    """Wagtail's Elasticsearch 9 backend with the segmented-text analyser.

    Extra parameter: ``COMPATIBILITY_HEADERS`` (default ``True``); ``False`` for
    servers that reject elasticsearch-py's versioned media types.
    """

    mapping_class = SegmentedTextMapping
    settings = deep_update(deepcopy(Elasticsearch9SearchBackend.settings), SEGMENTED_TEXT_ANALYSIS)

    def __init__(self, params):
        params = dict(params)
        if not params.pop("COMPATIBILITY_HEADERS", True):
            params["OPTIONS"] = {**params.get("OPTIONS", {}), "transport_class": PlainJsonTransport}
        super().__init__(params)


SearchBackend = SegmentedElasticsearchBackend
