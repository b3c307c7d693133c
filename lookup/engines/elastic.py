"""The Elasticsearch lookup engine.

Documents are :class:`lookup.documents.CertificateDocument` (django-elasticsearch-dsl),
with the analysis of :mod:`lookup.engines.es_analysis`. Searches and writes go
through an alias, ``<ELASTICSEARCH_INDEX_PREFIX>-lookup-certificates``;
:meth:`ElasticsearchEngine.rebuild` fills a new index beside the live one and swaps
the alias in one atomic request, so searches never go offline. Writes made while a
rebuild runs go to both indices (the new one is reachable through a second alias,
``…-building``), and certificates changed since the rebuild began are indexed again
before the swap.

Queries are built by :class:`CertificateQuery`, whose :meth:`~CertificateQuery.to_dict`
gives the request bodies. Matching follows the Python analysis shared with the
embedded engine (every query term must match one of the ``analysed.*`` token
columns); the cluster's own analysis of the names (Chinese bigrams, a Chinese word
segmenter when there is one, stemmed English) only adds to the score. Valid
certificates come first without a script: one request asks for the page among the
valid matches (a ``post_filter``, so the facet aggregations still count every
match), and when the page runs past them a second request reads on among the rest.

Every request goes through a circuit breaker (:mod:`lookup.engines.breaker`) with
the short timeout of ``ELASTICSEARCH_TIMEOUT``. When the cluster is down (or the
index has not been built yet), code lookups answer from the database and text
searches come back empty with ``SearchResults.degraded`` set. Writes raise
:class:`~lookup.engines.base.EngineUnavailable`, which :mod:`lookup.engines.indexing`
turns into a pending change for the next flush or rebuild.
"""

import logging
import time
from datetime import date, timedelta
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import bulk

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from lookup.codes import CodeKind
from lookup.documents import LOOKUP_INDEX, CertificateDocument

from . import es_analysis
from .analysis import (
    COLUMN_WEIGHTS,
    HAN_COLUMNS,
    LATIN_COLUMNS,
    fold,
    fold_model,
    highlight_document,
    matches_as_prefix,
    suggestion_keys,
    typo_distance_allowed,
)
from .base import (
    EngineHealth,
    EngineUnavailable,
    Hit,
    LookupEngine,
    SearchResults,
    certificate_document,
    indexable_certificates,
)
from .breaker import CircuitOpenError, breaker_for

logger = logging.getLogger(__name__)

# Documents per bulk request (and certificates read from the database at a time),
# and a cap on a request's size: a document with its analysed columns is 3-6 KB.
BATCH_SIZE = 500
BULK_MAX_BYTES = 10 * 1024 * 1024
CODE_LOOKUP_LIMIT = 1000
FACET_SIZE = 500
TYPO_VOCABULARY_COLUMNS = ("product_latin", "brand_latin", "company_latin", "category_latin", "pinyin")
# Scores from the cluster's own analysis of the names, added to those of the token
# columns; they rank, they never decide what matches.
NATIVE_SCORING_FIELDS = (
    "product_name.words",
    "brand.words",
    "client_name.words",
    "product_name_en",
    "brand",
    "client_name_en",
)
REBUILD_CATCH_UP_MARGIN = timedelta(seconds=5)
# Consecutive server failures that open the circuit breaker, and how long it stays
# open before one request may try the server again.
BREAKER_FAILURES = 3
BREAKER_RESET_SECONDS = 30.0
# Bulk writes and index administration (``self.writer``) may take longer than a
# search; they run in commands and after commit, not while a reader waits. Reads
# keep the short ELASTICSEARCH_TIMEOUT.
WRITE_TIMEOUT_SECONDS = 60.0


def column(name):
    return f"analysed.{name}"


def _date(value):
    return value.isoformat() if isinstance(value, date) else value


# --- queries --------------------------------------------------------------------------


def effective_status_filter(status, today):
    """The clause for certificates whose status on ``today`` is ``status``: a valid
    certificate past ``expires_on`` is expired."""
    today = _date(today)
    if status == "valid":
        return {"bool": {"filter": [{"term": {"status": "valid"}}, {"range": {"expires_on": {"gte": today}}}]}}
    if status == "expired":
        return {
            "bool": {
                "should": [
                    {"term": {"status": "expired"}},
                    {"bool": {"filter": [{"term": {"status": "valid"}}, {"range": {"expires_on": {"lt": today}}}]}},
                ],
                "minimum_should_match": 1,
            }
        }
    return {"term": {"status": status}}


