"""The behaviour every lookup engine promises, as one mixin run against each engine
(as Wagtail's ``wagtail/search/tests/test_backends.py`` runs ``BackendTests``).

A subclass is a ``django.test.TestCase`` with settings that make
:func:`lookup.engines.base.get_engine` return its engine, e.g.::

    @override_settings(LOOKUP_ENGINE="lookup.engines.embedded.EmbeddedEngine")
    class EmbeddedEngineTests(LookupEngineTests, TestCase):
        pass
"""

import datetime
import threading

from django.db import transaction

from lookup.codes import parse_code
from lookup.engines.base import get_engine, indexable_certificates, reset_engine
from lookup.engines.query import build_query
from lookup.models import Certificate, Status
from lookup.tests.factories import (
    CertificateFactory,
    CertificationBodyFactory,
    OrganisationFactory,
    ProductCategoryFactory,
    ProductGroupFactory,
    TraceCodeFactory,
)

TODAY = datetime.date.today()


class EmptyEngine:
    """Each test starts and ends with an empty index of the engine the settings choose."""

    def setUp(self):
        super().setUp()
        reset_engine()
        self.engine = get_engine()
        self.engine.clear()

    def tearDown(self):
        self.engine.clear()
        reset_engine()
        super().tearDown()


class LookupEngineTests(EmptyEngine):
    # --- helpers ----------------------------------------------------------------------

    def index(self, *certificates):
        numbers = [certificate.number for certificate in certificates]
        self.engine.index(indexable_certificates(Certificate.objects.filter(number__in=numbers)))

    def committed(self, make):
        """What ``make()`` saves, committed (its on-commit callbacks run)."""
        with self.captureOnCommitCallbacks(execute=True):
            return make()

    def search(self, q="", **filters):
        return self.engine.search(build_query(q, **filters))

    def numbers(self, q="", **filters):
        return self.search(q, **filters).numbers

    def fridge(self, **kwargs):
        defaults = {
            "product_name": "海川变频节能家用电冰箱",
            "product_name_en": "Haichuan inverter household refrigerator",
            "brand": "海川",
            "product_models": ["BCD-470W", "BCD-520WP"],
            "client": OrganisationFactory(name_zh="青岛海川建材股份有限公司", name_en="", region_code="370200"),
        }
        defaults.update(kwargs)
        return CertificateFactory(**defaults)

    def other(self, **kwargs):
        defaults = {
            "product_name": "节能荧光灯",
            "product_name_en": "Energy-saving fluorescent lamps",
            "brand": "明远",
            "product_models": ["YZ-36RR"],
            "client": OrganisationFactory(name_zh="广州明远照明有限公司", name_en="", region_code="440100"),
        }
        defaults.update(kwargs)
        return CertificateFactory(**defaults)

    # --- codes ------------------------------------------------------------------------

    def test_certificate_number_answers_that_record_first(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers(fridge.number), [fridge.number])

    def test_certificate_number_typed_with_spaces_hyphens_and_full_width(self):
        fridge = self.fridge()
        self.index(fridge)
        typed = (
            fridge.number[:5]
            + " - "
            + fridge.number[5:].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        )
        self.assertEqual(self.numbers(typed.lower()), [fridge.number])

    def test_trace_code_answers_its_certificate(self):
        fridge = self.fridge()
        trace = TraceCodeFactory(certificate=fridge)
        self.index(fridge, self.other())
        self.assertEqual(self.numbers(trace.code), [fridge.number])

    def test_uscc_answers_the_organisations_certificates(self):
        fridge = self.fridge()
        second = self.fridge(client=fridge.client, product_name="海川冷柜")
        self.index(fridge, second, self.other())
        self.assertCountEqual(self.numbers(fridge.client.uscc), [fridge.number, second.number])

    def test_a_company_s_code_pages_valid_first_then_newest(self):
        days = datetime.timedelta(days=1)
        first = self.fridge(issued_on=TODAY - 30 * days)
        revoked = self.fridge(client=first.client, status=Status.REVOKED, issued_on=TODAY - 10 * days)
        older = self.fridge(client=first.client, issued_on=TODAY - 20 * days)
        newest = self.fridge(client=first.client, issued_on=TODAY - 5 * days)
        lapsed = self.fridge(client=first.client, expired=True, issued_on=TODAY - (3 * 365 + 1) * days)
        self.index(first, revoked, older, newest, lapsed, self.other())

        pages = [self.engine.search(build_query(first.client.uscc, page=page, page_size=2)) for page in (1, 2, 3)]
        only_revoked = self.search(first.client.uscc, status=["revoked"])

        self.assertEqual(
            [number for page in pages for number in page.numbers],
            [c.number for c in (newest, older, first, revoked, lapsed)],
        )
        self.assertEqual({page.total for page in pages}, {5})
        self.assertEqual((only_revoked.numbers, only_revoked.total), ([revoked.number], 1))

    def test_lookup_code_finds_certificate_and_uscc(self):
        fridge = self.fridge()
        self.index(fridge)
        self.assertEqual(self.engine.lookup_code(parse_code(fridge.number)), [fridge.number])
        self.assertEqual(self.engine.lookup_code(parse_code(fridge.client.uscc)), [fridge.number])

    def test_unknown_certificate_number_finds_nothing(self):
        fridge = self.fridge()
        self.index(fridge)
        unknown = fridge.number[:-1] + ("0" if fridge.number[-1] != "0" else "1")
        self.assertEqual(self.numbers(unknown), [])

    # --- text ------------------------------------------------------------------------

    def test_two_character_word_finds_longer_chinese_name(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("冰箱"), [fridge.number])

    def test_single_chinese_character_finds_names_containing_it(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("灯"), [other.number])

    def test_distinctive_part_of_company_name_finds_it(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("海川建材"), [fridge.number])

    def test_full_company_name_finds_it(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("青岛海川建材股份有限公司"), [fridge.number])

    def test_chinese_text_that_occurs_nowhere_finds_nothing(self):
        self.index(self.fridge(), self.other())
        self.assertEqual(self.numbers("风力发电机组"), [])

    def test_model_number_ignores_case_and_hyphens(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        for typed in ("bcd470w", "BCD-470W", "bcd 470w", "Bcd/470-W"):
            with self.subTest(typed=typed):
                self.assertEqual(self.numbers(typed), [fridge.number])

    def test_beginning_of_model_number_finds_it(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("yz36"), [other.number])

    def test_digits_of_a_model_match_whole(self):
        board = self.other(product_models=["MU10 600×1200"])
        tile = self.other(product_models=["6001-12"])
        self.index(board, tile)
        self.assertEqual(self.numbers("600"), [board.number])
        self.assertEqual(self.numbers("600 1200"), [board.number])
        self.assertEqual(self.numbers("6001"), [tile.number])

    def test_english_singular_finds_plural_name(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("fluorescent lamp"), [other.number])

    def test_english_plural_finds_singular_name(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("Refrigerators"), [fridge.number])

    def test_english_word_with_a_typing_mistake_finds_it(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("refrigerater"), [fridge.number])

    def test_pinyin_finds_chinese_name(self):
        fridge, other = self.fridge(), self.other()
        self.index(fridge, other)
        self.assertEqual(self.numbers("bingxiang"), [fridge.number])
        self.assertEqual(self.numbers("mingyuan"), [other.number])

    def test_brand_and_product_narrow_the_answer(self):
        fridge = self.fridge()
        other_fridge = self.fridge(
            brand="冰峰",
            product_name="冰峰家用电冰箱",
            client=OrganisationFactory(name_zh="冰峰电器有限公司", name_en=""),
        )
        haichuan_lamp = self.other(brand="海川")
        self.index(fridge, other_fridge, haichuan_lamp)
        self.assertEqual(self.numbers("海川 冰箱"), [fridge.number])

    def test_brand_and_product_typed_together_narrow_the_answer(self):
        fridge = self.fridge()
        other_fridge = self.fridge(
            brand="冰峰",
            product_name="冰峰家用电冰箱",
            client=OrganisationFactory(name_zh="冰峰电器有限公司", name_en=""),
        )
        self.index(fridge, other_fridge, self.other(brand="海川"))
        self.assertEqual(self.numbers("海川冰箱"), [fridge.number])

    def test_every_word_must_match(self):
        self.index(self.fridge(), self.other())
        self.assertEqual(self.numbers("冰箱 荧光灯"), [])

    # --- filters and facets ----------------------------------------------------------

    def test_filter_by_category(self):
        category = ProductCategoryFactory()
        fridge, lamp = self.fridge(category=category), self.other()
        self.index(fridge, lamp)
        self.assertEqual(self.numbers(category=category.code), [fridge.number])

    def test_filter_by_product_group(self):
        group = ProductGroupFactory()
        fridge, lamp = self.fridge(category=ProductCategoryFactory(group=group)), self.other()
        self.index(fridge, lamp)
        self.assertEqual(self.numbers(group=group.number), [fridge.number])

    def test_filter_by_body(self):
        body = CertificationBodyFactory()
        fridge, lamp = self.fridge(body=body), self.other()
        self.index(fridge, lamp)
        self.assertEqual(self.numbers(body=body.code), [fridge.number])

    def test_filter_by_status(self):
        fridge, lamp = self.fridge(), self.other(status=Status.SUSPENDED)
        self.index(fridge, lamp)
        self.assertEqual(self.numbers(status="suspended"), [lamp.number])

    def test_filter_by_province(self):
        fridge, lamp = self.fridge(), self.other()
        self.index(fridge, lamp)
        self.assertEqual(self.numbers(region="370000"), [fridge.number])

    def test_filter_by_prefecture(self):
        fridge, lamp = self.fridge(), self.other()
        self.index(fridge, lamp)
        self.assertEqual(self.numbers(region="440100"), [lamp.number])

    def test_filters_combine_with_text(self):
        fridge = self.fridge()
        suspended = self.fridge(status=Status.SUSPENDED)
        self.index(fridge, suspended, self.other())
        self.assertEqual(self.numbers("冰箱", status="suspended"), [suspended.number])

    def test_facets_count_the_whole_result_not_the_page(self):
        category, body = ProductCategoryFactory(), CertificationBodyFactory()
        fridges = [self.fridge(category=category, body=body) for _ in range(3)]
        self.index(*fridges, self.other())
        results = self.search("冰箱", page_size=1)
        self.assertEqual(results.total, 3)
        self.assertEqual(results.facets["category"], [(category.code, 3)])
        self.assertEqual(results.facets["region"], [("370000", 3)])
        self.assertEqual(results.facets["status"], [("valid", 3)])
        self.assertEqual(results.facets["body"], [(body.code, 3)])

    def test_facets_without_text_count_everything_filtered(self):
        self.index(self.fridge(), self.other(), self.other(status=Status.REVOKED))
        results = self.search()
        self.assertEqual(results.total, 3)
        self.assertEqual(dict(results.facets["status"]), {"valid": 2, "revoked": 1})
        self.assertEqual(dict(results.facets["region"]), {"370000": 1, "440000": 2})

    def test_counts_without_text_follow_index_changes(self):
        fridge = self.fridge()
        self.index(fridge)
        self.assertEqual(self.search().total, 1)
        self.index(self.other())
        self.assertEqual(self.search().total, 2)
        self.engine.remove([fridge.number])
        self.assertEqual(dict(self.search().facets["region"]), {"440000": 1})

    # --- status ----------------------------------------------------------------------

    def test_valid_certificates_come_first(self):
        revoked = self.fridge(status=Status.REVOKED, issued_on=TODAY - datetime.timedelta(days=10))
        valid = self.fridge(issued_on=TODAY - datetime.timedelta(days=500))
        self.index(revoked, valid)
        self.assertEqual(self.numbers("冰箱"), [valid.number, revoked.number])
        self.assertEqual(self.numbers(), [valid.number, revoked.number])

    def test_valid_certificate_past_expiry_counts_as_expired(self):
        expired = self.fridge(expired=True)
        current = self.fridge()
        self.index(expired, current)
        self.assertEqual(self.numbers(status="expired"), [expired.number])
        self.assertEqual(self.numbers(status="valid"), [current.number])
        self.assertEqual(dict(self.search("冰箱").facets["status"]), {"valid": 1, "expired": 1})

    def test_expired_by_date_comes_after_valid(self):
        expired = self.fridge(expired=True, issued_on=TODAY - datetime.timedelta(days=3 * 365 + 1))
        current = self.fridge(issued_on=TODAY - datetime.timedelta(days=900))
        self.index(expired, current)
        self.assertEqual(self.numbers("冰箱"), [current.number, expired.number])

    # --- pages, highlight, autocomplete ------------------------------------------------

    def test_pages_split_the_results(self):
        fridges = [self.fridge(issued_on=TODAY - datetime.timedelta(days=day)) for day in range(5)]
        self.index(*fridges)
        first = self.search("冰箱", page_size=2)
        third = self.search("冰箱", page=3, page_size=2)
        self.assertEqual(first.total, 5)
        self.assertEqual(len(first.hits), 2)
        self.assertEqual(len(third.hits), 1)
        every = self.numbers("冰箱", page_size=5)
        self.assertEqual(first.numbers + self.numbers("冰箱", page=2, page_size=2) + third.numbers, every)

    def test_highlight_marks_the_matched_text(self):
        fridge = self.fridge()
        self.index(fridge)
        hit = self.search("冰箱 bcd470w").hits[0]
        self.assertEqual(hit.highlight["product_name"], ["海川变频节能家用电<mark>冰箱</mark>"])
        self.assertEqual(hit.highlight["models"], ["<mark>BCD-470W</mark>"])

    def test_highlight_escapes_html(self):
        fridge = self.fridge(product_name_en="Fridge <b>&</b> freezer")
        self.index(fridge)
        hit = self.search("freezer").hits[0]
        self.assertEqual(hit.highlight["product_name_en"], ["Fridge &lt;b&gt;&amp;&lt;/b&gt; <mark>freezer</mark>"])

    def test_autocomplete_suggests_names_that_begin_with_the_prefix(self):
        self.index(self.fridge(), self.other())
        self.assertIn("海川变频节能家用电冰箱", self.engine.autocomplete("海川"))
        self.assertIn("Energy-saving fluorescent lamps", self.engine.autocomplete("fluor"))

    def test_autocomplete_suggests_names_with_the_word_inside_a_longer_one(self):
        self.index(self.fridge())
        self.assertIn("海川变频节能家用电冰箱", self.engine.autocomplete("冰箱"))
        self.assertIn("海川变频节能家用电冰箱", self.engine.autocomplete("电冰箱"))

    def test_autocomplete_suggests_model_numbers_typed_without_hyphen(self):
        self.index(self.fridge())
        self.assertIn("BCD-470W", self.engine.autocomplete("bcd47"))

    def test_autocomplete_respects_the_limit(self):
        self.index(*[self.fridge(product_name=f"海川冰箱{n}") for n in range(5)])
        self.assertEqual(len(self.engine.autocomplete("海川冰箱", limit=3)), 3)

    # --- keeping the index up to date ----------------------------------------------------

    def test_saved_certificate_is_indexed_on_commit(self):
        with self.captureOnCommitCallbacks(execute=True):
            fridge = self.fridge()
            self.assertEqual(self.numbers("冰箱"), [])
        self.assertEqual(self.numbers("冰箱"), [fridge.number])

    def test_rolled_back_transaction_indexes_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    self.fridge()
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
        self.assertEqual(self.numbers("冰箱"), [])
        self.assertEqual(self.engine.count(), 0)

    def test_change_after_a_rolled_back_block_is_still_indexed(self):
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    self.other()
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
            fridge = self.fridge()
        self.assertEqual(self.numbers(), [fridge.number])

    def test_changes_of_one_transaction_are_indexed_together(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks, transaction.atomic():
            self.fridge()
            self.fridge()
            self.other()
        index_flushes = [callback for callback in callbacks if callback.__module__ == "lookup.engines.indexing"]
        self.assertEqual(len(index_flushes), 1)
        self.assertEqual(self.engine.count(), 3)

    def test_updated_certificate_is_reindexed(self):
        fridge = self.committed(self.fridge)
        with self.captureOnCommitCallbacks(execute=True):
            fridge.product_name = "海川家用电热水器"
            fridge.save()
        self.assertEqual(self.numbers("冰箱"), [])
        self.assertEqual(self.numbers("热水器"), [fridge.number])

    def test_deleted_certificate_is_removed(self):
        fridge = self.committed(self.fridge)
        with self.captureOnCommitCallbacks(execute=True):
            fridge.delete()
        self.assertEqual(self.numbers("冰箱"), [])
        self.assertEqual(self.engine.count(), 0)

    def test_renamed_organisation_reindexes_its_certificates(self):
        fridge = self.committed(self.fridge)
        with self.captureOnCommitCallbacks(execute=True):
            fridge.client.name_zh = "青岛澜海电器有限公司"
            fridge.client.save()
        self.assertEqual(self.numbers("澜海"), [fridge.number])
        self.assertEqual(self.numbers("海川建材"), [])

    def test_status_change_is_reflected_in_filters(self):
        fridge = self.committed(self.fridge)
        with self.captureOnCommitCallbacks(execute=True):
            fridge.status = Status.SUSPENDED
            fridge.save()
        self.assertEqual(self.numbers(status="suspended"), [fridge.number])
        self.assertEqual(self.numbers(status="valid"), [])

    def test_remove_drops_documents(self):
        fridge, lamp = self.fridge(), self.other()
        self.index(fridge, lamp)
        self.engine.remove([fridge.number, "G2024001011000000"])
        self.assertEqual(self.numbers(), [lamp.number])
        self.assertEqual(self.engine.autocomplete("海川变频"), [])

    def test_indexing_again_replaces_the_document(self):
        fridge = self.fridge()
        self.index(fridge)
        Certificate.objects.filter(pk=fridge.pk).update(product_name="海川电热水器")
        self.index(fridge)
        self.assertEqual(self.engine.count(), 1)
        self.assertEqual(self.numbers("热水器"), [fridge.number])
        self.assertEqual(self.numbers("冰箱"), [])

    def test_rebuild_indexes_the_database(self):
        fridge, lamp = self.fridge(), self.other()
        progress = []
        self.assertEqual(self.engine.rebuild(progress=lambda done, total: progress.append((done, total))), 2)
        self.assertEqual(self.numbers("冰箱"), [fridge.number])
        self.assertEqual(self.numbers("灯"), [lamp.number])
        self.assertEqual(progress[-1], (2, 2))

    def test_rebuilt_index_answers_like_the_incrementally_built_one(self):
        fridges = [self.fridge(), self.fridge(status=Status.REVOKED), self.fridge(expired=True)]
        lamp = self.other()
        self.index(*fridges, lamp)
        questions = [
            ("冰箱", {}),
            ("冰箱", {"status": "valid"}),
            ("海川", {"region": "370000"}),
            ("refrigerators", {}),
            ("bcd470w", {}),
            ("", {}),
            ("", {"status": "expired"}),
            (lamp.number, {}),
        ]

        def answers():
            return [
                (results.numbers, results.total, results.facets, [hit.highlight for hit in results.hits])
                for results in (self.search(q, **filters) for q, filters in questions)
            ] + [self.engine.autocomplete("海川"), self.engine.autocomplete("bcd")]

        incremental = answers()
        self.engine.rebuild()
        self.assertEqual(answers(), incremental)

    def test_facets_follow_filters_and_effective_status(self):
        expired = self.fridge(expired=True)
        current = self.fridge()
        self.index(expired, current, self.other())
        found = self.search("冰箱", status="expired")
        self.assertEqual((found.numbers, found.total), ([expired.number], 1))
        self.assertEqual(dict(found.facets["status"]), {"expired": 1})
        browsed = self.search(status="valid")
        self.assertEqual(dict(browsed.facets["status"]), {"valid": 2})
        self.assertEqual(browsed.total, 2)

    def test_page_past_the_end_keeps_the_total(self):
        self.index(self.fridge(), self.fridge())
        results = self.search("冰箱", page=3, page_size=1)
        self.assertEqual((results.numbers, results.total), ([], 2))
        self.assertEqual(dict(results.facets["status"]), {"valid": 2})

    def test_rebuild_keeps_search_answering(self):
        fridge = self.fridge()
        self.index(fridge)
        self.other()
        answers = []

        def search_while_rebuilding(done, total):
            thread = threading.Thread(target=lambda: answers.append(self.numbers("冰箱")))
            thread.start()
            thread.join()

        self.engine.rebuild(progress=search_while_rebuilding)
        self.assertTrue(answers)
        self.assertTrue(all(answer == [fridge.number] for answer in answers))
        self.assertEqual(self.engine.count(), 2)

    def test_health_reports_the_document_count(self):
        self.index(self.fridge())
        health = self.engine.health()
        self.assertTrue(health.ok)
        self.assertEqual(health.documents, 1)
