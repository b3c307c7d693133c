"""Market supervision: spot-check notices and results, and the blacklist."""

from datetime import date

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from cms.blocks import AttachmentStreamBlock
from lookup.models import BlacklistEntry, ProductCategory, SpotCheck

from .base import BodyPage, FilterForm, ListingMixin, SectionPage, SitePage, category_options


class SupervisionIndexPage(SectionPage):
    """Market supervision."""

    subpage_types = ["cms.SpotCheckIndexPage", "cms.BlacklistPage", "cms.ArticlePage"]

    class Meta:
        verbose_name = _("market supervision page")


class SpotCheckIndexPage(ListingMixin, SitePage):
    """Spot-check notices (child pages) and a table of every published result."""

    per_page = 25
    notices_per_page = 10

    parent_page_types = ["cms.SupervisionIndexPage"]
    subpage_types = ["cms.SpotCheckNoticePage"]

    class Meta:
        verbose_name = _("spot check index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        notices = SpotCheckNoticePage.objects.live().child_of(self).order_by("-date", "-pk")
        years = SpotCheck.objects.order_by("-year").values_list("year", flat=True).distinct()
        categories = ProductCategory.objects.filter(spot_checks__isnull=False).distinct().order_by("code")
        filters = FilterForm(
            request,
            ("year", _("Year"), [(year, year) for year in years]),
            ("result", _("Result"), SpotCheck.Result.choices),
            ("category", _("Product category"), category_options(categories)),
        )
        checks = SpotCheck.objects.select_related("category")
        if filters["year"]:
            checks = checks.filter(year=int(filters["year"]))
        if filters["result"]:
            checks = checks.filter(result=filters["result"])
        if filters["category"]:
            checks = checks.filter(category__code=filters["category"])
        context.update(
            notices=self.paginate(request, notices, self.notices_per_page, parameter="notices"),
            checks=self.paginate(request, checks),
            filters=filters,
        )
        return context


class SpotCheckNoticePage(BodyPage):
    """An announcement of a spot-check task or its results."""

    date = models.DateField(_("date"))
    attachments = StreamField(AttachmentStreamBlock(), blank=True, verbose_name=_("attachments"))

    content_panels = [
        *BodyPage.content_panels[:1],
        FieldPanel("date"),
        *BodyPage.content_panels[1:],
        FieldPanel("attachments"),
    ]

    search_fields = [*BodyPage.search_fields, index.FilterField("date")]

    override_translatable_fields = [SynchronizedField("date")]

    parent_page_types = ["cms.SpotCheckIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("spot check notice page")


class BlacklistPage(ListingMixin, SitePage):
    """Parties listed for serious violations; entries still in force come first."""

    per_page = 20

    parent_page_types = ["cms.SupervisionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("blacklist page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = self.paginate(request, current_blacklist_first())
        return context


def current_blacklist_first(on=None):
    """Blacklist entries, those still listed on ``on`` (today) first, newest first."""
    on = on or date.today()
    current = Q(listed_until__isnull=True) | Q(listed_until__gte=on)
    return BlacklistEntry.objects.annotate(
        is_current=Case(When(current, then=Value(True)), default=Value(False), output_field=models.BooleanField())
    ).order_by("-is_current", "-decided_on", "pk")
