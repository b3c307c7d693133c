"""What every page type shares: search text, SEO fallbacks and paginated listings."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyStreamBlock, stream_to_text
from search.chinese import SegmentedSearchMixin

META_DESCRIPTION_LENGTH = 160


class SitePage(SegmentedSearchMixin, Page):
    """The base of every page type.

    ``search_text_segmented`` (from ``SegmentedSearchMixin``) covers the title, the
    introduction and the body as plain text; ``meta_description`` falls back from the
    editor's search description to the introduction.
    """

    intro = models.TextField(_("introduction"), blank=True, help_text=_("One or two sentences shown under the title."))

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("search_text_segmented"),
    ]

    segmented_search_fields = ("title", "intro", "body_text")

    class Meta:
        abstract = True

    @property
    def meta_description(self):
        text = self.search_description or self.intro or self.body_text()
        return Truncator(" ".join(text.split())).chars(META_DESCRIPTION_LENGTH)

    def body_text(self):
        return stream_to_text(getattr(self, "body", None))


class BodyPage(SitePage):
    """A page with an introduction and a StreamField body."""

    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=pgettext_lazy("page content", "body"))

    content_panels = [*SitePage.content_panels, FieldPanel("body")]

    search_fields = [*SitePage.search_fields, index.SearchField("body")]

    class Meta:
        abstract = True


class ListingMixin:
    """Paginates a queryset on ``?page=`` (or another parameter); bad page numbers give
    the first or last page rather than an error."""

    per_page = 20

    def paginate(self, request, queryset, per_page=None, parameter="page"):
        paginator = Paginator(queryset, per_page or self.per_page)
        return paginator.get_page(request.GET.get(parameter))


def choice_from_request(request, name, choices):
    """The value of GET parameter ``name`` if it is one of ``choices``, else ""."""
    value = request.GET.get(name, "").strip()
    return value if value in {str(choice) for choice in choices} else ""


def category_options(categories):
    """(code, "code name") pairs for a product-category filter."""
    return [(category.code, f"{category.code} {category.name}") for category in categories]


class ListingFilter:
    """One filter of a listing: a GET parameter, its label, its (value, text) options
    and the value the reader chose ("" when none, or not one of the options)."""

    def __init__(self, request, name, label, options):
        self.name = name
        self.label = label
        self.options = [(str(value), text) for value, text in options]
        self.selected = choice_from_request(request, name, [value for value, _text in self.options])


class FilterForm:
    """The filters of a listing in the order its form shows them; ``form["status"]``
    is the value chosen for one of them."""

    def __init__(self, request, *filters):
        self.filters = [ListingFilter(request, name, label, options) for name, label, options in filters]

    def __iter__(self):
        return iter(self.filters)

    def __getitem__(self, name):
        for listing_filter in self.filters:
            if listing_filter.name == name:
                return listing_filter.selected
        raise KeyError(name)

    @property
    def applied(self):
        return any(listing_filter.selected for listing_filter in self.filters)


class SectionPage(BodyPage):
    """A top-level section: an introduction, then its child pages as cards."""

    show_in_menus_default = True

    parent_page_types = ["cms.HomePage"]

    class Meta:
        abstract = True

    def child_pages(self):
        return self.get_children().live().specific()
