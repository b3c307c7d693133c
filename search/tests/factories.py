"""Page trees and documents for the site search tests, built on wagtail_factories."""

import factory
import wagtail_factories

from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from cms.models import AdoptionIndexPage, ArticlePage, HomePage, SiteDocument


class HomePageFactory(wagtail_factories.PageFactory):
    title = "首页"
    hero_title = "欢迎"
    slug = factory.Sequence(lambda n: f"home-{n}")

    class Meta:
        model = HomePage


class SectionPageFactory(wagtail_factories.PageFactory):
    title = "栏目"
    slug = factory.Sequence(lambda n: f"section-{n}")

    class Meta:
        model = AdoptionIndexPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")

    class Meta:
        model = ArticlePage

    class Params:
        text = ""

    @factory.lazy_attribute
    def body(self):
        return [("paragraph", RichText(f"<p>{self.text}</p>"))] if self.text else []


class SiteDocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Document {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.FileField(filename="document.pdf", data=b"%PDF-1.4 test")

    class Meta:
        model = SiteDocument


def build_site():
    """The Chinese home page as the default site's root, its English translation, and
    one section under each. Returns ``{"zh-hans": section, "en": section}``."""
    zh_locale = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en_locale = Locale.objects.get_or_create(language_code="en")[0]
    zh_home = HomePageFactory(parent=Page.get_first_root_node(), locale=zh_locale)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": zh_home}
    )
    en_home = zh_home.copy_for_translation(en_locale)
    en_home.title = "Home"
    en_home.hero_title = "Welcome"
    en_home.save_revision().publish()
    return {
        "zh-hans": SectionPageFactory(parent=zh_home),
        "en": SectionPageFactory(parent=en_home, title="Section"),
    }
