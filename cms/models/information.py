"""Information release: the product mark, the product catalogue, the directory of
certification bodies and the certification results, the last three read from the
registry in ``lookup``."""

from datetime import date

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import BodyStreamBlock, stream_to_text
from lookup.models import Certificate, CertificationBody, ProductCategory, ProductGroup, Status

from .base import BodyPage, FilterForm, ListingMixin, SectionPage, SitePage, category_options


class InformationIndexPage(SectionPage):
    """Information release."""

    subpage_types = [
        "cms.MarkPage",
        "cms.ProductCatalogPage",
        "cms.CertificationBodyDirectoryPage",
        "cms.CertificationResultsPage",
        "cms.ArticlePage",
    ]

    class Meta:
        verbose_name = _("information release page")


class MarkPage(BodyPage):
    """What the China green product mark means and how it may be used."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image of the mark"),
    )
    usage_rules = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("usage rules"))

    content_panels = [*BodyPage.content_panels[:2], FieldPanel("image"), FieldPanel("body"), FieldPanel("usage_rules")]

    search_fields = [*BodyPage.search_fields, index.SearchField("usage_rules")]

    segmented_search_fields = ("title", "intro", "body_text", "usage_rules_text")

    parent_page_types = ["cms.InformationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("product mark page")

    def usage_rules_text(self):
        return stream_to_text(self.usage_rules)


class ProductCatalogPage(SitePage):
    """The catalogue of products in the scheme, by group, from the registry."""

    parent_page_types = ["cms.InformationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("product catalogue page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = ProductGroup.objects.prefetch_related(
            Prefetch("categories", queryset=ProductCategory.objects.order_by("code"))
        )
        context["results_page"] = CertificationResultsPage.objects.live().sibling_of(self).first()
        return context


class CertificationBodyDirectoryPage(ListingMixin, SitePage):
    """The certification bodies approved for the scheme, with their product categories."""

    per_page = 20

    parent_page_types = ["cms.InformationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("certification body directory page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        categories = ProductCategory.objects.order_by("code")
        filters = FilterForm(request, ("category", _("Product category"), category_options(categories)))
        bodies = CertificationBody.objects.prefetch_related(
            Prefetch("approved_categories", queryset=ProductCategory.objects.order_by("code"))
        ).order_by("code")
        if filters["category"]:
            bodies = bodies.filter(approved_categories__code=filters["category"])
        context.update(bodies=self.paginate(request, bodies), filters=filters)
        return context


def filter_by_effective_status(certificates, status, on=None):
    """Narrow ``certificates`` to those whose ``effective_status(on)`` is ``status``:
    a valid certificate past its expiry date counts as expired."""
    on = on or date.today()
    if status == Status.VALID:
        return certificates.filter(status=Status.VALID, expires_on__gte=on)
    if status == Status.EXPIRED:
        return certificates.filter(Q(status=Status.EXPIRED) | Q(status=Status.VALID, expires_on__lt=on))
    return certificates.filter(status=status)


class CertificationResultsPage(ListingMixin, SitePage):
    """Certificates issued in the scheme, filterable by category, status and body."""

    per_page = 25

    parent_page_types = ["cms.InformationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("certification results page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        categories = ProductCategory.objects.order_by("code")
        bodies = CertificationBody.objects.order_by("code")
        filters = FilterForm(
            request,
            ("category", _("Product category"), category_options(categories)),
            ("status", _("Status"), Status.choices),
            ("body", _("Certification body"), [(body.code, body.name) for body in bodies]),
        )
        certificates = Certificate.objects.select_related("category", "body", "client").order_by(
            "-issued_on", "number"
        )
        if filters["category"]:
            certificates = certificates.filter(category__code=filters["category"])
        if filters["body"]:
            certificates = certificates.filter(body__code=filters["body"])
        if filters["status"]:
            certificates = filter_by_effective_status(certificates, filters["status"])
        context.update(certificates=self.paginate(request, certificates), filters=filters)
        return context
