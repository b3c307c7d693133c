"""Technical exchange: news, articles and international coordination."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .base import BodyPage, FilterForm, ListingMixin, SectionPage


class NewsCategory(models.TextChoices):
    NEWS = "news", _("News")
    ARTICLE = "article", _("Article")
    INTERNATIONAL = "international", _("International coordination")


class NewsIndexPage(ListingMixin, SectionPage):
    """Technical exchange: news and articles, newest first, filterable by category."""

    per_page = 10

    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("technical exchange page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = NewsPage.objects.live().child_of(self).order_by("-date", "-pk")
        filters = FilterForm(request, ("category", _("Category"), NewsCategory.choices))
        if filters["category"]:
            items = items.filter(category=filters["category"])
        context.update(items=self.paginate(request, items), filters=filters)
        return context


class NewsPage(BodyPage):
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=15, choices=NewsCategory.choices, default=NewsCategory.NEWS)

    content_panels = [
        *BodyPage.content_panels[:1],
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        *BodyPage.content_panels[1:],
    ]

    search_fields = [*BodyPage.search_fields, index.FilterField("date"), index.FilterField("category")]

    override_translatable_fields = [SynchronizedField("date"), SynchronizedField("category", overridable=False)]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news page")
