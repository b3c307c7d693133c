"""Page factories for the cms tests, on wagtail_factories, and helpers that build a
site: the Chinese home page as the default site's root and English translations."""

import datetime

import factory
import wagtail_factories

from wagtail.models import Locale, Page, Site

from cms import models

ZH = "zh-hans"
EN = "en"


def locales():
    return (
        Locale.objects.get_or_create(language_code=ZH)[0],
        Locale.objects.get_or_create(language_code=EN)[0],
    )


class SitePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"页面{n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    intro = "简介"

    class Meta:
        abstract = True


class HomePageFactory(SitePageFactory):
    title = "首页"
    hero_title = "绿色产品标识与认证"

    class Meta:
        model = models.HomePage


class PolicyIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.PolicyIndexPage


class PolicyPageFactory(SitePageFactory):
    document_number = factory.Sequence(lambda n: f"国市监认证〔2024〕{n}号")
    issuing_authority = "国家市场监督管理总局"
    issued_on = datetime.date(2024, 1, 1)
    status = models.PolicyStatus.IN_FORCE

    class Meta:
        model = models.PolicyPage


class AdoptionIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.AdoptionIndexPage


class ArticlePageFactory(SitePageFactory):
    class Meta:
        model = models.ArticlePage


class StandardIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.StandardIndexPage


class StandardPageFactory(SitePageFactory):
    number = factory.Sequence(lambda n: f"GB/T {35600 + n}-2017")
    issued_on = datetime.date(2017, 12, 8)
    status = models.RecordStatus.CURRENT

    class Meta:
        model = models.StandardPage


class ImplementationRuleIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.ImplementationRuleIndexPage


class ImplementationRulePageFactory(SitePageFactory):
    rule_code = factory.Sequence(lambda n: f"CNCA-CGP-{n:02d}:2019")
    issued_on = datetime.date(2019, 3, 20)
    status = models.RecordStatus.CURRENT

    class Meta:
        model = models.ImplementationRulePage


class InformationIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.InformationIndexPage


class MarkPageFactory(SitePageFactory):
    class Meta:
        model = models.MarkPage


class ProductCatalogPageFactory(SitePageFactory):
    class Meta:
        model = models.ProductCatalogPage


class CertificationBodyDirectoryPageFactory(SitePageFactory):
    class Meta:
        model = models.CertificationBodyDirectoryPage


class CertificationResultsPageFactory(SitePageFactory):
    class Meta:
        model = models.CertificationResultsPage


class SupervisionIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.SupervisionIndexPage


class SpotCheckIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.SpotCheckIndexPage


class SpotCheckNoticePageFactory(SitePageFactory):
    date = datetime.date(2024, 3, 18)

    class Meta:
        model = models.SpotCheckNoticePage


class BlacklistPageFactory(SitePageFactory):
    class Meta:
        model = models.BlacklistPage


class NewsIndexPageFactory(SitePageFactory):
    class Meta:
        model = models.NewsIndexPage


class NewsPageFactory(SitePageFactory):
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    category = models.NewsCategory.NEWS

    class Meta:
        model = models.NewsPage


# Each page type with the factories of its ancestors below the home page, in order.
CHAINS = {
    "HomePage": [],
    "PolicyIndexPage": [PolicyIndexPageFactory],
    "PolicyPage": [PolicyIndexPageFactory, PolicyPageFactory],
    "AdoptionIndexPage": [AdoptionIndexPageFactory],
    "ArticlePage": [AdoptionIndexPageFactory, ArticlePageFactory],
    "StandardIndexPage": [AdoptionIndexPageFactory, StandardIndexPageFactory],
    "StandardPage": [AdoptionIndexPageFactory, StandardIndexPageFactory, StandardPageFactory],
    "ImplementationRuleIndexPage": [AdoptionIndexPageFactory, ImplementationRuleIndexPageFactory],
    "ImplementationRulePage": [
        AdoptionIndexPageFactory,
        ImplementationRuleIndexPageFactory,
        ImplementationRulePageFactory,
    ],
    "InformationIndexPage": [InformationIndexPageFactory],
    "MarkPage": [InformationIndexPageFactory, MarkPageFactory],
    "ProductCatalogPage": [InformationIndexPageFactory, ProductCatalogPageFactory],
    "CertificationBodyDirectoryPage": [InformationIndexPageFactory, CertificationBodyDirectoryPageFactory],
    "CertificationResultsPage": [InformationIndexPageFactory, CertificationResultsPageFactory],
    "SupervisionIndexPage": [SupervisionIndexPageFactory],
    "SpotCheckIndexPage": [SupervisionIndexPageFactory, SpotCheckIndexPageFactory],
    "SpotCheckNoticePage": [SupervisionIndexPageFactory, SpotCheckIndexPageFactory, SpotCheckNoticePageFactory],
    "BlacklistPage": [SupervisionIndexPageFactory, BlacklistPageFactory],
    "NewsIndexPage": [NewsIndexPageFactory],
    "NewsPage": [NewsIndexPageFactory, NewsPageFactory],
}


def home_page():
    """A Chinese home page as the root of the default site."""
    zh, _en = locales()
    home = HomePageFactory(parent=Page.get_first_root_node(), locale=zh, slug="home-zh")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def translate(page, **english):
    """Publish an English translation of ``page`` (its parent must be translated)."""
    _zh, en = locales()
    translated = page.copy_for_translation(en)
    for name, value in english.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated


def page_chain(name, parent):
    """Pages down to one of type ``name`` under ``parent``; returns the last."""
    page = parent
    for page_factory in CHAINS[name]:
        page = page_factory(parent=page)
    return page


def bilingual_page(name):
    """A page of type ``name`` with its ancestors, in Chinese and in English.
    Returns ``(chinese page, english page)``."""
    chinese = home_page()
    english = translate(chinese, title="Home", hero_title="Green product certification")
    for page_factory in CHAINS[name]:
        chinese = page_factory(parent=chinese)
        english = translate(chinese, title=f"English {chinese.title}")
    return chinese, english
