"""The shared lookup engine behaviour, run against the Elasticsearch engine over HTTP:
on an osmem server started by the suite (an in-memory OpenSearch-compatible server)
and, when ``ELASTICSEARCH_URL`` is set, on that cluster, where a server that cannot
be reached fails the tests. Then what is particular to Elasticsearch: documents read
back with their source, the alias swapped by a rebuild, the circuit breaker and the
database fallback when the server is down.
"""

import contextlib
import datetime
import os
import uuid
from unittest import mock

import elasticsearch
import pytest

from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone

from lookup.codes import parse_code
from lookup.documents import CertificateDocument
from lookup.engines import elastic, es_analysis, indexing
from lookup.engines.base import EngineUnavailable, certificate_document, get_engine, reset_engine
from lookup.engines.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, CircuitOpenError
from lookup.engines.elastic import CertificateQuery, ElasticsearchEngine, without_credentials
from lookup.engines.query import build_query
from lookup.models import Certificate
from lookup.tests.factories import CertificateFactory, OrganisationFactory

from .engine_suite import TODAY, LookupEngineTests

ENGINE = "lookup.tests.test_engine_elastic.RefreshingElasticsearchEngine"
# Nothing listens here: connections are refused at once.
UNREACHABLE_URL = "http://127.0.0.1:9"


class RefreshingElasticsearchEngine(ElasticsearchEngine):
    """The engine with every write visible to searches before it returns, so a test
    can search straight after indexing."""

    def __init__(self, **options):
        super().__init__(refresh=True, **options)


