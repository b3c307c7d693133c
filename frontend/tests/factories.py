"""A small bilingual page tree built with wagtail_factories, for the shell's tests."""

from dataclasses import dataclass

import wagtail_factories

from wagtail.models import Locale, Page, Site


@dataclass
class BilingualTree:
    home: Page
    home_en: Page
    about: Page
    about_en: Page
    news: Page


def publish_translation(page, language_code, title=None):
    """Copy ``page`` into ``language_code`` as Wagtail's translate action does, and publish it."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    translated = page.copy_for_translation(locale)
    if title:
        translated.title = title
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated


def build_bilingual_tree():
    """Chinese home with an English translation; "about" translated, "news" Chinese only."""
    home = wagtail_factories.PageFactory(parent=Page.get_first_root_node(), title="首页", slug="shouye")
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    about = wagtail_factories.PageFactory(parent=home, title="关于认证", slug="about")
    news = wagtail_factories.PageFactory(parent=home, title="新闻", slug="news")
    home_en = publish_translation(home, "en", title="Home")
    about_en = publish_translation(about, "en", title="About certification")
    return BilingualTree(home=home, home_en=home_en, about=about, about_en=about_en, news=news)