def _any_column(columns, make):
    return [make(name) for name in columns]


def term_clause(term, corrections=()):
    """What one query term must match: a clause over the token columns."""
    if term.kind == "han":
        phrase = " ".join(term.phrase)

        def han_match(tokens):
            if len(tokens) == 1 and len(tokens[0]) == 1:
                return _any_column(
                    HAN_COLUMNS,
                    lambda name: {"prefix": {column(name): {"value": tokens[0], "boost": COLUMN_WEIGHTS[name]}}},
                )
            return _any_column(
                HAN_COLUMNS,
                lambda name: {
                    "match_phrase": {column(name): {"query": " ".join(tokens), "boost": COLUMN_WEIGHTS[name]}}
                },
            )

        should = han_match(phrase.split())
        if term.alternatives:
            should.append(
                {
                    "bool": {
                        "must": [
                            {"bool": {"should": han_match(list(alternative)), "minimum_should_match": 1}}
                            for alternative in term.alternatives
                        ]
                    }
                }
            )
    elif term.kind == "model":
        should = [
            {
                "prefix" if matches_as_prefix(token) else "term": {
                    column(name): {"value": token, "boost": COLUMN_WEIGHTS[name]}
                }
            }
            for token in term.tokens
            for name in LATIN_COLUMNS
        ]
    else:
        should = [
            {"terms": {column(name): list(term.tokens), "boost": COLUMN_WEIGHTS[name]}} for name in LATIN_COLUMNS
        ]
        should.extend(
            {
                "fuzzy": {
                    column(name): {
                        "value": token,
                        "fuzziness": typo_distance_allowed(token),
                        "transpositions": True,
                        "boost": COLUMN_WEIGHTS[name] / 4,
                    }
                }
            }
            for token in corrections
            for name in TYPO_VOCABULARY_COLUMNS
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


class CertificateQuery:
    """The request bodies that answer a :class:`~lookup.engines.query.LookupQuery`.

    ``numbers`` restricts the search to those certificates (a code query);
    ``corrections`` maps a query word to the spellings to try for it with typo
    tolerance (words no document holds as typed).
    """

    def __init__(self, query, *, today, numbers=None, corrections=None):
        self.query = query
        self.today = today
        self.numbers = numbers
        self.corrections = corrections or {}

    @property
    def has_text(self):
        return self.numbers is None and self.query.has_text

    def filters(self):
        query = self.query
        filters = []
        for field, values in (("category", query.categories), ("group", query.groups), ("body", query.bodies)):
            if values:
                filters.append({"terms": {field: list(values)}})
        if query.statuses:
            filters.append(
                {
                    "bool": {
                        "should": [effective_status_filter(status, self.today) for status in query.statuses],
                        "minimum_should_match": 1,
                    }
                }
            )
        if query.regions:
            filters.append(
                {
                    "bool": {
                        "should": [
                            {"term": {"province" if region.endswith("0000") else "region": region}}
                            for region in query.regions
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
        if self.numbers is not None:
            filters.append({"terms": {"number": list(self.numbers)}})
        return filters

    def text_clauses(self):
        if not self.has_text:
            return []
        return [term_clause(term, self.corrections.get(term.text, ())) for term in self.query.terms]

    def scoring_clauses(self):
        """Clauses that only rank: the cluster's own analysis of the names, and a
        model number typed whole (in pieces or not: "ye4 160m 4") above the
        certificates that only share its parts."""
        if not self.has_text:
            return []
        clauses = [
            {"multi_match": {"query": self.query.text, "fields": list(NATIVE_SCORING_FIELDS), "boost": 0.5}},
        ]
        if any(term.kind == "model" for term in self.query.terms):
            typed = fold_model(self.query.text)
            weight = COLUMN_WEIGHTS["models"]
            clauses.append({"term": {column("models"): {"value": typed, "boost": weight * 2}}})
            clauses.append({"prefix": {column("models"): {"value": typed, "boost": weight}}})
        return clauses

    def base_query(self, *extra_filters):
        must = self.text_clauses()
        body = {"filter": self.filters() + list(extra_filters)}
        if must:
            body["must"] = must
            body["should"] = self.scoring_clauses()
        return {"bool": body}

    def sort(self):
        order = [{"issued_on": {"order": "desc"}}, {"number": {"order": "asc"}}]
        return ["_score", *order] if self.has_text else order

    def valid(self):
        return effective_status_filter("valid", self.today)

    def aggregations(self):
        aggregations = {"matches": {"filter": {"match_all": {}}}}
        if self.query.facets:
            aggregations.update(
                {
                    "category": {"terms": {"field": "category", "size": FACET_SIZE}},
                    "body": {"terms": {"field": "body", "size": FACET_SIZE}},
                    "region": {"terms": {"field": "province", "size": FACET_SIZE}},
                    "status": {
                        "filters": {
                            "filters": {
                                status: effective_status_filter(status, self.today)
                                for status in ("valid", "suspended", "withdrawn", "revoked", "expired")
                            }
                        }
                    },
                }
            )
        return aggregations

    def first_request(self):
        """The page among valid matches, and the totals and facets of every match."""
        return {
            "query": self.base_query(),
            "post_filter": self.valid(),
            "from": self.query.offset,
            "size": self.query.page_size,
            "sort": self.sort(),
            "track_scores": True,
            "track_total_hits": True,
            "aggs": self.aggregations(),
            "_source": False,
        }

    def rest_request(self, valid_count, wanted):
        """The rest of the page, among matches that are not valid."""
        query = self.base_query()
        query["bool"]["must_not"] = [self.valid()]
        return {
            "query": query,
            "from": max(0, self.query.offset - valid_count),
            "size": wanted,
            "sort": self.sort(),
            "track_scores": True,
            "track_total_hits": False,
            "_source": False,
        }

    def to_dict(self):
        return {"query": self.query.to_dict(), "search": self.first_request()}


def vocabulary_request(tokens):
    """One request that says which of ``tokens`` some document holds as a word."""
    return {
        "size": 0,
        "aggs": {
            "words": {
                "filters": {
                    "filters": {
                        token: {
                            "bool": {
                                "should": [{"term": {column(name): token}} for name in TYPO_VOCABULARY_COLUMNS],
                                "minimum_should_match": 1,
                            }
                        }
                        for token in tokens
                    }
                }
            }
        },
    }


def _facet_pairs(buckets):
    pairs = [(bucket["key"], bucket["doc_count"]) for bucket in buckets if bucket["key"] and bucket["doc_count"]]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


# --- the engine -----------------------------------------------------------------------


def delete_indices(client, pattern):
    """Delete every index whose name matches ``pattern`` (``test-1a2b-*``), naming
    each one: clusters refuse wildcard deletes (``action.destructive_requires_name``,
    on by default since Elasticsearch 8). Returns the names deleted."""
    names = sorted(client.indices.get_alias(index=pattern, allow_no_indices=True).body)
    for start in range(0, len(names), 50):
        client.indices.delete(index=",".join(names[start : start + 50]))
    return names


class IndexMissing(EngineUnavailable):
    """The server answers, but the lookup index has not been built yet."""


def _server_failure(exception):
    """Whether an exception says the server is unwell (unreachable, timing out,
    overloaded, answering 5xx), as against a request it rightly refused."""
    if isinstance(exception, ApiError):
        return exception.meta.status >= 500 or exception.meta.status == 429
    return isinstance(exception, TransportError)


def without_credentials(url):
    """``url`` without a user name and password, for messages."""
    parts = urlsplit(url)
    if not parts.username and not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))


def client_options(compatibility_headers=None):
    """Keyword arguments for the Elasticsearch client, from ``ELASTICSEARCH_DSL``;
    without ``compatibility_headers`` (default: the setting
    ``ELASTICSEARCH_COMPATIBILITY_HEADERS``) the client sends plain JSON media types,
    for servers that answer 406 to elasticsearch-py's versioned ones."""
    options = dict(settings.ELASTICSEARCH_DSL.get("default", {}))
    if compatibility_headers is None:
        compatibility_headers = getattr(settings, "ELASTICSEARCH_COMPATIBILITY_HEADERS", True)
    if not compatibility_headers:
        from search.elasticsearch import PlainJsonTransport

        options["transport_class"] = PlainJsonTransport
    return options


class ElasticsearchEngine(LookupEngine):
    """The lookup engine on an Elasticsearch (or OpenSearch-compatible) cluster.

    Defaults come from the settings; tests pass ``url``, ``index_prefix``, ``client``,
    ``breaker`` or ``compatibility_headers`` of their own. ``refresh`` makes each write visible to searches
    before it returns (for tests; the cluster's refresh interval is enough otherwise).
    """

    name = "elasticsearch"

    def __init__(
        self,
        url=None,
        *,
        index_prefix=None,
        client=None,
        breaker=None,
        refresh=False,
        timeout=None,
        compatibility_headers=None,
    ):
        options = client_options(compatibility_headers)
        url = url or settings.ELASTICSEARCH_URL
        if url:
            options["hosts"] = url
        if timeout is not None:
            options["request_timeout"] = timeout
        options.setdefault("max_retries", 0)
        options.setdefault("retry_on_timeout", False)
        hosts = options.get("hosts", "")
        self.url = ",".join(map(str, hosts)) if isinstance(hosts, (list, tuple)) else str(hosts)
        self.client = client or Elasticsearch(**options)
        self.writer = self.client.options(
            request_timeout=max(WRITE_TIMEOUT_SECONDS, float(options.get("request_timeout") or 0))
        )
        prefix = settings.ELASTICSEARCH_INDEX_PREFIX if index_prefix is None else index_prefix
        self.alias = f"{prefix}-{LOOKUP_INDEX}" if prefix else LOOKUP_INDEX
        self.building_alias = f"{self.alias}-building"
        self.breaker = breaker or breaker_for(
            self.url,
            failure_threshold=BREAKER_FAILURES,
            reset_after=BREAKER_RESET_SECONDS,
            is_failure=_server_failure,
        )
        self.refresh = refresh

    # --- talking to the server --------------------------------------------------------

    def _call(self, function, *args, **kwargs):
        """Call the client through the circuit breaker; a server failure or an open
        breaker becomes :class:`EngineUnavailable`, a missing index :class:`IndexMissing`."""
        try:
            return self.breaker.call(function, *args, **kwargs)
        except CircuitOpenError as error:
            raise EngineUnavailable(str(error)) from error
        except (ApiError, TransportError) as error:
            if _server_failure(error):
                raise EngineUnavailable(f"search server failed: {error}") from error
            if isinstance(error, NotFoundError) and "index_not_found" in str(error):
                raise IndexMissing(f"the lookup index {self.alias} does not exist yet: rebuild it") from error
            raise

    def _indices_of(self, *aliases):
        """Alias → the concrete indices behind it, for the given aliases. Every index
        of this engine is named after its alias (``<alias>-…``); asking for those
        indices, rather than for the aliases, answers 200 when an alias is missing."""
        answer = self._call(self.writer.indices.get_alias, index=f"{self.alias}-*", allow_no_indices=True)
        found = {}
        for index, data in answer.body.items():
            for alias in data.get("aliases", {}):
                if alias in aliases:
                    found.setdefault(alias, []).append(index)
        return found

    def _new_index_name(self):
        return f"{self.alias}-{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{time.time_ns() % 1_000_000_000:09d}"

    def _create_index(self, name, aliases=(), loading=False):
        """Create an index with the document's mapping and analysis; ``loading``
        turns periodic refreshes off while a rebuild fills it."""
        plugin = es_analysis.detect_chinese_plugin(self.client)
        settings = es_analysis.index_settings(plugin)
        if loading:
            settings["refresh_interval"] = "-1"
        body = {"settings": settings, "mappings": CertificateDocument.mapping()}
        if aliases:
            body["aliases"] = {alias: {} for alias in aliases}
        self._call(self.writer.indices.create, index=name, **body)
        logger.info("created lookup index %s (Chinese analysis: %s)", name, plugin or "bigrams")

    def ensure_index(self):
        """Create the first index behind the alias when there is none yet."""
        if self._indices_of(self.alias).get(self.alias):
            return
        try:
            self._create_index(f"{self.alias}-initial", aliases=[self.alias])
        except ApiError as error:
            if error.meta.status != 400 or "already_exists" not in str(error):
                raise

    def _write_targets(self):
        found = self._indices_of(self.alias, self.building_alias)
        if not found.get(self.alias):
            self.ensure_index()
            found = self._indices_of(self.alias, self.building_alias)
        targets = list(dict.fromkeys(found.get(self.alias, []) + found.get(self.building_alias, [])))
        if not found.get(self.alias):
            # Never write to the bare alias name: the server would make an index of
            # that name with guessed mappings.
            raise IndexMissing(f"no index behind {self.alias}: rebuild it")
        return targets

    def _bulk(self, actions, refresh=None):
        """Send ``actions`` in chunks; every chunk is sent even when one has errors.
        Deleting a document that is not there is no error; any other refused action
        raises :class:`EngineUnavailable` once all are sent."""
        refresh = self.refresh if refresh is None else refresh
        _done, errors = self._call(
            bulk,
            self.writer,
            actions,
            chunk_size=BATCH_SIZE,
            max_chunk_bytes=BULK_MAX_BYTES,
            # Not "wait_for": an index being rebuilt has periodic refreshes off, and
            # would keep the request waiting.
            refresh=bool(refresh),
            raise_on_error=False,
        )
        failed = [item for item in errors if item.get("delete", {}).get("status") != 404]
        if failed:
            raise EngineUnavailable(f"lookup index refused {len(failed)} document(s): {failed[:3]}")

    def _index_actions(self, certificates, indices):
        for certificate in certificates:
            source = CertificateDocument.prepare_document(certificate_document(certificate))
            for index in indices:
                yield {"_op_type": "index", "_index": index, "_id": certificate.number, "_source": source}

    # --- writes --------------------------------------------------------------------------

    def index(self, certificates):
        certificates = list(certificates)
        if not certificates:
            return
        self._bulk(self._index_actions(certificates, self._write_targets()))

    def remove(self, numbers):
        numbers = list(dict.fromkeys(numbers))
        if not numbers:
            return
        indices = self._write_targets()
        self._bulk({"_op_type": "delete", "_index": index, "_id": number} for number in numbers for index in indices)

    def clear(self):
        from lookup.models import Certificate

        self.rebuild(Certificate.objects.none())

    def rebuild(self, queryset=None, progress=None):
        from lookup.models import Certificate

        queryset = Certificate.objects.all() if queryset is None else queryset
        started_at = timezone.now() - REBUILD_CATCH_UP_MARGIN
        total = queryset.count()
        new_index = self._new_index_name()
        self._create_index(new_index, aliases=[self.building_alias], loading=True)
        try:
            # An index still behind the building alias is left from a rebuild that
            # did not finish.
            abandoned = self._remove_alias_elsewhere(self.building_alias, keep=new_index)
            done = 0
            if progress:
                progress(0, total)
            batch = []
            for certificate in indexable_certificates(queryset).iterator(chunk_size=BATCH_SIZE):
                batch.append(certificate)
                if len(batch) >= BATCH_SIZE:
                    self._bulk(self._index_actions(batch, [new_index]), refresh=False)
                    done += len(batch)
                    batch = []
                    if progress:
                        progress(done, total)
            if batch:
                self._bulk(self._index_actions(batch, [new_index]), refresh=False)
                done += len(batch)
                if progress:
                    progress(done, total)
            # Changes committed while the rebuild read the database may have missed
            # both the batch they belonged to and the building alias.
            changed = list(indexable_certificates(queryset.filter(updated_at__gte=started_at)))
            if changed:
                self._bulk(self._index_actions(changed, [new_index]), refresh=False)
            self._call(
                self.writer.indices.put_settings, index=new_index, settings={"index": {"refresh_interval": None}}
            )
            self._call(self.writer.indices.refresh, index=new_index)
            old = self._swap(new_index)
        except BaseException:
            self._delete_indices([new_index])
            raise
        self._delete_indices([*old, *abandoned])
        count = self._call(self.writer.count, index=new_index).body["count"]
        logger.info("lookup index rebuilt: %s documents in %s", count, new_index)
        return count

    def _remove_alias_elsewhere(self, alias, keep):
        others = [index for index in self._indices_of(alias).get(alias, []) if index != keep]
        if others:
            self._call(
                self.writer.indices.update_aliases,
                actions=[{"remove": {"index": index, "alias": alias}} for index in others],
            )
        return others

    def _swap(self, new_index):
        """Point the alias at ``new_index`` alone, in one request; return the indices
        it pointed at before."""
        old = [index for index in self._indices_of(self.alias).get(self.alias, []) if index != new_index]
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        actions.append({"remove": {"index": new_index, "alias": self.building_alias}})
        self._call(self.writer.indices.update_aliases, actions=actions)
        return old

    def drop(self):
        """Delete every index of this engine (``<alias>-…``, and with them its
        aliases): for tests and benchmarks that clean up after themselves."""
        return self._call(delete_indices, self.writer, f"{self.alias}-*")

    def _delete_indices(self, names):
        for name in names:
            try:
                self._call(self.writer.indices.delete, index=name)
            except (NotFoundError, EngineUnavailable):
                logger.warning("could not delete old lookup index %s", name)

    # --- reads ---------------------------------------------------------------------------

    def count(self):
        try:
            return self._call(self.client.count, index=self.alias).body["count"]
        except IndexMissing:
            return 0

    def health(self):
        try:
            documents = self._call(self.client.count, index=self.alias).body["count"]
        except EngineUnavailable as error:
            return EngineHealth(ok=False, engine=self.name, detail=str(error))
        return EngineHealth(
            ok=True, engine=self.name, documents=documents, detail=f"{self.alias} at {without_credentials(self.url)}"
        )

    def lookup_indexed_code(self, parsed_code):
        field = "number" if parsed_code.kind is CodeKind.CERTIFICATE else "usccs"
        try:
            answer = self._call(
                self.client.search,
                index=self.alias,
                query={"term": {field: parsed_code.value}},
                size=CODE_LOOKUP_LIMIT,
                sort=[{"number": {"order": "asc"}}],
                _source=False,
            )
        except EngineUnavailable:
            return database_code_numbers(parsed_code)
        return [hit["_id"] for hit in answer.body["hits"]["hits"]]

    def search(self, query):
        today = self.today(query)
        numbers = self.code_numbers(query)
        try:
            if numbers is not None:
                numbers = list(numbers)
            corrections = self._corrections(query) if numbers is None else {}
            builder = CertificateQuery(query, today=today, numbers=numbers, corrections=corrections)
            return self._search(builder)
        except EngineUnavailable as error:
            if numbers is not None:
                return database_search(query, numbers, today)
            logger.warning("lookup text search answered as degraded: %s", error)
            return SearchResults(hits=[], total=0, facets={}, degraded=True)

    def _search(self, builder):
        query = builder.query
        first = self._call(self.client.search, index=self.alias, **builder.first_request()).body
        valid_count = first["hits"]["total"]["value"]
        hits = [Hit(number=hit["_id"], score=float(hit.get("_score") or 0)) for hit in first["hits"]["hits"]]
        aggregations = first.get("aggregations", {})
        total = aggregations["matches"]["doc_count"]
        wanted = query.page_size - len(hits)
        if wanted > 0 and query.offset + len(hits) < total:
            rest = self._call(self.client.search, index=self.alias, **builder.rest_request(valid_count, wanted)).body
            hits.extend(Hit(number=hit["_id"], score=float(hit.get("_score") or 0)) for hit in rest["hits"]["hits"])
        if not builder.has_text:
            for hit in hits:
                hit.score = 0.0
        facets = {}
        if query.facets:
            facets = {
                "category": _facet_pairs(aggregations["category"]["buckets"]),
                "body": _facet_pairs(aggregations["body"]["buckets"]),
                "region": _facet_pairs(aggregations["region"]["buckets"]),
                "status": _facet_pairs(
                    {"key": key, **bucket} for key, bucket in aggregations["status"]["buckets"].items()
                ),
            }
        if query.highlight and builder.has_text and hits:
            self._highlight(hits, query.terms)
        return SearchResults(hits=hits, total=total, facets=facets)

    def _corrections(self, query):
        """Query word → its own spellings to try with typo tolerance, for words of a
        length that allows a mistake and that no document holds as typed."""
        candidates = {
            term.text: [token for token in term.tokens if typo_distance_allowed(token)]
            for term in query.terms
            if term.kind == "word"
        }
        tokens = sorted({token for tokens in candidates.values() for token in tokens})
        if not tokens:
            return {}
        answer = self._call(self.client.search, index=self.alias, **vocabulary_request(tokens)).body
        known = {token for token, bucket in answer["aggregations"]["words"]["buckets"].items() if bucket["doc_count"]}
        corrections = {}
        for text, term_tokens in candidates.items():
            term = next(term for term in query.terms if term.text == text)
            if term_tokens and not known.intersection(term.tokens):
                corrections[text] = term_tokens
        return corrections

    def _highlight(self, hits, terms):
        """Mark the matched text in the hits' own fields, with the Python analysis the
        embedded engine uses, so both engines highlight alike. Hits stay unmarked if
        the documents cannot be read."""
        try:
            answer = self._call(self.client.mget, index=self.alias, ids=[hit.number for hit in hits]).body
        except EngineUnavailable:
            logger.warning("lookup results left without highlighting: the search server is unavailable")
            return
        sources = {doc["_id"]: doc["_source"] for doc in answer["docs"] if doc.get("found")}
        for hit in hits:
            source = sources.get(hit.number)
            if source is not None:
                hit.highlight = highlight_document(source, terms)

    def autocomplete(self, prefix, limit=10):
        key = fold(prefix).strip()
        if not key or limit < 1:
            return []
        request = {
            "size": 0,
            "query": {"match": {"suggest": key[: es_analysis.AUTOCOMPLETE_MAX_PREFIX]}},
            "aggs": {"texts": {"terms": {"field": "suggestions", "size": max(limit * 20, 100)}}},
        }
        try:
            answer = self._call(self.client.search, index=self.alias, **request).body
        except EngineUnavailable:
            return []
        counts = {}
        for bucket in answer["aggregations"]["texts"]["buckets"]:
            text = bucket["key"]
            if any(candidate.startswith(key) for candidate in suggestion_keys(text)):
                counts[text] = bucket["doc_count"]
        ranked = sorted(counts, key=lambda text: (-counts[text], len(text), text))
        return ranked[:limit]


# --- the database, when the cluster is down ------------------------------------------------


def database_code_numbers(parsed_code):
    """Numbers of certificates with this certificate number or USCC, from the database."""
    from lookup.models import Certificate

    if parsed_code.kind is CodeKind.CERTIFICATE:
        condition = Q(number=parsed_code.value)
    else:
        condition = (
            Q(client__uscc=parsed_code.value)
            | Q(producer__uscc=parsed_code.value)
            | Q(manufacturer__uscc=parsed_code.value)
        )
    return list(Certificate.objects.filter(condition).order_by("number").values_list("number", flat=True))


def database_search(query, numbers, today):
    """A code query answered from the database: the named certificates, filtered,
    ordered and counted like an indexed search."""
    from lookup.models import Certificate

    documents = [
        certificate_document(certificate)
        for certificate in indexable_certificates(Certificate.objects.filter(number__in=numbers))
    ]

    def effective(document):
        if document["status"] == "valid" and document["expires_on"] < today:
            return "expired"
        return document["status"]

    def keep(document):
        if query.categories and document["category"] not in query.categories:
            return False
        if query.groups and document["group"] not in query.groups:
            return False
        if query.bodies and document["body"] not in query.bodies:
            return False
        if query.statuses and effective(document) not in query.statuses:
            return False
        if query.regions:
            return any(
                document["province" if region.endswith("0000") else "region"] == region for region in query.regions
            )
        return True

    matches = [document for document in documents if keep(document)]
    matches.sort(key=lambda document: document["number"])
    matches.sort(key=lambda document: document["issued_on"], reverse=True)
    matches.sort(key=lambda document: effective(document) != "valid")
    page = matches[query.offset : query.offset + query.page_size]
    facets = {}
    if query.facets:
        for name, value in (
            ("category", lambda document: document["category"]),
            ("status", effective),
            ("body", lambda document: document["body"]),
            ("region", lambda document: document["province"]),
        ):
            counts = {}
            for document in matches:
                if value(document):
                    counts[value(document)] = counts.get(value(document), 0) + 1
            facets[name] = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return SearchResults(hits=[Hit(number=document["number"]) for document in page], total=len(matches), facets=facets)