def env_bool(name, default):
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class ElasticsearchChecks:
    """Tests of what only the Elasticsearch engine does, for any server."""

    def stored(self, number):
        return self.engine.client.get(index=self.engine.alias, id=number).body

    def concrete_indices(self):
        answer = self.engine.client.indices.get_alias(index=f"{self.engine.alias}-*", allow_no_indices=True).body
        return {index: set(data.get("aliases", {})) for index, data in answer.items()}

    def test_engine_is_the_elasticsearch_one(self):
        self.assertIsInstance(self.engine, ElasticsearchEngine)

    def test_stored_document_reads_back_with_its_source(self):
        # elasticsearch-py 9.4+ with django-elasticsearch-dsl 9.0 stores empty sources
        # (django-elasticsearch-dsl issue #505): the client is pinned below 9.4.
        fridge = self.fridge()
        self.index(fridge)
        source = self.stored(fridge.number)["_source"]
        self.assertEqual(source["number"], fridge.number)
        self.assertEqual(source["product_name"], "海川变频节能家用电冰箱")
        self.assertEqual(source["models"], ["BCD-470W", "BCD-520WP"])
        self.assertEqual(source["client_uscc"], fridge.client.uscc)
        self.assertIn("冰箱", source["analysed"]["product_han"].split())

    def test_index_has_the_mapping_and_analysers_of_the_document(self):
        self.index(self.fridge())
        (index,) = self.concrete_indices()
        mapping = self.engine.client.indices.get_mapping(index=index).body[index]["mappings"]["properties"]
        self.assertEqual(mapping["product_name"]["analyzer"], es_analysis.CJK_BIGRAMS)
        self.assertEqual(mapping["number"]["normalizer"], es_analysis.CODE_NORMALIZER)
        self.assertEqual(mapping["analysed"]["properties"]["product_han"]["analyzer"], es_analysis.PYTHON_TOKENS)
        analysis = self.engine.client.indices.get_settings(index=index).body[index]["settings"]["index"]["analysis"]
        self.assertIn(es_analysis.CHINESE_WORDS, analysis["analyzer"])

    def test_rebuild_points_the_alias_at_a_new_index_and_deletes_the_old(self):
        self.index(self.fridge())
        (before,) = self.concrete_indices()
        self.engine.rebuild()
        indices = self.concrete_indices()
        self.assertNotIn(before, indices)
        self.assertEqual(list(indices.values()), [{self.engine.alias}])
        self.assertEqual(self.engine.count(), 1)

    def test_alias_keeps_the_old_index_until_the_new_one_is_complete(self):
        fridge = self.fridge()
        self.index(fridge)
        self.other()
        (before,) = self.concrete_indices()
        seen = []

        def look(done, total):
            indices = self.concrete_indices()
            seen.append((indices[before], self.numbers("冰箱"), self.engine.count()))

        self.engine.rebuild(progress=look)
        self.assertTrue(seen)
        for aliases, numbers, count in seen:
            self.assertEqual(aliases, {self.engine.alias})
            self.assertEqual(numbers, [fridge.number])
            self.assertEqual(count, 1)
        self.assertEqual(self.engine.count(), 2)

    def test_rebuild_deletes_an_index_left_by_an_unfinished_rebuild(self):
        self.index(self.fridge())
        abandoned = f"{self.engine.alias}-abandoned"
        self.engine.client.indices.create(index=abandoned, aliases={self.engine.building_alias: {}})
        self.engine.rebuild()
        self.assertNotIn(abandoned, self.concrete_indices())
        self.assertEqual(self.engine.count(), 1)

    def test_write_during_rebuild_reaches_the_new_index(self):
        fridge, lamp = self.fridge(), self.other()

        def index_while_rebuilding(done, total):
            self.index(lamp)

        self.engine.rebuild(queryset=Certificate.objects.filter(pk=fridge.pk), progress=index_while_rebuilding)
        self.assertEqual(self.numbers("灯"), [lamp.number])

    def test_removal_during_rebuild_reaches_the_new_index(self):
        fridge, lamp = self.fridge(), self.other()
        self.index(fridge, lamp)

        def remove_while_rebuilding(done, total):
            if done == total:
                Certificate.objects.filter(pk=lamp.pk).delete()
                self.engine.remove([lamp.number])

        self.engine.rebuild(progress=remove_while_rebuilding)
        self.assertEqual(self.numbers(), [fridge.number])

    def test_certificate_changed_during_rebuild_is_caught_up(self):
        fridge = self.fridge()
        Certificate.objects.filter(pk=fridge.pk).update(updated_at=timezone.now() - datetime.timedelta(days=1))

        def change_behind_the_rebuilds_back(done, total):
            if done == total:
                fridge.product_name = "海川电热水器"
                fridge.save()

        self.engine.rebuild(progress=change_behind_the_rebuilds_back)
        self.assertEqual(self.numbers("热水器"), [fridge.number])

    def test_rebuild_writes_in_batches_and_reports_each(self):
        fridges = [self.fridge() for _ in range(5)]
        progress = []
        with mock.patch.object(elastic, "BATCH_SIZE", 2):
            count = self.engine.rebuild(progress=lambda done, total: progress.append((done, total)))
        self.assertEqual(count, 5)
        self.assertEqual(progress, [(0, 5), (2, 5), (4, 5), (5, 5)])
        self.assertCountEqual(self.numbers("冰箱"), [fridge.number for fridge in fridges])

    def test_removing_unknown_numbers_in_several_batches_removes_the_known_ones(self):
        fridge, lamp = self.fridge(), self.other()
        self.index(fridge, lamp)
        unknown = [f"G2024001011{number:06d}" for number in range(5)]
        with mock.patch.object(elastic, "BATCH_SIZE", 2):
            self.engine.remove([*unknown, fridge.number])
        self.assertEqual(self.numbers(), [lamp.number])

    def test_autocomplete_takes_a_prefix_longer_than_the_indexed_n_grams(self):
        self.index(self.fridge())
        prefix = "haichuan inverter household refrige"
        self.assertGreater(len(prefix), es_analysis.AUTOCOMPLETE_MAX_PREFIX)
        self.assertEqual(self.engine.autocomplete(prefix), ["Haichuan inverter household refrigerator"])
        self.assertEqual(self.engine.autocomplete(prefix + "x"), [])

    def test_typing_mistake_not_tried_for_a_word_that_exists(self):
        lamp = self.other(product_name_en="Energy-saving lamp")
        lamb = self.other(product_name_en="Lamb feed", product_name="羊饲料", brand="牧场")
        self.index(lamp, lamb)
        self.assertEqual(self.numbers("lamp"), [lamp.number])


