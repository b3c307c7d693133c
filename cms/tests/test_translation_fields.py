"""Which fields wagtail-localize translates and which it keeps in step with the
Chinese original."""

import pytest

from wagtail_localize.fields import SynchronizedField, TranslatableField, get_translatable_fields

from cms import models


def kinds(model):
    return {field.field_name: type(field) for field in get_translatable_fields(model)}


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (models.StandardPage, "number"),
        (models.StandardPage, "issued_on"),
        (models.StandardPage, "effective_on"),
        (models.StandardPage, "status"),
        (models.StandardPage, "product_categories"),
        (models.StandardPage, "superseded_by"),
        (models.StandardPage, "document"),
        (models.ImplementationRulePage, "rule_code"),
        (models.PolicyPage, "document_number"),
        (models.PolicyPage, "issued_on"),
        (models.PolicyPage, "status"),
        (models.NewsPage, "date"),
        (models.NewsPage, "category"),
        (models.SpotCheckNoticePage, "date"),
    ],
)
def test_codes_dates_and_statuses_are_synchronised_not_translated(model, field):
    assert kinds(model)[field] is SynchronizedField


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (models.StandardPage, "title"),
        (models.StandardPage, "intro"),
        (models.StandardPage, "body"),
        (models.PolicyPage, "issuing_authority"),
        (models.PolicyPage, "attachments"),
        (models.HomePage, "hero_title"),
        (models.MarkPage, "usage_rules"),
    ],
)
def test_text_is_translated(model, field):
    assert kinds(model)[field] is TranslatableField


def test_statuses_and_categories_cannot_be_overridden_in_a_translation(db):
    fields = {field.field_name: field for field in get_translatable_fields(models.StandardPage)}

    assert not fields["status"].is_overridable(models.StandardPage())
    assert not fields["product_categories"].is_overridable(models.StandardPage())
