"""Certification adoption: the section page and the generic article page."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import AttachmentStreamBlock

from .base import BodyPage, SectionPage


class AdoptionIndexPage(SectionPage):
    """Certification adoption: standards, implementation rules, technical documents,
    market and consumer adoption, finance and procurement support."""

    subpage_types = ["cms.StandardIndexPage", "cms.ImplementationRuleIndexPage", "cms.ArticlePage"]

    class Meta:
        verbose_name = _("certification adoption page")


class ArticlePage(BodyPage):
    """A page of prose with downloads: technical documents, adoption guides, support
    measures and other texts that are not structured records."""

    attachments = StreamField(AttachmentStreamBlock(), blank=True, verbose_name=_("attachments"))

    content_panels = [*BodyPage.content_panels, FieldPanel("attachments")]

    search_fields = [*BodyPage.search_fields, index.SearchField("attachments")]

    parent_page_types = [
        "cms.HomePage",
        "cms.PolicyIndexPage",
        "cms.AdoptionIndexPage",
        "cms.InformationIndexPage",
        "cms.SupervisionIndexPage",
    ]
    subpage_types = []

    class Meta:
        verbose_name = _("article page")