@pytest.mark.elasticsearch
class OsmemEngineTests(ElasticsearchChecks, LookupEngineTests, TestCase):
    """On osmem, one fresh clone of the server per test."""

    @pytest.fixture(autouse=True)
    def elasticsearch_server(self, osmem_url):
        with override_settings(
            LOOKUP_ENGINE=ENGINE,
            ELASTICSEARCH_URL=osmem_url,
            ELASTICSEARCH_INDEX_PREFIX="test",
            ELASTICSEARCH_COMPATIBILITY_HEADERS=False,
        ):
            yield

    def drop_index(self):
        self.engine.drop()

    def test_code_lookup_answers_from_the_database_before_the_index_exists(self):
        fridge = self.fridge()
        self.drop_index()
        self.assertEqual(self.numbers(fridge.number), [fridge.number])
        self.assertEqual(self.engine.lookup_code(parse_code(fridge.client.uscc)), [fridge.number])

    def test_text_search_is_degraded_before_the_index_exists(self):
        self.drop_index()
        self.assertTrue(self.search("冰箱").degraded)

    def test_health_is_not_ok_before_the_index_exists(self):
        self.drop_index()
        self.assertFalse(self.engine.health().ok)
        self.assertEqual(self.engine.count(), 0)

    def test_first_write_creates_the_index_behind_the_alias(self):
        self.drop_index()
        fridge = self.fridge()
        self.index(fridge)
        self.assertEqual(self.numbers("冰箱"), [fridge.number])

    def test_server_without_chinese_plugin_gets_bigram_analysis(self):
        self.assertIsNone(es_analysis.detect_chinese_plugin(self.engine.client))
        self.engine.ensure_index()
        (index,) = self.concrete_indices()
        analysis = self.engine.client.indices.get_settings(index=index).body[index]["settings"]["index"]["analysis"]
        self.assertIn("cjk_bigram", analysis["analyzer"][es_analysis.CHINESE_WORDS]["filter"])


@pytest.mark.elasticsearch
class ElasticsearchClusterEngineTests(ElasticsearchChecks, LookupEngineTests, TestCase):
    """On the cluster at ELASTICSEARCH_URL, in indices of its own removed afterwards."""

    @pytest.fixture(autouse=True)
    def elasticsearch_server(self):
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("ELASTICSEARCH_URL is not set")
        prefix = f"test-{uuid.uuid4().hex[:12]}"
        with override_settings(
            LOOKUP_ENGINE=ENGINE,
            ELASTICSEARCH_URL=url,
            ELASTICSEARCH_INDEX_PREFIX=prefix,
            ELASTICSEARCH_COMPATIBILITY_HEADERS=env_bool("ELASTICSEARCH_COMPATIBILITY_HEADERS", True),
        ):
            yield
            engine = get_engine()
            # An unreachable server has already failed the test; say nothing more.
            with contextlib.suppress(elasticsearch.ConnectionError, EngineUnavailable):
                engine.drop()


# --- the server down ------------------------------------------------------------------------


