"""Listings paginate on ?page= and filter on plain GET parameters."""

import datetime

import pytest

from django.test import Client

from cms import models
from lookup.models import Status
from lookup.tests.factories import (
    BlacklistEntryFactory,
    CertificateFactory,
    CertificationBodyFactory,
    ProductCategoryFactory,
    SpotCheckFactory,
)

from .factories import (
    NewsPageFactory,
    PolicyPageFactory,
    SpotCheckNoticePageFactory,
    StandardPageFactory,
    home_page,
    page_chain,
)

TODAY = datetime.date.today()


def get(listing, **query):
    return Client().get(listing.url, query, HTTP_HOST="localhost")


@pytest.fixture
def home(db):
    return home_page()


def test_policy_index_paginates_ten_to_a_page(home):
    index = page_chain("PolicyIndexPage", home)
    for _ in range(11):
        PolicyPageFactory(parent=index)

    first, second = get(index), get(index, page=2)

    assert len(first.context["policies"]) == 10
    assert len(second.context["policies"]) == 1
    assert 'href="?page=2"' in first.text


def test_policy_index_filters_by_status(home):
    index = page_chain("PolicyIndexPage", home)
    in_force = PolicyPageFactory(parent=index, status=models.PolicyStatus.IN_FORCE)
    repealed = PolicyPageFactory(parent=index, status=models.PolicyStatus.REPEALED)

    response = get(index, status="repealed")

    assert [policy.pk for policy in response.context["policies"]] == [repealed.pk]
    assert in_force.title not in response.text


def test_unknown_filter_value_is_ignored(home):
    index = page_chain("PolicyIndexPage", home)
    PolicyPageFactory.create_batch(2, parent=index)

    response = get(index, status="<script>")

    assert response.status_code == 200
    assert len(response.context["policies"]) == 2


def test_page_number_out_of_range_shows_the_last_page(home):
    index = page_chain("PolicyIndexPage", home)
    PolicyPageFactory.create_batch(3, parent=index)

    response = get(index, page=99)

    assert response.context["policies"].number == 1


def test_standard_index_filters_by_product_category(home):
    index = page_chain("StandardIndexPage", home)
    panels, coatings = ProductCategoryFactory(), ProductCategoryFactory()
    panel_standard = StandardPageFactory(parent=index)
    panel_standard.product_categories.set([panels])
    panel_standard.save_revision().publish()
    coating_standard = StandardPageFactory(parent=index)
    coating_standard.product_categories.set([coatings])
    coating_standard.save_revision().publish()

    response = get(index, category=panels.code)

    assert [record.pk for record in response.context["records"]] == [panel_standard.pk]
    assert f'<option value="{coatings.code}">' in response.text


def test_standard_index_filters_by_status(home):
    index = page_chain("StandardIndexPage", home)
    StandardPageFactory(parent=index, status=models.RecordStatus.CURRENT)
    withdrawn = StandardPageFactory(parent=index, status=models.RecordStatus.WITHDRAWN)

    response = get(index, status="withdrawn")

    assert [record.pk for record in response.context["records"]] == [withdrawn.pk]


def test_certification_results_filter_by_category_and_body(home):
    page = page_chain("CertificationResultsPage", home)
    body = CertificationBodyFactory()
    category = ProductCategoryFactory()
    wanted = CertificateFactory(body=body, category=category)
    CertificateFactory(body=body)
    CertificateFactory(category=category)

    response = get(page, category=category.code, body=body.code)

    assert [certificate.pk for certificate in response.context["certificates"]] == [wanted.pk]
    assert wanted.number in response.text


def test_certification_results_filter_by_effective_status_counts_lapsed_certificates_as_expired(home):
    page = page_chain("CertificationResultsPage", home)
    lapsed = CertificateFactory(expired=True)
    current = CertificateFactory()

    expired = get(page, status=Status.EXPIRED)
    valid = get(page, status=Status.VALID)

    assert [certificate.pk for certificate in expired.context["certificates"]] == [lapsed.pk]
    assert [certificate.pk for certificate in valid.context["certificates"]] == [current.pk]
    assert "cms-status--expired" in expired.text


