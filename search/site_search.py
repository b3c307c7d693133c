"""Site search over pages and documents, the same on every search backend.

``SiteSearch`` turns what a reader typed into the words the index holds (see
``search.chinese.query_words``) and runs one all-words search over the live, public
pages of one locale and one over the documents in public collections. The view, and
anything else that needs site search, calls it. It searches the backend named
``site`` in ``WAGTAILSEARCH_BACKENDS`` when there is one (Elasticsearch), otherwise
``default`` (the database), which Wagtail's admin always uses. Both are kept up to
date on save, so when the search server fails (``SERVER_FAILURES``) the view asks the
database instead (:meth:`SiteSearch.on_database`).
"""

import dataclasses
import re
from dataclasses import dataclass, field

from elastic_transport import TransportError
from elasticsearch import ApiError

from django.conf import settings
from django.db.models import Q
from django.utils.functional import cached_property

from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page

from search.chinese import query_words

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 32
SNIPPET_LENGTH = 160
PROMOTED_LIMIT = 3

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SITE_BACKEND = "site"
# What a search server that is down or failing raises.
SERVER_FAILURES = (TransportError, ApiError)


def site_backend_name():
    """The search backend public site search uses: ``site`` if configured, else ``default``."""
    return SITE_BACKEND if SITE_BACKEND in settings.WAGTAILSEARCH_BACKENDS else "default"


def clean_query(text):
    """The query as the reader meant it: no control characters, single spaces, at
    most ``MAX_QUERY_LENGTH`` characters."""
    text = CONTROL_CHARACTERS.sub(" ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def restricted_collection_ids():
    """Ids of the collections with a view restriction and of every collection below one."""
    restricted = Q()
    for collection in Collection.objects.filter(view_restrictions__isnull=False).distinct():
        restricted |= Q(path__startswith=collection.path)
    if not restricted:
        return []
    return list(Collection.objects.filter(restricted).values_list("pk", flat=True))


@dataclass
class SiteSearch:
    """One reader's query against the site.

    ``text`` is the cleaned query shown back in the search box; ``words`` what is sent
    to the backend, all of which a result must contain.
    """

    text: str
    locale: Locale
    words: list = field(default_factory=list)
    backend: str = field(default_factory=site_backend_name)

    @classmethod
    def for_query(cls, text, locale=None):
        text = clean_query(text)
        return cls(text=text, locale=locale or Locale.get_active(), words=query_words(text)[:MAX_QUERY_WORDS])

    def on_database(self):
        """The same search on the database backend."""
        return dataclasses.replace(self, backend="default")

    @property
    def backend_query(self):
        return " ".join(self.words)

    def base_pages(self):
        return Page.objects.live().public().filter(locale=self.locale)

    @cached_property
    def promoted_pages(self):
        """Pages whose title is exactly the query: shown first, whatever their score."""
        if not self.words:
            return []
        return list(self.base_pages().filter(title__iexact=self.text).specific()[:PROMOTED_LIMIT])

    def pages(self):
        """The other matching pages, best first (a lazy, sliceable result set)."""
        if not self.words:
            return Page.objects.none()
        promoted = [page.pk for page in self.promoted_pages]
        pages = self.base_pages().exclude(id__in=promoted) if promoted else self.base_pages()
        return pages.specific().search(self.backend_query, operator="and", backend=self.backend)

    def documents(self):
        """Matching documents from collections anyone may see, best first."""
        Document = get_document_model()
        if not self.words:
            return Document.objects.none()
        documents = Document.objects.all()
        restricted = restricted_collection_ids()
        if restricted:
            documents = documents.exclude(collection__in=restricted)
        return documents.search(self.backend_query, operator="and", backend=self.backend)

    def snippet(self, text):
        """Up to ``SNIPPET_LENGTH`` characters of ``text`` around the first query word
        it contains, as ``(fragment, is_match)`` pairs for the template to mark up."""
        text = " ".join((text or "").split())
        if not text:
            return []
        lowered = text.lower()
        found = [lowered.find(word.lower()) for word in self.words]
        found = [position for position in found if position >= 0]
        start = max(0, min(found) - SNIPPET_LENGTH // 4) if found else 0
        window = text[start : start + SNIPPET_LENGTH]
        parts = highlight(window, self.words)
        if start > 0:
            parts.insert(0, ("…", False))
        if start + SNIPPET_LENGTH < len(text):
            parts.append(("…", False))
        return parts


def highlight(text, words):
    """Split ``text`` into ``(fragment, is_match)`` pairs, the matches being ``words``
    (case-insensitive, longest first)."""
    words = sorted({word for word in words if word}, key=len, reverse=True)
    if not words:
        return [(text, False)] if text else []
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    parts = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((match.group(), True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def page_text(page):
    """The readable text of a page to cut a snippet from: its search description,
    introduction and body where its type has them."""
    parts = [page.search_description, getattr(page, "intro", "")]
    body_text = getattr(page, "body_text", None)
    if callable(body_text):
        parts.append(body_text())
    return " ".join(part for part in parts if part)


def page_sections(pages):
    """Map each page's id to its top-level section (the ancestor just below the
    locale's home page), in one query; pages that are a section or a home page have
    none."""
    steplen = Page.steplen
    section_depth = 3
    paths = {page.pk: page.path[: steplen * section_depth] for page in pages if page.depth > section_depth}
    sections = {section.path: section for section in Page.objects.filter(path__in=set(paths.values())).live()}
    return {page_id: sections.get(path) for page_id, path in paths.items()}
