"""Policy and regulations: notices, measures and rules with their status."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.blocks import AttachmentStreamBlock

from .adoption import ArticlePage
from .base import BodyPage, FilterForm, ListingMixin, SectionPage


class PolicyStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")


class PolicyIndexPage(ListingMixin, SectionPage):
    """Policy and regulations, newest first, filterable by status."""

    per_page = 10

    subpage_types = ["cms.PolicyPage", "cms.ArticlePage"]

    class Meta:
        verbose_name = _("policy index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        policies = PolicyPage.objects.live().child_of(self).order_by("-issued_on", "-pk")
        filters = FilterForm(request, ("status", _("Status"), PolicyStatus.choices))
        if filters["status"]:
            policies = policies.filter(status=filters["status"])
        context["policies"] = self.paginate(request, policies)
        context["filters"] = filters
        context["articles"] = self.get_children().live().type(ArticlePage).specific()
        return context


class PolicyPage(BodyPage):
    """One policy document: its number, issuer, dates, status and full text."""

    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("The issuing number (文号), e.g. 国市监认证〔2019〕61号."),
    )
    issuing_authority = models.CharField(_("issuing authority"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.IN_FORCE)
    attachments = StreamField(AttachmentStreamBlock(), blank=True, verbose_name=_("attachments"))

    content_panels = [
        *BodyPage.content_panels[:2],
        MultiFieldPanel(
            [
                FieldPanel("document_number"),
                FieldPanel("issuing_authority"),
                FieldRowPanel([FieldPanel("issued_on"), FieldPanel("effective_on")]),
                FieldPanel("status"),
            ],
            heading=_("Document record"),
        ),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]

    search_fields = [
        *BodyPage.search_fields,
        index.SearchField("document_number"),
        index.SearchField("issuing_authority"),
        index.FilterField("status"),
        index.FilterField("issued_on"),
    ]

    segmented_search_fields = ("title", "document_number", "issuing_authority", "intro", "body_text")

    override_translatable_fields = [
        SynchronizedField("document_number"),
        TranslatableField("issuing_authority"),
        SynchronizedField("issued_on"),
        SynchronizedField("effective_on"),
        SynchronizedField("status", overridable=False),
    ]

    parent_page_types = ["cms.PolicyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("policy page")
