from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms import models

SECTIONS = {
    models.PolicyIndexPage,
    models.AdoptionIndexPage,
    models.InformationIndexPage,
    models.SupervisionIndexPage,
    models.NewsIndexPage,
}


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_is_created_at_the_root(self):
        self.assertCanCreateAt(Page, models.HomePage)
        self.assertAllowedParentPageTypes(models.HomePage, {Page})

    def test_home_page_holds_the_five_sections_and_articles(self):
        self.assertAllowedSubpageTypes(models.HomePage, SECTIONS | {models.ArticlePage})

    def test_each_section_lives_only_under_the_home_page(self):
        for section in SECTIONS:
            with self.subTest(section=section.__name__):
                self.assertAllowedParentPageTypes(section, {models.HomePage})
                self.assertCanNotCreateAt(Page, section)

    def test_policy_index_holds_policies_and_articles(self):
        self.assertAllowedSubpageTypes(models.PolicyIndexPage, {models.PolicyPage, models.ArticlePage})
        self.assertAllowedParentPageTypes(models.PolicyPage, {models.PolicyIndexPage})

    def test_adoption_holds_standard_and_rule_indexes_and_articles(self):
        self.assertAllowedSubpageTypes(
            models.AdoptionIndexPage,
            {models.StandardIndexPage, models.ImplementationRuleIndexPage, models.ArticlePage},
        )

    def test_standards_and_rules_live_only_in_their_index(self):
        self.assertAllowedSubpageTypes(models.StandardIndexPage, {models.StandardPage})
        self.assertAllowedParentPageTypes(models.StandardPage, {models.StandardIndexPage})
        self.assertAllowedSubpageTypes(models.ImplementationRuleIndexPage, {models.ImplementationRulePage})
        self.assertAllowedParentPageTypes(models.ImplementationRulePage, {models.ImplementationRuleIndexPage})
        self.assertCanNotCreateAt(models.ImplementationRuleIndexPage, models.StandardPage)

    def test_information_release_holds_its_four_registry_pages_and_articles(self):
        self.assertAllowedSubpageTypes(
            models.InformationIndexPage,
            {
                models.MarkPage,
                models.ProductCatalogPage,
                models.CertificationBodyDirectoryPage,
                models.CertificationResultsPage,
                models.ArticlePage,
            },
        )

    def test_market_supervision_holds_spot_checks_blacklist_and_articles(self):
        self.assertAllowedSubpageTypes(
            models.SupervisionIndexPage, {models.SpotCheckIndexPage, models.BlacklistPage, models.ArticlePage}
        )
        self.assertAllowedSubpageTypes(models.SpotCheckIndexPage, {models.SpotCheckNoticePage})

    def test_news_index_holds_only_news(self):
        self.assertAllowedSubpageTypes(models.NewsIndexPage, {models.NewsPage})
        self.assertCanNotCreateAt(models.NewsIndexPage, models.ArticlePage)

    def test_leaf_pages_have_no_children(self):
        leaves = [
            models.PolicyPage,
            models.StandardPage,
            models.ImplementationRulePage,
            models.ArticlePage,
            models.MarkPage,
            models.ProductCatalogPage,
            models.CertificationBodyDirectoryPage,
            models.CertificationResultsPage,
            models.SpotCheckNoticePage,
            models.BlacklistPage,
            models.NewsPage,
        ]
        for leaf in leaves:
            with self.subTest(page_type=leaf.__name__):
                self.assertAllowedSubpageTypes(leaf, set())
