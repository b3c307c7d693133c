"""The Elasticsearch document of a certificate (django-elasticsearch-dsl).

The document holds :func:`lookup.engines.base.certificate_document`, the flat record
both lookup engines index, and three kinds of search fields:

* ``analysed.*``: the token columns of :func:`lookup.engines.analysis.analyse_document`,
  the Python analysis the embedded engine uses too (Chinese bigrams and jieba words,
  pinyin, stemmed English, folded model numbers), split on whitespace only. Queries
  match them term by term, so both engines agree on what matches.
* the names themselves, analysed by the cluster: Chinese bigrams (``cjk_bigram``), a
  Chinese word segmenter when the cluster has one (``.words``), stemmed English. They
  add typo tolerance and highlighting.
* ``suggest`` (edge n-grams of the autocomplete keys) and ``suggestions`` (the texts
  offered, as keywords) for autocomplete.

Analysers are in :mod:`lookup.engines.es_analysis`. The index named here is the alias
searches go through; :class:`lookup.engines.elastic.ElasticsearchEngine` creates the
concrete indices behind it and swaps them on rebuild. Autosync is off: indexing is
queued on commit by :mod:`lookup.engines.indexing`.
"""

from django_elasticsearch_dsl import Document, fields
from django_elasticsearch_dsl.registries import registry

from lookup.engines import es_analysis as analysers
from lookup.engines.analysis import TEXT_COLUMNS, analyse_document, suggestion_keys, suggestion_texts
from lookup.engines.base import certificate_document
from lookup.models import Certificate

LOOKUP_INDEX = "lookup-certificates"


def chinese_name(**extra):
    """A Chinese (or mixed) name: bigrams, the cluster's word segmenter, the value."""
    return fields.TextField(
        analyzer=analysers.CJK_BIGRAMS,
        fields={
            "words": fields.TextField(analyzer=analysers.CHINESE_WORDS),
            "raw": fields.KeywordField(ignore_above=256),
        },
        **extra,
    )


def english_name():
    return fields.TextField(analyzer=analysers.ENGLISH, fields={"raw": fields.KeywordField(ignore_above=256)})


def code():
    return fields.KeywordField(normalizer=analysers.CODE_NORMALIZER)


@registry.register_document
class CertificateDocument(Document):
    number = code()
    status = fields.KeywordField()
    issued_on = fields.DateField()
    expires_on = fields.DateField()
    updated_at = fields.DateField()
    product_name = chinese_name()
    product_name_en = english_name()
    brand = chinese_name()
    models = fields.TextField(
        analyzer=analysers.MODEL_NUMBER,
        fields={
            "prefix": fields.TextField(analyzer=analysers.MODEL_PREFIX, search_analyzer=analysers.MODEL_NUMBER),
            "raw": fields.KeywordField(ignore_above=256),
        },
    )
    category = fields.KeywordField()
    category_name = chinese_name()
    category_name_en = english_name()
    group = fields.KeywordField()
    body = fields.KeywordField()
    region = fields.KeywordField()
    province = fields.KeywordField()
    energy_saving_kwh_per_year = fields.DoubleField()
    client_name = chinese_name()
    client_name_en = english_name()
    client_uscc = code()
    producer_name = chinese_name()
    producer_name_en = english_name()
    producer_uscc = code()
    manufacturer_name = chinese_name()
    manufacturer_name_en = english_name()
    manufacturer_uscc = code()
    usccs = code()
    analysed = fields.ObjectField(
        properties={column: fields.TextField(analyzer=analysers.PYTHON_TOKENS) for column in TEXT_COLUMNS}
    )
    suggest = fields.TextField(analyzer=analysers.AUTOCOMPLETE, search_analyzer=analysers.AUTOCOMPLETE_SEARCH)
    suggestions = fields.KeywordField(ignore_above=512)

    class Index:
        name = LOOKUP_INDEX

    class Django:
        model = Certificate
        # Indexing is queued on commit by lookup.engines.indexing, never on save.
        ignore_signals = True
        auto_refresh = False
        queryset_pagination = 500

    def get_queryset(self):
        from lookup.engines.base import indexable_certificates

        return indexable_certificates()

    def prepare(self, instance):
        return self.prepare_document(certificate_document(instance))

    @classmethod
    def prepare_document(cls, document):
        """The indexed source for a :func:`certificate_document` dict."""
        source = dict(document)
        if not source.get("updated_at"):
            source["updated_at"] = None
        source["analysed"] = {column: " ".join(tokens) for column, tokens in analyse_document(document).items()}
        suggestions = suggestion_texts(document)
        source["suggest"] = list(dict.fromkeys(key for text in suggestions for key in suggestion_keys(text)))
        source["suggestions"] = suggestions
        return source

    @classmethod
    def mapping(cls):
        """The index mapping. Fields of the document that the mapping does not name
        are kept in ``_source`` but not indexed (``dynamic: false``), so a field
        added to :func:`certificate_document` never makes indexing fail."""
        mapping = cls._doc_type.mapping.to_dict()
        mapping["dynamic"] = False
        return mapping


__all__ = ["LOOKUP_INDEX", "CertificateDocument"]
