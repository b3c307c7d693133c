from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index

from search.chinese import SegmentedSearchMixin


class SiteDocument(SegmentedSearchMixin, AbstractDocument):
    """A downloadable file (a standard, a rule, a notice) with a short description
    that site search can find in Chinese as well as in English."""

    description = models.TextField(_("description"), blank=True)

    admin_form_fields = (*Document.admin_form_fields, "description")

    search_fields = [
        *AbstractDocument.search_fields,
        index.SearchField("description"),
        index.SearchField("search_text_segmented"),
    ]

    segmented_search_fields = ("title", "description")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
