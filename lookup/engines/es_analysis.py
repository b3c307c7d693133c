"""Analysis settings of the Elasticsearch lookup index.

Every text field names its analyser explicitly: some Elasticsearch-compatible servers
(osmem, used by the tests) ignore an index's default analyser. Only analysis that a
stock cluster ships is used, so the index works without plugins:

``segmented_text``
    For text segmented in Python by jieba (``search.chinese.segment``) with the
    pinyin of its Chinese words appended: non-word characters become spaces, then
    whitespace split, lower case, English stemming ("refrigerators" → "refriger").
    Built from a ``pattern_replace`` character filter and the ``whitespace``
    tokeniser because osmem's ``pattern`` tokeniser misbehaves inside custom
    analysers.
``cjk_bigrams``
    The ``standard`` tokeniser and ``cjk_bigram``: "家用电冰箱" indexes "家用 用电
    电冰 冰箱", so a phrase query for any run of two or more characters found inside
    a longer name matches it ("海川建材" in "青岛海川建材股份有限公司").
``chinese_words``
    A real Chinese word segmenter when the cluster has one: IK (``ik_max_word``) or
    smartcn, detected at index creation (:func:`detect_chinese_plugin`); otherwise
    the same bigrams as ``cjk_bigrams``.
``english``
    Standard tokeniser, lower case, English stemmer, for English names.
``model_number``, ``model_prefix``
    A model number with case and separators folded away ("BCD-470W" → "bcd470w"),
    whole and as edge n-grams for partial model numbers.
``autocomplete``, ``autocomplete_search``
    Edge n-grams (up to :data:`AUTOCOMPLETE_MAX_PREFIX` characters) of each
    autocomplete key (:func:`lookup.engines.analysis.suggestion_keys`: a folded
    suggestion, its tail from each later word on, a model number without
    separators), kept whole; the query side keeps the typed prefix whole too.
``python_tokens``
    Text already analysed in Python (:func:`lookup.engines.analysis.analyse_document`,
    the analysis the embedded engine uses too), split on whitespace and nothing else.

The ``code`` normaliser folds certificate numbers, trace codes and USCCs the way
``lookup.codes.normalise`` does for the ASCII cases; queries still pass codes through
``normalise`` first, since not every server applies normalisers to query terms.
"""

import copy
import logging

logger = logging.getLogger(__name__)

SEGMENTED_TEXT = "segmented_text"
CJK_BIGRAMS = "cjk_bigrams"
CHINESE_WORDS = "chinese_words"
ENGLISH = "english_text"
MODEL_NUMBER = "model_number"
MODEL_PREFIX = "model_prefix"
AUTOCOMPLETE = "autocomplete"
AUTOCOMPLETE_SEARCH = "autocomplete_search"
PYTHON_TOKENS = "python_tokens"
CODE_NORMALIZER = "code"
AUTOCOMPLETE_MAX_PREFIX = 30

IK_PLUGIN = "analysis-ik"
SMARTCN_PLUGIN = "analysis-smartcn"

_cjk_bigrams = {"type": "custom", "tokenizer": "standard", "filter": ["cjk_width", "lowercase", "cjk_bigram"]}

CHINESE_ANALYZERS = {
    IK_PLUGIN: {"type": "custom", "tokenizer": "ik_max_word", "filter": ["lowercase"]},
    SMARTCN_PLUGIN: {"type": "custom", "tokenizer": "smartcn_tokenizer", "filter": ["lowercase"]},
    None: _cjk_bigrams,
}

ANALYSIS = {
    "char_filter": {
        "non_word_to_space": {"type": "pattern_replace", "pattern": r"[^\p{L}\p{N}]+", "replacement": " "},
        "drop_separators": {"type": "pattern_replace", "pattern": r"[\s\-_./·]+", "replacement": ""},
    },
    "normalizer": {
        CODE_NORMALIZER: {"type": "custom", "char_filter": ["drop_separators"], "filter": ["uppercase"]},
    },
    "filter": {
        "english_stemmer": {"type": "stemmer", "language": "english"},
        "word_edge_ngrams": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
        "key_edge_ngrams": {"type": "edge_ngram", "min_gram": 1, "max_gram": AUTOCOMPLETE_MAX_PREFIX},
    },
    "analyzer": {
        SEGMENTED_TEXT: {
            "type": "custom",
            "char_filter": ["non_word_to_space"],
            "tokenizer": "whitespace",
            "filter": ["lowercase", "english_stemmer"],
        },
        PYTHON_TOKENS: {"type": "custom", "tokenizer": "whitespace", "filter": []},
        CJK_BIGRAMS: _cjk_bigrams,
        ENGLISH: {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "english_stemmer"]},
        MODEL_NUMBER: {
            "type": "custom",
            "char_filter": ["drop_separators"],
            "tokenizer": "keyword",
            "filter": ["cjk_width", "lowercase"],
        },
        MODEL_PREFIX: {
            "type": "custom",
            "char_filter": ["drop_separators"],
            "tokenizer": "keyword",
            "filter": ["cjk_width", "lowercase", "word_edge_ngrams"],
        },
        AUTOCOMPLETE: {"type": "custom", "tokenizer": "keyword", "filter": ["lowercase", "key_edge_ngrams"]},
        AUTOCOMPLETE_SEARCH: {"type": "custom", "tokenizer": "keyword", "filter": ["lowercase"]},
    },
}


def analysis_settings(chinese_plugin=None):
    """The ``analysis`` section of the index settings; ``chinese_plugin`` is the
    plugin :func:`detect_chinese_plugin` found, or None."""
    analysis = copy.deepcopy(ANALYSIS)
    analysis["analyzer"][CHINESE_WORDS] = copy.deepcopy(CHINESE_ANALYZERS[chinese_plugin])
    return analysis


def index_settings(chinese_plugin=None, *, shards=1, replicas=None):
    settings = {"number_of_shards": shards, "analysis": analysis_settings(chinese_plugin)}
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    return settings


def detect_chinese_plugin(client):
    """``analysis-ik`` or ``analysis-smartcn`` when every node of the cluster has it
    installed, else None (servers that do not list plugins count as having none)."""
    try:
        nodes = client.nodes.info(metric="plugins").body.get("nodes", {})
    except Exception:  # a server without the nodes API has no plugins
        logger.info("could not list the search server's plugins; using bigram analysis for Chinese")
        return None
    installed = None
    for node in nodes.values():
        names = {plugin.get("name") for plugin in node.get("plugins", [])}
        installed = names if installed is None else installed & names
    for plugin in (IK_PLUGIN, SMARTCN_PLUGIN):
        if installed and plugin in installed:
            return plugin
    return None