def test_certification_results_pagination_keeps_the_filters(home):
    page = page_chain("CertificationResultsPage", home)
    category = ProductCategoryFactory()
    CertificateFactory.create_batch(26, category=category)

    response = get(page, category=category.code)

    assert response.context["certificates"].paginator.num_pages == 2
    assert f'href="?category={category.code}&amp;page=2"' in response.text


def test_certification_results_link_to_the_lookup(home):
    page = page_chain("CertificationResultsPage", home)

    response = get(page)

    assert 'href="/zh-hans/lookup/"' in response.text


def test_body_directory_filters_by_approved_category(home):
    page = page_chain("CertificationBodyDirectoryPage", home)
    category = ProductCategoryFactory()
    approved = CertificationBodyFactory()
    approved.approved_categories.add(category)

    response = get(page, category=category.code)

    assert [body.pk for body in response.context["bodies"]] == [approved.pk]


def test_body_directory_paginates_twenty_to_a_page(home):
    page = page_chain("CertificationBodyDirectoryPage", home)
    CertificationBodyFactory.create_batch(15)

    response = get(page, page=2)

    assert response.context["bodies"].paginator.count > 20
    assert response.context["bodies"].number == 2


def test_product_catalogue_lists_groups_and_categories_in_the_reader_language(home):
    page = page_chain("ProductCatalogPage", home)
    category = ProductCategoryFactory()

    response = get(page)

    assert category.name_zh in response.text
    assert category.group.name_zh in response.text


def test_spot_checks_filter_by_year_result_and_category(home):
    index = page_chain("SpotCheckIndexPage", home)
    category = ProductCategoryFactory()
    wanted = SpotCheckFactory(year=2023, result="fail", category=category)
    SpotCheckFactory(year=2024, result="fail", category=category)
    SpotCheckFactory(year=2023, result="pass", category=category)
    SpotCheckFactory(year=2023, result="fail")

    response = get(index, year=2023, result="fail", category=category.code)

    assert [check.pk for check in response.context["checks"]] == [wanted.pk]


def test_spot_check_notices_paginate_apart_from_the_results_table(home):
    index = page_chain("SpotCheckIndexPage", home)
    for _ in range(11):
        SpotCheckNoticePageFactory(parent=index)
    SpotCheckFactory.create_batch(3)

    response = get(index, notices=2)

    assert len(response.context["notices"]) == 1
    assert response.context["checks"].number == 1
    assert len(response.context["checks"]) == 3


def test_blacklist_lists_current_entries_before_past_ones(home):
    page = page_chain("BlacklistPage", home)
    past = BlacklistEntryFactory(
        decided_on=TODAY - datetime.timedelta(days=10), listed_until=TODAY - datetime.timedelta(days=1)
    )
    older_current = BlacklistEntryFactory(decided_on=TODAY - datetime.timedelta(days=400), listed_until=None)
    newer_current = BlacklistEntryFactory(
        decided_on=TODAY - datetime.timedelta(days=5), listed_until=TODAY + datetime.timedelta(days=30)
    )

    response = get(page)

    assert [entry.pk for entry in response.context["entries"]] == [newer_current.pk, older_current.pk, past.pk]


def test_news_index_filters_by_category(home):
    index = page_chain("NewsIndexPage", home)
    NewsPageFactory(parent=index, category=models.NewsCategory.NEWS)
    international = NewsPageFactory(parent=index, category=models.NewsCategory.INTERNATIONAL)

    response = get(index, category="international")

    assert [item.pk for item in response.context["items"]] == [international.pk]


def test_news_index_lists_newest_first_ten_to_a_page(home):
    index = page_chain("NewsIndexPage", home)
    items = [NewsPageFactory(parent=index) for _ in range(12)]

    first, second = get(index), get(index, page=2)

    assert first.context["items"][0].pk == items[-1].pk
    assert len(second.context["items"]) == 2
