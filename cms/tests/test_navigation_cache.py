"""The main navigation is worked out once per tree revision (cms.navigation)."""

from django.test import RequestFactory
from django.utils import translation

from cms.navigation import navigation

from .factories import NewsIndexPageFactory, PolicyIndexPageFactory, home_page, translate


def nav_titles(language="zh-hans"):
    request = RequestFactory().get(f"/{language}/", HTTP_HOST="localhost")
    with translation.override(language):
        return [section.title for section in navigation(request).sections]


def test_a_repeated_navigation_needs_no_database(db, django_assert_num_queries):
    PolicyIndexPageFactory(parent=home_page(), title="政策法规")
    nav_titles()

    with django_assert_num_queries(0):
        assert nav_titles() == ["政策法规"]


def test_a_new_section_is_in_the_navigation_at_once(db):
    home = home_page()
    PolicyIndexPageFactory(parent=home, title="政策法规")
    assert nav_titles() == ["政策法规"]

    NewsIndexPageFactory(parent=home, title="技术交流")

    assert nav_titles() == ["政策法规", "技术交流"]


def test_an_unpublished_or_renamed_section_changes_the_navigation_at_once(db):
    home = home_page()
    policy = PolicyIndexPageFactory(parent=home, title="政策法规")
    news = NewsIndexPageFactory(parent=home, title="技术交流")
    assert nav_titles() == ["政策法规", "技术交流"]

    news.unpublish()
    policy.title = "政策"
    policy.save_revision().publish()

    assert nav_titles() == ["政策"]


def test_each_language_has_its_own_navigation(db):
    home = home_page()
    policy = PolicyIndexPageFactory(parent=home, title="政策法规")
    nav_titles()
    translate(home, title="Home")
    translate(policy, title="Policy and regulations")

    assert nav_titles("en") == ["Policy and regulations"]
    assert nav_titles() == ["政策法规"]
