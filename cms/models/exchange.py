"""Technical exchange: news, articles and international coordination."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .base import BodyPage, ListingMixin, SectionPage, choice_from_request


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
        category = choice_from_request(request, "category", NewsCategory.values)
        if category:
            items = items.filter(category=category)
        context.update(
            items=self.paginate(request, items), categories=NewsCategory.choices, selected_category=category
        )
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