class ServerDownTests(TestCase):
    """A server that refuses connections: writes fail loudly (the indexing queue keeps
    the change), code lookups answer from the database, text search says it is
    degraded, and after a few failures the breaker stops trying."""

    def setUp(self):
        self.breaker = CircuitBreaker(failure_threshold=2, reset_after=60)
        self.engine = ElasticsearchEngine(
            UNREACHABLE_URL, index_prefix="down", breaker=self.breaker, timeout=1, compatibility_headers=False
        )
        self.fridge = CertificateFactory(
            product_name="海川变频节能家用电冰箱",
            client=OrganisationFactory(name_zh="青岛海川建材股份有限公司", region_code="370200"),
        )

    def test_index_raises_engine_unavailable(self):
        with self.assertRaises(EngineUnavailable):
            self.engine.index([self.fridge])

    def test_change_stays_pending_until_the_server_is_back(self):
        indexing.pending_path().unlink(missing_ok=True)
        self.addCleanup(indexing.pending_path().unlink, missing_ok=True)
        self.assertFalse(indexing.flush({self.fridge.number}, engine=self.engine))
        self.assertEqual(indexing.read_pending(), {self.fridge.number})

    def test_breaker_opens_after_repeated_failures(self):
        for _attempt in range(2):
            with self.assertRaises(EngineUnavailable):
                self.engine.count()
        self.assertEqual(self.breaker.state, OPEN)

    def test_certificate_number_answers_from_the_database(self):
        self.assertEqual(self.engine.lookup_code(parse_code(self.fridge.number)), [self.fridge.number])

    def test_uscc_answers_from_the_database(self):
        self.assertEqual(self.engine.lookup_code(parse_code(self.fridge.client.uscc)), [self.fridge.number])

    def test_code_search_answers_from_the_database_with_filters_and_facets(self):
        results = self.engine.search(build_query(self.fridge.number))
        self.assertEqual(results.numbers, [self.fridge.number])
        self.assertFalse(results.degraded)
        self.assertEqual(results.facets["region"], [("370000", 1)])
        self.assertEqual(self.engine.search(build_query(self.fridge.number, status="revoked")).numbers, [])

    def test_code_lookup_answers_while_the_breaker_is_open(self):
        self.breaker.record_failure()
        self.breaker.record_failure()
        self.assertEqual(self.breaker.state, OPEN)
        self.assertEqual(self.engine.lookup_code(parse_code(self.fridge.number)), [self.fridge.number])

    def test_text_search_says_it_is_degraded(self):
        results = self.engine.search(build_query("冰箱"))
        self.assertTrue(results.degraded)
        self.assertEqual(results.hits, [])

    def test_autocomplete_answers_nothing(self):
        self.assertEqual(self.engine.autocomplete("海川"), [])

    def test_health_is_not_ok(self):
        health = self.engine.health()
        self.assertFalse(health.ok)
        self.assertTrue(health.detail)

    def test_health_never_shows_credentials(self):
        engine = ElasticsearchEngine("http://lookup:secret@127.0.0.1:9", index_prefix="down", breaker=self.breaker)
        self.assertEqual(without_credentials(engine.url), "http://127.0.0.1:9")

    def test_engine_from_settings_uses_the_configured_url(self):
        with override_settings(LOOKUP_ENGINE="", ELASTICSEARCH_URL=UNREACHABLE_URL):
            reset_engine()
            try:
                engine = get_engine()
            finally:
                reset_engine()
        self.assertIsInstance(engine, ElasticsearchEngine)
        self.assertIn("127.0.0.1:9", engine.url)


# --- the breaker ----------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def fail():
    raise ConnectionError("refused")


class CircuitBreakerTests(SimpleTestCase):
    def setUp(self):
        self.clock = Clock()
        self.breaker = CircuitBreaker(failure_threshold=2, reset_after=30, clock=self.clock)

    def failing_call(self):
        with self.assertRaises(ConnectionError):
            self.breaker.call(fail)

    def test_stays_closed_below_the_threshold(self):
        self.failing_call()
        self.assertEqual(self.breaker.state, CLOSED)

    def test_opens_at_the_threshold_and_refuses_calls(self):
        self.failing_call()
        self.failing_call()
        self.assertEqual(self.breaker.state, OPEN)
        with self.assertRaises(CircuitOpenError):
            self.breaker.call(lambda: "answer")

    def test_success_resets_the_failure_count(self):
        self.failing_call()
        self.assertEqual(self.breaker.call(lambda: "answer"), "answer")
        self.failing_call()
        self.assertEqual(self.breaker.state, CLOSED)

    def test_lets_one_trial_through_after_the_reset_time(self):
        self.failing_call()
        self.failing_call()
        self.clock.now = 31
        self.assertEqual(self.breaker.state, HALF_OPEN)
        self.assertTrue(self.breaker.allow())
        self.assertFalse(self.breaker.allow())

    def test_successful_trial_closes_it(self):
        self.failing_call()
        self.failing_call()
        self.clock.now = 31
        self.assertEqual(self.breaker.call(lambda: "answer"), "answer")
        self.assertEqual(self.breaker.state, CLOSED)

    def test_failed_trial_opens_it_again(self):
        self.failing_call()
        self.failing_call()
        self.clock.now = 31
        self.failing_call()
        self.assertEqual(self.breaker.state, OPEN)

    def test_errors_that_are_not_server_failures_do_not_count(self):
        breaker = CircuitBreaker(failure_threshold=1, is_failure=lambda error: isinstance(error, ConnectionError))
        with self.assertRaises(ValueError):
            breaker.call(lambda: int("x"))
        self.assertEqual(breaker.state, CLOSED)


# --- Chinese analysis plugins ------------------------------------------------------------------


class PluginListing:
    """Answers ``nodes.info`` as a cluster whose nodes have these plugins: a cluster
    with the IK or smartcn plugin is not available to the tests."""

    def __init__(self, *plugins_per_node):
        self.nodes = self
        self.plugins_per_node = plugins_per_node

    def info(self, metric):
        nodes = {
            f"node{number}": {"plugins": [{"name": name} for name in plugins]}
            for number, plugins in enumerate(self.plugins_per_node)
        }
        return type("Answer", (), {"body": {"nodes": nodes}})()


