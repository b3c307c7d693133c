from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation

from .factories import (
    NewsIndexPageFactory,
    PolicyIndexPageFactory,
    PolicyPageFactory,
    home_page,
    translate,
)

NAV_TITLES = Template(
    "{% load cms_tags %}{% main_nav_sections as nav %}"
    "{% for s in nav.sections %}{{ s.page.title }}{% if s.active %}*{% endif %}|{% endfor %}"
)


def render_nav(page=None, path="/zh-hans/", language="zh-hans"):
    request = RequestFactory().get(path, HTTP_HOST="localhost")
    with translation.override(language):
        return NAV_TITLES.render(Context({"request": request, "page": page}))


def test_main_nav_lists_the_live_sections_of_the_chinese_home_page(db):
    home = home_page()
    PolicyIndexPageFactory(parent=home, title="政策法规")
    NewsIndexPageFactory(parent=home, title="技术交流")

    assert render_nav() == "政策法规|技术交流|"


def test_main_nav_lists_the_english_sections_on_english_pages(db):
    home = home_page()
    policy = PolicyIndexPageFactory(parent=home, title="政策法规")
    translate(home, title="Home")
    translate(policy, title="Policy and regulations")

    assert render_nav(path="/en/", language="en") == "Policy and regulations|"


def test_main_nav_marks_the_section_of_the_current_page(db):
    home = home_page()
    policy = PolicyIndexPageFactory(parent=home, title="政策法规")
    NewsIndexPageFactory(parent=home, title="技术交流")
    notice = PolicyPageFactory(parent=policy)

    assert render_nav(page=notice) == "政策法规*|技术交流|"


def test_main_nav_leaves_out_unpublished_sections(db):
    home = home_page()
    PolicyIndexPageFactory(parent=home, title="政策法规")
    draft = NewsIndexPageFactory(parent=home, title="技术交流")
    draft.unpublish()

    assert render_nav() == "政策法规|"


def test_site_header_links_search_and_lookup_in_the_reader_language(db):
    home = home_page()
    PolicyIndexPageFactory(parent=home, title="政策法规")

    response = Client().get(home.url, HTTP_HOST="localhost")

    assert 'href="/zh-hans/lookup/"' in response.text
    assert 'href="/zh-hans/search/"' in response.text
    assert "政策法规</a>" in response.text
