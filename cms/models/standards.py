"""Standards and implementation rules, kept as structured records."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from lookup.models import ProductCategory

from .base import BodyPage, FilterForm, ListingMixin, SitePage, category_options


class RecordStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", pgettext_lazy("standard status", "Withdrawn")


class RecordPage(BodyPage):
    """A normative document: a code, dates, a status, the product categories it
    covers and the official PDF. Codes, dates, status and categories are the same in
    every language, so wagtail-localize synchronises them instead of translating."""

    code_field = "code"

    status = models.CharField(_("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.CURRENT)
    issued_on = models.DateField(_("issued on"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("superseded by"),
    )
    product_categories = ParentalManyToManyField(
        ProductCategory, blank=True, related_name="+", verbose_name=_("product categories")
    )
    document = models.ForeignKey(
        "cms.SiteDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PDF"),
    )

    record_panels = [
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("issued_on"), FieldPanel("effective_on")]),
        PageChooserPanel("superseded_by"),
        FieldPanel("product_categories"),
        FieldPanel("document"),
    ]

    search_fields = [
        *BodyPage.search_fields,
        index.FilterField("status"),
        index.FilterField("issued_on"),
        index.RelatedFields("product_categories", [index.SearchField("name_zh"), index.SearchField("name_en")]),
    ]

    override_translatable_fields = [
        SynchronizedField("issued_on"),
        SynchronizedField("effective_on"),
        SynchronizedField("status", overridable=False),
        SynchronizedField("superseded_by"),
        SynchronizedField("product_categories", overridable=False),
        SynchronizedField("document"),
    ]

    subpage_types = []

    class Meta:
        abstract = True

    @property
    def record_code(self):
        return getattr(self, self.code_field)

    @property
    def is_current(self):
        return self.status == RecordStatus.CURRENT


class RecordIndexPage(ListingMixin, SitePage):
    """A listing of records, filterable by status and product category."""

    record_model = None
    per_page = 15

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        records = (
            self.record_model.objects.live()
            .child_of(self)
            .prefetch_related("product_categories")
            .order_by(self.record_model.code_field)
        )
        categories = ProductCategory.objects.filter(
            pk__in=self.record_model.objects.child_of(self).values("product_categories")
        ).order_by("code")
        filters = FilterForm(
            request,
            ("status", _("Status"), RecordStatus.choices),
            ("category", _("Product category"), category_options(categories)),
        )
        if filters["status"]:
            records = records.filter(status=filters["status"])
        if filters["category"]:
            records = records.filter(product_categories__code=filters["category"])
        context.update(records=self.paginate(request, records), filters=filters)
        return context


class StandardPage(RecordPage):
    """A green product evaluation standard, e.g. GB/T 35601-2017."""

    code_field = "number"

    number = models.CharField(_("standard number"), max_length=50, help_text=_("e.g. GB/T 35601-2017"))

    content_panels = [
        *BodyPage.content_panels[:2],
        MultiFieldPanel([FieldPanel("number"), *RecordPage.record_panels], heading=_("Standard record")),
        FieldPanel("body"),
    ]

    search_fields = [*RecordPage.search_fields, index.SearchField("number"), index.AutocompleteField("number")]

    segmented_search_fields = ("title", "number", "intro", "body_text")

    override_translatable_fields = [*RecordPage.override_translatable_fields, SynchronizedField("number")]

    parent_page_types = ["cms.StandardIndexPage"]

    class Meta:
        verbose_name = _("standard page")


class StandardIndexPage(RecordIndexPage):
    record_model = StandardPage

    parent_page_types = ["cms.AdoptionIndexPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard index page")


class ImplementationRulePage(RecordPage):
    """A certification implementation rule, e.g. CNCA-CGP-01:2019."""

    code_field = "rule_code"

    rule_code = models.CharField(_("rule code"), max_length=50, help_text=_("e.g. CNCA-CGP-01:2019"))

    content_panels = [
        *BodyPage.content_panels[:2],
        MultiFieldPanel([FieldPanel("rule_code"), *RecordPage.record_panels], heading=_("Rule record")),
        FieldPanel("body"),
    ]

    search_fields = [*RecordPage.search_fields, index.SearchField("rule_code"), index.AutocompleteField("rule_code")]

    segmented_search_fields = ("title", "rule_code", "intro", "body_text")

    override_translatable_fields = [*RecordPage.override_translatable_fields, SynchronizedField("rule_code")]

    parent_page_types = ["cms.ImplementationRuleIndexPage"]

    class Meta:
        verbose_name = _("implementation rule page")


class ImplementationRuleIndexPage(RecordIndexPage):
    record_model = ImplementationRulePage

    parent_page_types = ["cms.AdoptionIndexPage"]
    subpage_types = ["cms.ImplementationRulePage"]

    class Meta:
        verbose_name = _("implementation rule index page")