class ChinesePluginTests(SimpleTestCase):
    def test_ik_on_every_node_is_used(self):
        self.assertEqual(
            es_analysis.detect_chinese_plugin(PluginListing(["analysis-ik"], ["analysis-ik"])), es_analysis.IK_PLUGIN
        )

    def test_smartcn_is_used_when_there_is_no_ik(self):
        self.assertEqual(
            es_analysis.detect_chinese_plugin(PluginListing(["analysis-smartcn"])), es_analysis.SMARTCN_PLUGIN
        )

    def test_plugin_missing_on_one_node_is_not_used(self):
        self.assertIsNone(es_analysis.detect_chinese_plugin(PluginListing(["analysis-ik"], [])))

    def test_ik_analyser_segments_words(self):
        analyser = es_analysis.analysis_settings(es_analysis.IK_PLUGIN)["analyzer"][es_analysis.CHINESE_WORDS]
        self.assertEqual(analyser["tokenizer"], "ik_max_word")


# --- the query --------------------------------------------------------------------------------


class CertificateQueryTests(SimpleTestCase):
    def test_valid_first_is_a_post_filter_by_date_so_facets_count_every_match(self):
        request = CertificateQuery(build_query("冰箱"), today=TODAY).first_request()
        valid = request["post_filter"]["bool"]["filter"]
        self.assertIn({"term": {"status": "valid"}}, valid)
        self.assertIn({"range": {"expires_on": {"gte": TODAY.isoformat()}}}, valid)
        self.assertIn("status", request["aggs"])

    def test_expired_status_filter_includes_valid_certificates_past_expiry(self):
        request = CertificateQuery(build_query(status="expired"), today=TODAY).first_request()
        (status_filter,) = request["query"]["bool"]["filter"]
        (expired,) = status_filter["bool"]["should"]
        self.assertIn({"term": {"status": "expired"}}, expired["bool"]["should"])
        self.assertIn(
            {
                "bool": {
                    "filter": [{"term": {"status": "valid"}}, {"range": {"expires_on": {"lt": TODAY.isoformat()}}}]
                }
            },
            expired["bool"]["should"],
        )

    def test_every_query_term_is_a_required_clause(self):
        request = CertificateQuery(build_query("海川 冰箱 bcd470w"), today=TODAY).first_request()
        self.assertEqual(len(request["query"]["bool"]["must"]), 3)

    def test_code_query_is_restricted_to_its_numbers_without_text_clauses(self):
        query = build_query("G2024001011382914")
        request = CertificateQuery(query, today=TODAY, numbers=["G2024001011382914"]).first_request()
        self.assertNotIn("must", request["query"]["bool"])
        self.assertIn({"terms": {"number": ["G2024001011382914"]}}, request["query"]["bool"]["filter"])

    def test_rest_of_a_page_reads_on_among_the_others(self):
        builder = CertificateQuery(build_query("冰箱", page=2, page_size=10), today=TODAY)
        request = builder.rest_request(valid_count=13, wanted=7)
        self.assertEqual(request["from"], 0)
        self.assertEqual(request["query"]["bool"]["must_not"], [builder.valid()])

    def test_to_dict_holds_the_query_and_the_request(self):
        as_dict = CertificateQuery(build_query("冰箱"), today=TODAY).to_dict()
        self.assertEqual(as_dict["query"]["text"], "冰箱")
        self.assertIn("post_filter", as_dict["search"])


class DocumentTests(TestCase):
    def test_prepared_source_carries_the_shared_document_and_search_fields(self):
        fridge = CertificateFactory(product_name="海川变频节能家用电冰箱", product_models=["BCD-470W"])
        source = CertificateDocument().prepare(fridge)
        self.assertEqual(source["number"], fridge.number)
        self.assertEqual(source["usccs"], certificate_document(fridge)["usccs"])
        self.assertIn("冰箱", source["analysed"]["product_han"].split())
        self.assertIn("bcd470w", source["suggest"])
        self.assertIn("BCD-470W", source["suggestions"])

    def test_mapping_keeps_unknown_fields_unindexed(self):
        self.assertIs(CertificateDocument.mapping()["dynamic"], False)
