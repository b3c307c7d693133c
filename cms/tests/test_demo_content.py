"""load_demo_content builds the whole tree in Chinese and English once, and a second
run changes nothing."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from wagtail.models import Page, Site
from wagtail_localize.models import StringTranslation, Translation

from cms import models
from lookup.models import BlacklistEntry, SpotCheck


def load():
    output = StringIO()
    call_command("load_demo_content", "--no-certificates", stdout=output)
    return output.getvalue()


class LoadDemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first_output = load()
        cls.counts_after_first_run = cls.counts()
        cls.second_output = load()

    @staticmethod
    def counts():
        return {
            "pages": Page.objects.count(),
            "documents": models.SiteDocument.objects.count(),
            "spot checks": SpotCheck.objects.count(),
            "blacklist entries": BlacklistEntry.objects.count(),
            "translations": Translation.objects.count(),
        }

    def test_second_run_changes_nothing(self):
        self.assertEqual(self.counts(), self.counts_after_first_run)
        self.assertIn("Pages created: 0;", self.second_output)

    def test_default_site_root_is_the_chinese_home_page(self):
        root = Site.objects.get(is_default_site=True).root_page.specific
        self.assertIsInstance(root, models.HomePage)
        self.assertEqual(root.locale.language_code, "zh-hans")

    def test_home_page_has_the_five_sections(self):
        home = Site.objects.get(is_default_site=True).root_page
        section_types = {type(page) for page in home.get_children().specific()}
        self.assertEqual(
            section_types,
            {
                models.PolicyIndexPage,
                models.AdoptionIndexPage,
                models.InformationIndexPage,
                models.SupervisionIndexPage,
                models.NewsIndexPage,
            },
        )

    def test_every_chinese_page_has_a_live_english_translation_with_the_same_key(self):
        chinese = Page.objects.filter(locale__language_code="zh-hans", depth__gte=2)
        english = Page.objects.filter(locale__language_code="en", depth__gte=2).live()
        self.assertGreater(chinese.count(), 40)
        self.assertEqual(
            set(chinese.values_list("translation_key", flat=True)),
            set(english.values_list("translation_key", flat=True)),
        )

    def test_english_pages_are_wagtail_localize_translations_with_english_text(self):
        standard = models.StandardPage.objects.get(locale__language_code="zh-hans", number="GB/T 35601-2017")
        english = standard.get_translations().get(locale__language_code="en").specific
        translation = Translation.objects.get(
            source__object_id=standard.translation_key, target_locale__language_code="en"
        )
        self.assertTrue(translation.enabled)
        self.assertEqual(english.title, "Green product assessment: Wood-based panels and wood flooring")
        self.assertEqual(english.number, standard.number)

    def test_builds_standards_from_the_product_category_list(self):
        numbers = set(models.StandardPage.objects.values_list("number", flat=True))
        self.assertLessEqual({"GB/T 35601-2017", "GB/T 35602-2017", "GB/T 37866-2019", "GB/T 39084-2020"}, numbers)
        self.assertGreaterEqual(
            models.ImplementationRulePage.objects.filter(locale__language_code="zh-hans").count(), 2
        )

    def test_standard_pages_link_their_product_category_and_pdf(self):
        standard = models.StandardPage.objects.get(locale__language_code="zh-hans", number="GB/T 35601-2017")
        self.assertEqual(list(standard.product_categories.values_list("code", flat=True)), ["101"])
        self.assertTrue(standard.document.file.read(5) == b"%PDF-")

    def test_supervision_records_are_created(self):
        self.assertGreater(SpotCheck.objects.count(), 25)
        self.assertTrue(BlacklistEntry.objects.exists())

    def test_no_user_account_is_created(self):
        self.assertFalse(get_user_model().objects.exists())
        self.assertIn("createsuperuser", self.first_output)

    def test_english_site_serves_the_translated_tree(self):
        response = self.client.get("/en/adoption/standards/gb-t-35601-2017/", HTTP_HOST="localhost")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Green product assessment: Wood-based panels and wood flooring")
        self.assertContains(response, "GB/T 35601-2017")

    def test_translation_strings_are_in_the_translation_memory(self):
        self.assertTrue(
            StringTranslation.objects.filter(locale__language_code="en", data="Policy and regulations").exists()
        )

    def test_english_page_opens_in_the_translation_editor(self):
        self.client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.com", "x" * 12))
        english = models.PolicyIndexPage.objects.get(locale__language_code="en")

        response = self.client.get(f"/admin/pages/{english.pk}/edit/")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "js-translation-editor")

    def test_translation_can_be_downloaded_as_a_po_file(self):
        self.client.force_login(get_user_model().objects.create_superuser("editor", "editor@example.com", "x" * 12))
        chinese = models.PolicyIndexPage.objects.get(locale__language_code="zh-hans")
        translation = Translation.objects.get(
            source__object_id=chinese.translation_key, target_locale__language_code="en"
        )

        response = self.client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))

        self.assertEqual(response.status_code, 200)
        self.assertIn('msgid "政策法规"', response.content.decode())
        self.assertIn('msgstr "Policy and regulations"', response.content.decode())
