"""The listings' filter form: one labelled <select> a filter, the reader's choice kept
selected, and a link that clears the filters only once one is applied."""

import pytest

from django.test import Client

from lookup.tests.factories import ProductCategoryFactory, SpotCheckFactory

from .factories import home_page, page_chain


@pytest.fixture
def spot_checks(db):
    index = page_chain("SpotCheckIndexPage", home_page())
    category = ProductCategoryFactory()
    SpotCheckFactory(year=2023, result="fail", category=category)
    SpotCheckFactory(year=2024, result="pass", category=category)
    return index, category


def get(page, **query):
    return Client().get(page.url, query, HTTP_HOST="localhost").text


def test_each_filter_is_a_labelled_select_offering_all_and_its_options(spot_checks):
    index, category = spot_checks
    text = get(index)

    assert '<label for="filter-year">年度</label>' in text
    assert '<select id="filter-year" name="year">' in text
    assert '<option value="">全部</option>' in text
    assert '<option value="2024">2024</option>' in text
    assert '<option value="fail">' in text
    assert f'<option value="{category.code}">{category.code} {category.name_zh}</option>' in text


def test_the_chosen_year_stays_selected_and_can_be_cleared(spot_checks):
    index, _category = spot_checks
    text = get(index, year=2023)

    assert '<option value="2023" selected>2023</option>' in text
    assert '<option value="2024">2024</option>' in text
    assert f'<a href="{index.url}">清除</a>' in text


def test_no_clear_link_before_a_filter_is_applied(spot_checks):
    index, _category = spot_checks
    text = get(index, year="1999")

    assert " selected>" not in text
    assert "清除" not in text
