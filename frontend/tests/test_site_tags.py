import pytest

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from frontend.templatetags.site_tags import bcp47, breadcrumbs, language_links
from frontend.tests.factories import build_bilingual_tree


@pytest.fixture
def tree(db):
    return build_bilingual_tree()


def links_for(page, path, language):
    request = RequestFactory().get(path)
    with translation.override(language):
        return {link["code"]: link for link in language_links({"request": request, "page": page})}


def render_base(page, path, language):
    request = RequestFactory().get(path)
    with translation.override(language):
        return render_to_string("base.html", {"page": page, "request": request}, request=request)


def test_bcp47_writes_simplified_chinese_with_its_script_subtag():
    assert bcp47("zh-hans") == "zh-Hans"
    assert bcp47("en") == "en"


def test_language_link_leads_to_the_english_translation_of_a_chinese_page(tree):
    links = links_for(tree.about, "/zh-hans/about/", "zh-hans")
    assert links["en"]["url"] == "/en/about/"
    assert links["en"]["missing"] is False


def test_language_link_leads_back_to_the_chinese_original_of_an_english_page(tree):
    links = links_for(tree.about_en, "/en/about/", "en")
    assert links["zh-hans"]["url"] == "/zh-hans/about/"
    assert links["en"]["current"] is True


def test_language_link_for_an_untranslated_page_is_marked_missing_and_leads_to_the_other_home(tree):
    links = links_for(tree.news, "/zh-hans/news/", "zh-hans")
    assert links["en"]["missing"] is True
    assert links["en"]["url"] == "/en/"


def test_language_link_ignores_a_translation_that_is_not_live(tree):
    tree.about_en.unpublish()
    links = links_for(tree.about, "/zh-hans/about/", "zh-hans")
    assert links["en"]["missing"] is True


def test_language_link_on_a_view_without_a_page_swaps_the_language_prefix(db):
    links = links_for(None, "/zh-hans/search/?q=%E7%BB%BF", "zh-hans")
    assert links["en"]["url"] == "/en/search/?q=%E7%BB%BF"


def test_breadcrumbs_run_from_the_home_page_to_the_parent(tree):
    assert breadcrumbs({"page": tree.about_en}) == [tree.home_en]


def test_breadcrumbs_are_empty_on_the_home_page(tree):
    assert breadcrumbs({"page": tree.home}) == []


def test_base_template_declares_simplified_chinese_as_zh_hans(tree):
    html = render_base(tree.about, "/zh-hans/about/", "zh-hans")
    assert '<html lang="zh-Hans">' in html
    assert '<meta property="og:locale" content="zh_CN">' in html


def test_base_template_declares_english_as_en(tree):
    html = render_base(tree.about_en, "/en/about/", "en")
    assert '<html lang="en">' in html
    assert '<meta property="og:locale" content="en_GB">' in html


def test_base_template_lists_both_translations_as_hreflang_alternates(tree):
    html = render_base(tree.about, "/zh-hans/about/", "zh-hans")
    assert '<link rel="alternate" hreflang="zh-Hans" href="http://testserver/zh-hans/about/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/about/">' in html


def test_base_template_leaves_out_the_alternate_of_a_missing_translation(tree):
    html = render_base(tree.news, "/zh-hans/news/", "zh-hans")
    assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/news/"' in html
    assert '<link rel="alternate" hreflang="en"' not in html


def test_base_template_says_when_the_other_language_has_no_translation(tree):
    html = render_base(tree.news, "/zh-hans/news/", "zh-hans")
    with translation.override("zh-hans"):
        note = gettext("(this page is not translated yet)")
    assert '<a href="/en/" hreflang="en" data-missing-translation>' in html
    assert note in html


def test_base_template_uses_the_search_description_for_meta_and_open_graph(tree):
    tree.about.search_description = "Who certifies green products"
    html = render_base(tree.about, "/zh-hans/about/", "zh-hans")
    assert '<meta name="description" content="Who certifies green products">' in html
    assert '<meta property="og:description" content="Who certifies green products">' in html
    assert '<meta property="og:title" content="关于认证">' in html
    assert '<meta property="og:url" content="http://testserver/zh-hans/about/">' in html


def test_base_template_shows_breadcrumbs_with_the_current_page_last(tree):
    html = render_base(tree.about, "/zh-hans/about/", "zh-hans")
    assert '<li><a href="/zh-hans/">首页</a></li>' in html
    assert '<li aria-current="page">关于认证</li>' in html
