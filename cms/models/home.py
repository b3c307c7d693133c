from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .base import BodyPage


class HomePage(BodyPage):
    """The root of one language's tree: the five sections below it."""

    hero_title = models.CharField(_("hero title"), max_length=200)
    hero_text = models.TextField(_("hero text"), blank=True)
    lookup_prompt = models.CharField(
        _("lookup prompt"),
        max_length=200,
        blank=True,
        help_text=_("Text beside the link to the certificate lookup."),
    )

    content_panels = [
        *BodyPage.content_panels[:1],
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("lookup_prompt")], heading=_("Hero")
        ),
        *BodyPage.content_panels[1:],
    ]

    segmented_search_fields = ("title", "hero_title", "hero_text", "intro", "body_text")

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.PolicyIndexPage",
        "cms.AdoptionIndexPage",
        "cms.InformationIndexPage",
        "cms.SupervisionIndexPage",
        "cms.NewsIndexPage",
        "cms.ArticlePage",
    ]

    class Meta:
        verbose_name = _("home page")

    def sections(self):
        return self.get_children().live().in_menu().specific()

    def latest_news(self, count=4):
        from .exchange import NewsPage

        return NewsPage.objects.live().descendant_of(self).order_by("-date", "-pk")[:count]
