"""The main navigation, worked out once per process for each site, language and
revision of the page tree.

Every page shows the live, in-menu sections of the reader's home page. Finding them
costs several queries (the site, the home page's translation, its children, their
addresses), the same for every request until an editor changes the tree. So each
process keeps the answer in memory under the tree's *revision*: a token in the shared
cache that any save or deletion of a page or site replaces, so all processes see a
published, unpublished, moved or renamed section on their next request. A change
that bypasses the signals (a bulk ``update()``) shows within ``MAX_AGE`` seconds.
"""

import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from wagtail.models import Page, Site

REVISION_KEY = "navigation:revision"
MAX_AGE = 60


@dataclass(frozen=True)
class NavPage:
    pk: int
    title: str
    path: str
    url: str


@dataclass(frozen=True)
class Navigation:
    home: NavPage | None
    sections: tuple


# (host, language) -> (revision, built at, Navigation)
_memo = {}


def tree_revision():
    revision = cache.get(REVISION_KEY)
    if revision is None:
        cache.add(REVISION_KEY, secrets.token_hex(8), None)
        revision = cache.get(REVISION_KEY)
    return revision


def new_revision(**kwargs):
    cache.set(REVISION_KEY, secrets.token_hex(8), None)
    _memo.clear()


def _locale_home(request):
    """The home page of the reader's language: the site root or its translation."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    root = site.root_page
    return root.localized if root.live else None


def _nav_page(page, request):
    return NavPage(page.pk, page.title, page.path, page.get_url(request=request))


def _build(request):
    home = _locale_home(request)
    if home is None:
        return Navigation(None, ())
    sections = tuple(_nav_page(section, request) for section in home.get_children().live().in_menu())
    return Navigation(_nav_page(home, request), sections)


def navigation(request):
    """The :class:`Navigation` of ``request``'s site in the active language."""
    key = (request.get_host() if request is not None else "", translation.get_language())
    revision = tree_revision()
    now = time.monotonic()
    found = _memo.get(key)
    if found is not None and found[0] == revision and now - found[1] < MAX_AGE:
        return found[2]
    built = _build(request)
    _memo[key] = (revision, now, built)
    return built


def _tree_changed(sender, instance, using="default", **kwargs):
    if isinstance(instance, (Page, Site)):
        new_revision()
        transaction.on_commit(new_revision, using=using, robust=True)


def connect_signals():
    post_save.connect(_tree_changed, dispatch_uid="navigation_tree_saved")
    post_delete.connect(_tree_changed, dispatch_uid="navigation_tree_deleted")
