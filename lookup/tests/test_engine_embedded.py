"""The shared lookup engine behaviour, run against the embedded SQLite FTS5 engine,
and what is particular to it: its own file, generations swapped by a rebuild, and
the pending queue that survives an outage."""

import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

from django.test import TestCase, override_settings

from lookup.engines import analysis, embedded, indexing
from lookup.engines.base import (
    EngineUnavailable,
    certificate_document,
    certificate_documents,
    get_engine,
    indexable_certificates,
    reset_engine,
)
from lookup.engines.embedded import BUILD_DEFERRED_INDEXES, INDEX_NAME, EmbeddedEngine, prepared_batches
from lookup.engines.query import build_query
from lookup.tests.factories import CertificateFactory, OrganisationFactory

from .engine_suite import EmptyEngine, LookupEngineTests


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class EmbeddedEngineTests(LookupEngineTests, TestCase):
    def test_engine_is_the_embedded_one(self):
        self.assertIsInstance(self.engine, EmbeddedEngine)

    def test_index_is_a_file_of_its_own_in_wal_mode(self):
        self.index(self.fridge())
        link = self.engine.directory / INDEX_NAME
        self.assertTrue(link.is_symlink())
        connection = self.engine._connection()
        self.assertEqual(connection.execute("PRAGMA journal_mode").fetchone()[0], "wal")

    def test_rebuild_swaps_in_a_new_generation_and_removes_the_old(self):
        self.index(self.fridge())
        link = self.engine.directory / INDEX_NAME
        before = os.readlink(link)
        self.engine.rebuild()
        after = os.readlink(link)
        self.assertNotEqual(before, after)
        self.assertFalse((self.engine.directory / before).exists())
        self.assertEqual(self.engine.count(), 1)

    def test_write_during_rebuild_reaches_the_new_generation(self):
        fridge = self.fridge()
        lamp = self.other()

        def index_while_rebuilding(done, total):
            self.index(lamp)

        self.engine.rebuild(queryset=type(fridge).objects.filter(pk=fridge.pk), progress=index_while_rebuilding)
        self.assertEqual(self.numbers("灯"), [lamp.number])

    def test_link_left_by_a_killed_rebuild_is_ignored(self):
        dead = self.engine.directory / f"{INDEX_NAME}.20240101000000-{self._dead_pid()}-1"
        self.engine._connect(dead).close()
        self.engine._point(self.engine.building_link, dead)
        try:
            self.index(self.fridge())
            self.assertEqual(self.engine.count(), 1)
            self.assertIsNone(self.engine._building_path())
        finally:
            self.engine.building_link.unlink()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{dead}{suffix}").unlink(missing_ok=True)

    def _dead_pid(self):
        """The id of a process that has ended."""
        process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
        process.wait()
        return process.pid


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class BulkRebuildTests(EmptyEngine, TestCase):
    """What a rebuild reads and writes in bulk is what a single write would."""

    def certificates(self):
        company = OrganisationFactory(name_zh="青岛海川建材股份有限公司", name_en="Haichuan Co., Ltd.")
        return [
            CertificateFactory(client=company, producer=OrganisationFactory(), manufacturer=OrganisationFactory()),
            CertificateFactory(client=company, producer=None, manufacturer=None, product_models=[]),
            CertificateFactory(client=OrganisationFactory(uscc=None, region_code=""), energy_saving_kwh_per_year=12.5),
        ]

    def test_documents_read_in_bulk_equal_those_of_model_instances(self):
        certificates = self.certificates()
        one_by_one = [certificate_document(c) for c in indexable_certificates().order_by("pk")]
        in_batches = [document for batch in certificate_documents(batch_size=2) for document in batch]
        self.assertEqual(in_batches, one_by_one)
        self.assertEqual(len(in_batches), len(certificates))

    def test_worker_processes_prepare_what_the_writer_would(self):
        self.certificates()
        batches = list(certificate_documents(batch_size=1))
        self.assertEqual(list(prepared_batches(batches, processes=2)), list(prepared_batches(batches)))

    def test_rebuilt_generation_is_in_wal_mode_with_its_filter_indexes(self):
        self.certificates()
        self.engine.rebuild()
        connection = self.engine._connection()
        self.assertEqual(connection.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        indexes = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        self.assertLessEqual(set(BUILD_DEFERRED_INDEXES), indexes)

    def test_rebuild_keeps_a_document_written_while_it_runs(self):
        first, second, third = self.certificates()

        def change_while_rebuilding(done, total):
            if done == 1:
                third.product_name = "海川家用电热水器"
                third.save()
                self.engine.index(indexable_certificates(type(third).objects.filter(pk=third.pk)))

        with mock.patch.object(embedded, "BATCH_SIZE", 1):
            self.engine.rebuild(progress=change_while_rebuilding)
        self.assertEqual(self.engine.count(), 3)
        self.assertEqual(self.engine.search(build_query("热水器")).numbers, [third.number])

    def test_certificate_deleted_while_the_rebuild_runs_is_not_in_the_new_index(self):
        first, second, third = self.certificates()

        def delete_behind_the_rebuilds_back(done, total):
            if done == 3:
                second.delete()

        self.engine.rebuild(progress=delete_behind_the_rebuilds_back)
        self.assertEqual(self.engine.count(), 2)
        self.assertCountEqual(self.engine.search(build_query()).numbers, [first.number, third.number])


class Unavailable:
    """An engine whose index cannot be written, as during an outage."""

    def index(self, certificates):
        raise EngineUnavailable("index locked")

    def remove(self, numbers):
        raise EngineUnavailable("index locked")


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class PendingQueueTests(TestCase):
    """Outages delay a change; they never lose it."""

    def setUp(self):
        reset_engine()
        self.engine = get_engine()
        self.engine.clear()
        indexing.pending_path().unlink(missing_ok=True)

    def tearDown(self):
        indexing.pending_path().unlink(missing_ok=True)
        reset_engine()

    def fridge(self):
        return CertificateFactory()

    def other(self):
        return CertificateFactory()

    def numbers(self):
        return self.engine.search(build_query()).numbers

    def test_failed_write_keeps_the_numbers_pending(self):
        fridge = self.fridge()
        self.assertFalse(indexing.flush({fridge.number}, engine=Unavailable()))
        self.assertEqual(indexing.read_pending(), {fridge.number})

    def test_next_flush_works_off_the_pending_numbers(self):
        fridge, lamp = self.fridge(), self.other()
        indexing.flush({fridge.number}, engine=Unavailable())
        self.assertTrue(indexing.flush({lamp.number}))
        self.assertEqual(indexing.read_pending(), set())
        self.assertCountEqual(self.numbers(), [fridge.number, lamp.number])

    def test_save_succeeds_when_the_index_cannot_be_written(self):
        original = indexing.get_engine
        indexing.get_engine = Unavailable
        try:
            with self.captureOnCommitCallbacks(execute=True):
                fridge = self.fridge()
        finally:
            indexing.get_engine = original
        self.assertTrue(type(fridge).objects.filter(pk=fridge.pk).exists())
        self.assertIn(fridge.number, indexing.read_pending())


def set_constants(test, **values):
    """Give constants of the embedded engine other values for the length of ``test``."""
    for name, value in values.items():
        patch = mock.patch.object(embedded, name, value)
        patch.start()
        test.addCleanup(patch.stop)


class Fridges:
    """Fridges to index one by one, for the tests of broad queries and browsing."""

    def fridges(self, statuses, others=0):
        """One fridge per status, oldest first; "lapsed" is valid past its date.
        After each, ``others`` lamps."""
        certificates = []
        for position, status in enumerate(statuses):
            self.engine.index(CertificateFactory.create_batch(others, product_name="节能荧光灯"))
            if status == "lapsed":
                certificate = CertificateFactory(product_name=f"家用电冰箱{position}", expired=True)
                certificate.status = "valid"
                certificate.save()
            else:
                certificate = CertificateFactory(product_name=f"家用电冰箱{position}", status=status)
            certificates.append(certificate)
            self.engine.index([certificate])
        return certificates

    def kept(self):
        """The kept counts of broad queries: FTS5 expression → total."""
        return dict(self.engine._connection().execute("SELECT match, total FROM broad_counts").fetchall())

    def fresh_answers(self, query):
        """The answer counted from the matches themselves, not from the kept counts."""
        self.engine.clear_caches()
        with mock.patch.object(embedded, "_stored_broad_count", return_value=None):
            results = self.engine.search(query)
        self.engine.clear_caches()
        return results.total, results.facets, results.numbers


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class BroadQueryTests(Fridges, EmptyEngine, TestCase):
    """A query matching more than ``RANK_WINDOW`` certificates ranks the newest of
    them by relevance and the rest newest first, still valid first, still counting
    every match. The window is made small here so a few certificates are broad."""

    def setUp(self):
        super().setUp()
        set_constants(self, RANK_WINDOW=4)

    def tearDown(self):
        self.engine.clear()
        reset_engine()

    def every_page(self, q, page_size=3):
        numbers, page = [], 1
        while True:
            results = self.engine.search(build_query(q, page=page, page_size=page_size))
            numbers.extend(results.numbers)
            if page * page_size >= results.total:
                return numbers, results.total
            page += 1

    def test_pages_hold_every_match_once_valid_first(self):
        statuses = ["valid", "revoked", "valid", "lapsed", "suspended", "valid", "valid", "revoked", "valid", "valid"]
        certificates = self.fridges(statuses)
        numbers, total = self.every_page("冰箱")
        self.assertEqual(total, len(certificates))
        self.assertCountEqual(numbers, [certificate.number for certificate in certificates])
        valid = {c.number for c, status in zip(certificates, statuses, strict=True) if status == "valid"}
        self.assertEqual(set(numbers[: len(valid)]), valid)

    def test_the_newest_matches_are_ranked_by_relevance_and_the_rest_follow_newest_first(self):
        certificates = self.fridges(["valid"] * 7, others=2)
        relevant = self.most_relevant(certificates[-3])
        numbers = self.engine.search(build_query("冰箱", page_size=10)).numbers
        self.assertEqual(numbers[0], relevant.number)
        self.assertEqual(set(numbers[:4]), {c.number for c in certificates[-4:]})
        self.assertEqual(numbers[4:], [c.number for c in reversed(certificates[:3])])

    def test_words_in_most_certificates_are_not_ranked_but_listed_newest_first(self):
        statuses = ["valid", "revoked", "valid", "revoked", "valid", "revoked", "valid", "valid"]
        certificates = self.fridges(statuses, others=1)  # fridges are every other certificate
        self.most_relevant(certificates[-3])
        self.most_relevant(certificates[-4])
        newest_first = [c.number for c in reversed(certificates)]
        valid, revoked = (
            [number for number, status in zip(newest_first, reversed(statuses), strict=True) if status == wanted]
            for wanted in ("valid", "revoked")
        )
        self.assertEqual(self.engine.search(build_query("冰箱", page_size=10)).numbers, valid + revoked)
        self.assertEqual(self.engine.search(build_query("冰箱", page=2, page_size=3)).numbers, valid[3:] + revoked[:1])
        self.assertEqual(self.engine.search(build_query("冰箱", status=["revoked"])).numbers, revoked)

    def most_relevant(self, certificate):
        """Make ``certificate`` match 冰箱 better than any other fridge."""
        certificate.product_name = certificate.brand = "冰箱"
        certificate.save()
        self.engine.index([certificate])
        return certificate

    def test_a_changed_certificate_keeps_its_place(self):
        oldest, *_rest = self.fridges(["valid"] * 6)
        oldest.product_name = "家用电冰箱（新款）"
        oldest.save()
        self.engine.index([oldest])
        self.assertEqual(self.engine.search(build_query("冰箱", page_size=10)).numbers[-1], oldest.number)

    def test_filters_and_facets_count_every_match(self):
        certificates = self.fridges(["valid", "revoked", "valid", "lapsed", "valid", "valid"])
        results = self.engine.search(build_query("冰箱", status=["expired"]))
        self.assertEqual(results.numbers, [certificates[3].number])
        facets = dict(self.engine.search(build_query("冰箱")).facets["status"])
        self.assertEqual(facets, {"valid": 4, "revoked": 1, "expired": 1})


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class BrowsePageTests(Fridges, EmptyEngine, TestCase):
    """A browse (filters, no text) reads its page by walking the newest-first index
    or by sorting the filtered rows, whichever is cheaper; both give the same page."""

    def test_walking_and_sorting_give_the_same_pages(self):
        self.fridges(["valid", "revoked", "valid", "lapsed", "suspended", "valid", "valid", "revoked"])
        self.engine.index([CertificateFactory(product_name="节能荧光灯")])
        queries = [build_query(page=page, page_size=3) for page in (1, 2, 3)] + [
            build_query(status=["revoked", "expired"], page_size=2),
            build_query(status=["valid"], page=2, page_size=2),
        ]
        answers = {}
        for walks in (True, False):
            with mock.patch.object(embedded, "_walks_newest", return_value=walks):
                answers[walks] = [(r.numbers, r.total) for r in map(self.engine.search, queries)]
        self.assertEqual(answers[True], answers[False])
        self.assertEqual(sum(len(numbers) for numbers, _total in answers[True][:3]), 9)

    def test_the_cheaper_way_is_chosen_by_how_many_rows_the_filter_keeps(self):
        self.assertTrue(embedded._walks_newest(1_000_000, 11_000, 20))
        self.assertFalse(embedded._walks_newest(1_000_000, 500, 20))
        self.assertFalse(embedded._walks_newest(1_000_000, 0, 20))


class SplitCountBroadQueryTests(BroadQueryTests):
    """The same broad queries with every count cut into parts counted on threads of
    their own, as on a large index (``SPLIT_COUNT_FROM``)."""

    def setUp(self):
        super().setUp()
        set_constants(self, SPLIT_COUNT_FROM=0, COUNT_PARTS=3)

    def test_counts_in_parts_are_the_counts_in_one(self):
        self.fridges(["valid", "revoked", "lapsed", "valid", "suspended", "valid", "valid"])
        self.engine.index([CertificateFactory(product_name="节能荧光灯", status="revoked")])
        self.assertEqual(len(self.engine._count_ranges(self.engine._connection())), 3)
        queries = [
            build_query("冰箱"),
            build_query("冰箱", status=["expired", "revoked"], page=2, page_size=2),
            build_query(),
            build_query(status=["valid"], page=2, page_size=2),
        ]
        split = [self.engine.search(query) for query in queries]
        self.engine.clear_caches()
        with mock.patch.object(embedded, "COUNT_PARTS", 1):
            whole = [self.engine.search(query) for query in queries]
        for in_parts, in_one in zip(split, whole, strict=True):
            self.assertEqual(
                (in_parts.total, in_parts.facets, in_parts.numbers), (in_one.total, in_one.facets, in_one.numbers)
            )
        self.assertEqual(dict(split[0].facets["status"]), {"valid": 4, "revoked": 1, "expired": 1, "suspended": 1})


class KeptBroadCountsBroadQueryTests(BroadQueryTests):
    """The same broad queries with every unfiltered text query broad: its counts are
    kept in ``broad_counts`` after the first time it is asked, and read from there."""

    def setUp(self):
        super().setUp()
        set_constants(self, BROAD_FROM=0, BROAD_SHARE=0)
        search = self.engine.search

        def search_then_keep(query):
            results = search(query)
            self.engine.wait_for_broad_counts()
            return results

        patch = mock.patch.object(self.engine, "search", side_effect=search_then_keep)
        patch.start()
        self.addCleanup(patch.stop)

    def answers(self, query):
        results = self.engine.search(query)
        return results.total, results.facets, results.numbers

    def test_the_kept_counts_follow_every_write(self):
        fridges = self.fridges(["valid", "revoked", "lapsed", "valid", "suspended"])
        query = build_query("冰箱")
        self.engine.search(query)
        self.assertEqual(list(self.kept().values()), [5])

        steps = []

        def step():
            steps.append(self.answers(query))
            self.assertEqual(steps[-1], self.fresh_answers(query))

        new = CertificateFactory(product_name="节能冰箱")
        self.engine.index([new])
        step()
        fridges[0].status = "revoked"
        fridges[0].save()
        self.engine.index([fridges[0]])
        step()
        fridges[3].product_name = "荧光灯"  # no longer a fridge
        fridges[3].save()
        self.engine.index([fridges[3]])
        step()
        self.engine.remove([fridges[1].number])
        step()
        with mock.patch.object(embedded, "BROAD_PROBE_IDS", 0):  # a batch: one walk over its ids
            self.engine.index([CertificateFactory(product_name=f"双门冰箱{n}") for n in range(3)] + [fridges[4]])
        step()

        self.assertEqual([total for total, _facets, _numbers in steps], [6, 6, 5, 4, 7])
        self.assertEqual(list(self.kept().values()), [7])
        self.assertEqual(dict(steps[1][1]["status"]), {"valid": 2, "revoked": 2, "expired": 1, "suspended": 1})

    def test_a_kept_count_reads_valid_certificates_past_their_date_as_expired(self):
        fridge = self.fridges(["valid"])[0]
        self.engine.search(build_query("冰箱"))
        later = fridge.expires_on + timedelta(days=1)

        kept = self.engine.search(build_query("冰箱", today=later))

        self.assertEqual(dict(kept.facets["status"]), {"expired": 1})
        self.assertEqual((kept.total, kept.facets), self.fresh_answers(build_query("冰箱", today=later))[:2])

    def test_a_rebuild_counts_the_kept_queries_afresh(self):
        self.fridges(["valid", "revoked"])
        self.engine.search(build_query("冰箱"))
        CertificateFactory(product_name="双门冰箱")  # in the database, not yet indexed

        self.engine.rebuild()

        self.assertEqual(list(self.kept().values()), [3])
        self.assertEqual(self.engine.search(build_query("冰箱")).total, 3)

    def test_at_most_broad_kept_queries_are_kept(self):
        self.fridges(["valid"])
        with mock.patch.object(embedded, "BROAD_KEPT", 1):
            self.engine.search(build_query("冰箱"))
            self.engine.search(build_query("家用"))
        self.assertEqual(len(self.kept()), 1)


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class FirstAskOfCommonWordsTests(Fridges, EmptyEngine, TestCase):
    """Words too common to rank (``_too_common_to_rank``) look broad before they are
    counted, so their first count is made with the index locked for writes and is
    the one kept: nobody counts them twice."""

    def setUp(self):
        super().setUp()
        set_constants(self, RANK_WINDOW=4, BROAD_FROM=0, BROAD_SHARE=0.4)
        self.statuses = ["valid", "revoked", "lapsed", "valid", "valid", "valid"]
        self.fridges(self.statuses, others=1)

    def tearDown(self):
        self.engine.clear()
        reset_engine()

    def test_the_first_count_is_the_one_kept(self):
        with mock.patch.object(embedded, "_count_and_facets", wraps=embedded._count_and_facets) as other_counts:
            first = self.engine.search(build_query("冰箱"))
        self.assertEqual(other_counts.call_count, 0)
        self.assertEqual(list(self.kept().values()), [6])
        self.assertEqual(dict(first.facets["status"]), {"valid": 4, "revoked": 1, "expired": 1})
        self.assertEqual((first.total, first.facets, first.numbers), self.fresh_answers(build_query("冰箱")))
        with mock.patch.object(embedded, "walk_matches", wraps=embedded.walk_matches) as walks:
            self.engine.clear_caches()
            again = self.engine.search(build_query("冰箱", page=2, page_size=4))
        self.assertEqual(walks.call_count, 0)
        self.assertEqual(again.total, 6)

    def test_while_a_write_holds_the_index_the_first_count_is_kept_after_it(self):
        blocker = sqlite3.connect(self.engine._current_path())
        blocker.execute("BEGIN IMMEDIATE")
        try:
            first = self.engine.search(build_query("冰箱"))
            self.assertEqual(self.kept(), {})
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        self.engine.wait_for_broad_counts()
        self.assertEqual(list(self.kept().values()), [6])
        self.assertEqual((first.total, first.facets, first.numbers), self.fresh_answers(build_query("冰箱")))

    def test_common_words_short_of_a_broad_share_are_counted_not_kept(self):
        set_constants(self, BROAD_SHARE=0.9)  # six fridges in twelve certificates
        first = self.engine.search(build_query("冰箱"))
        self.engine.wait_for_broad_counts()
        self.assertEqual(self.kept(), {})
        self.assertEqual(first.total, 6)
        self.assertEqual((first.total, first.facets, first.numbers), self.fresh_answers(build_query("冰箱")))


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class CommonWordsAmongRarerOnesTests(Fridges, EmptyEngine, TestCase):
    """In a query of several words, one too common to rank by (冰箱 here, in most
    certificates) still filters, while the rarer ones rank; one every certificate
    has, by its kept count, is not even matched."""

    def setUp(self):
        super().setUp()
        set_constants(self, RANK_WINDOW=4, BROAD_FROM=0, BROAD_SHARE=0)
        fridges = self.fridges(["valid"] * 6)
        self.haichuan = [self.branded(fridges[1]), self.branded(fridges[4])]

    def tearDown(self):
        self.engine.wait_for_broad_counts()
        self.engine.clear()
        reset_engine()

    def branded(self, certificate):
        certificate.brand = "海川"
        certificate.save()
        self.engine.index([certificate])
        return certificate

    def words(self, text):
        connection = self.engine._connection()
        words = self.engine._match_terms(connection, build_query(text).terms)
        return connection, words, self.engine._state(connection)

    def test_the_common_word_filters_and_the_rarer_words_rank(self):
        self.branded(CertificateFactory(product_name="节能荧光灯"))
        connection, words, state = self.words("海川 冰箱")
        ranking = self.engine._ranking_terms(connection, words, state)
        self.assertEqual([term.phrase for term in ranking], [words[0].phrase])

        results = self.engine.search(build_query("海川 冰箱"))

        self.assertCountEqual(results.numbers, [fridge.number for fridge in self.haichuan])
        self.assertEqual(results.total, 2)

    def test_a_run_ranks_by_its_rarer_part(self):
        self.branded(CertificateFactory(product_name="节能荧光灯"))
        connection, words, state = self.words("海川冰箱")
        (term,) = self.engine._ranking_terms(connection, words, state)
        self.assertEqual(term.phrase, embedded._han(["海川", "川冰"]))
        self.assertEqual(term.together, (embedded._han(["海川"]),))

        results = self.engine.search(build_query("海川冰箱"))

        self.assertCountEqual(results.numbers, [fridge.number for fridge in self.haichuan])

    def test_a_word_every_certificate_has_is_not_matched_until_one_has_not(self):
        self.engine.search(build_query("冰箱"))  # its counts kept: six of six
        connection, words, state = self.words("海川 冰箱")
        self.assertEqual(self.engine._without_universal(connection, words, state), words[:1])
        self.assertCountEqual(
            self.engine.search(build_query("海川 冰箱")).numbers, [fridge.number for fridge in self.haichuan]
        )

        lamp = self.branded(CertificateFactory(product_name="节能荧光灯"))

        connection, words, state = self.words("海川 冰箱")
        self.assertEqual(self.engine._without_universal(connection, words, state), words)
        numbers = self.engine.search(build_query("海川 冰箱")).numbers
        self.assertCountEqual(numbers, [fridge.number for fridge in self.haichuan])
        self.assertNotIn(lamp.number, numbers)

    def test_a_common_word_too_rare_to_keep_is_counted_once(self):
        set_constants(self, BROAD_SHARE=0.9)  # six fridges in seven certificates
        lamp = CertificateFactory(product_name="节能荧光灯")
        self.engine.index([lamp])
        with mock.patch.object(self.engine, "_count_and_keep", wraps=self.engine._count_and_keep) as counts:
            self.engine.search(build_query("海川 冰箱"))
            self.engine.index([lamp])  # a write: the index's state changes
            numbers = self.engine.search(build_query("海川 冰箱")).numbers
        self.assertEqual(counts.call_count, 1)
        self.assertEqual(self.kept(), {})
        self.assertCountEqual(numbers, [fridge.number for fridge in self.haichuan])


# Statuses as stored, with expiry dates: valid, valid past its date (so expired as
# read), revoked, expired.
STORED_STATUSES = (
    ("valid", date(2030, 1, 1)),
    ("valid", date(2020, 1, 1)),
    ("revoked", date(2030, 1, 1)),
    ("expired", date(2021, 1, 1)),
)


def make_format_6(connection):
    """Take the keys out of ``usccs``, as format 6 had it."""
    connection.executescript(
        "ALTER TABLE usccs RENAME TO usccs_7; DROP INDEX usccs_id;"
        "CREATE TABLE usccs (uscc TEXT NOT NULL, issued_on TEXT NOT NULL, number TEXT NOT NULL, id INTEGER NOT NULL,"
        " PRIMARY KEY (uscc, issued_on DESC, number, id)) WITHOUT ROWID; CREATE INDEX usccs_id ON usccs (id);"
        "INSERT INTO usccs SELECT uscc, issued_on, number, id FROM usccs_7; DROP TABLE usccs_7;"
        "PRAGMA user_version = 6;"
    )


def make_format_5(connection):
    """Take the ``filters`` column out of ``fts`` (and the keys out of ``usccs``), as
    format 5 had it."""
    make_format_6(connection)
    columns = ", ".join(analysis.TEXT_COLUMNS)
    copy = f"INSERT INTO fts (rowid, {columns}) SELECT rowid, {columns} FROM fts_6"  # noqa: S608 (column names)
    connection.executescript(
        f"ALTER TABLE fts RENAME TO fts_6; CREATE VIRTUAL TABLE fts USING fts5({columns});"
        f"{copy}; DROP TABLE fts_6; PRAGMA user_version = 5;"
    )


def format_of(engine):
    return engine._connection().execute("PRAGMA user_version").fetchone()[0]


@override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
class FormatUpgradeTests(EmptyEngine, TestCase):
    """An index of the previous format is upgraded in place when first opened,
    without a rebuild."""

    def test_format_3_index_answers_the_same_after_the_upgrade(self):
        fridge = CertificateFactory(product_name="海川家用电冰箱", status="revoked")
        lamp = CertificateFactory(product_name="节能荧光灯")
        self.engine.index([fridge, lamp])
        before = self.engine.search(build_query("冰箱", status=["revoked"]))
        connection = self.engine._connection()
        connection.execute("ALTER TABLE certs ADD COLUMN facets TEXT NOT NULL DEFAULT ''")
        connection.execute("DROP TABLE keys")
        connection.execute("PRAGMA user_version = 3")
        self.engine.close()

        after = self.engine.search(build_query("冰箱", status=["revoked"]))
        self.assertEqual(after.numbers, [fridge.number])
        self.assertEqual(after.total, before.total)
        self.assertEqual(after.facets, before.facets)
        self.assertEqual(format_of(self.engine), embedded.SCHEMA_VERSION)
        self.assertEqual(self.engine.search(build_query()).total, 2)

    def test_format_4_index_answers_a_company_s_code_the_same_after_the_upgrade(self):
        fridge = CertificateFactory(product_name="海川家用电冰箱")
        lamp = CertificateFactory(product_name="节能荧光灯", client=fridge.client, status="revoked")
        self.engine.index([fridge, lamp])
        before = self.engine.search(build_query(fridge.client.uscc))
        connection = self.engine._connection()
        make_format_5(connection)
        connection.executescript(
            "ALTER TABLE usccs RENAME TO usccs_5; DROP INDEX usccs_id;"
            "CREATE TABLE usccs (uscc TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (uscc, id)) WITHOUT ROWID;"
            "CREATE INDEX usccs_id ON usccs (id);"
            "INSERT INTO usccs SELECT uscc, id FROM usccs_5; DROP TABLE usccs_5;"
            "PRAGMA user_version = 4;"
        )
        self.engine.close()

        after = self.engine.search(build_query(fridge.client.uscc))
        self.assertEqual(after.numbers, [fridge.number, lamp.number])
        self.assertEqual((after.numbers, after.total, after.facets), (before.numbers, before.total, before.facets))
        self.assertEqual(format_of(self.engine), embedded.SCHEMA_VERSION)

    def answers_after_upgrade(self, queries, make_old_format):
        """The answers to ``queries`` once ``make_old_format`` has made the index
        one of an earlier format and opening it has upgraded it: the same as before."""
        before = [self.engine.search(query) for query in queries]
        make_old_format(self.engine._connection())
        self.engine.close()
        after = [self.engine.search(query) for query in queries]
        self.assertEqual(
            [(result.numbers, result.total, result.facets) for result in after],
            [(result.numbers, result.total, result.facets) for result in before],
        )
        self.assertEqual(format_of(self.engine), embedded.SCHEMA_VERSION)
        return after

    def test_format_5_index_answers_filtered_text_the_same_after_the_upgrade(self):
        fridges = [
            CertificateFactory(
                product_name="海川家用电冰箱", status=status, issued_on=date(2017, 1, 1), expires_on=expires_on
            )
            for status, expires_on in STORED_STATUSES
        ]
        self.engine.index([*fridges, CertificateFactory(product_name="节能荧光灯")])
        queries = [build_query("冰箱", status=[status]) for status in ("valid", "expired", "revoked")]
        after = self.answers_after_upgrade(queries, make_format_5)
        self.assertEqual([result.total for result in after], [1, 2, 1])
        filled = self.engine._connection().execute("SELECT count(*) FROM fts WHERE filters <> ''").fetchone()[0]
        self.assertEqual(filled, 5)

    def test_format_6_index_answers_a_company_s_filtered_code_the_same_after_the_upgrade(self):
        client = OrganisationFactory()
        certificates = [
            CertificateFactory(client=client, status=status, issued_on=date(2017, 1, day), expires_on=expires_on)
            for day, (status, expires_on) in enumerate(STORED_STATUSES, start=1)
        ]
        self.engine.index([*certificates, CertificateFactory(product_name="节能荧光灯")])
        queries = [build_query(client.uscc), *(build_query(client.uscc, status=[s]) for s in ("valid", "expired"))]
        after = self.answers_after_upgrade(queries, make_format_6)
        self.assertEqual([result.total for result in after], [4, 1, 2])
        self.assertEqual(after[0].numbers[0], certificates[0].number)
