"""What the service worker is told when it is served: the app shell it keeps for
offline use, where the offline page of each language is, and a version that changes
whenever any of them does, so that browsers install the new worker and drop the old
caches.
"""

import hashlib
from pathlib import Path

from pwa import app_settings

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

# Static files every page needs. Launchers fetch the manifest's icons themselves when
# the site is installed; the worker keeps only the two small ones pages show.
SHELL_STATIC = [
    "css/site.css",
    "js/site.js",
    "js/pwa.js",
    "lookup/lookup.css",
    "icons/favicon-48.png",
    "icons/icon-192.png",
]
# The offline page is kept too: a change to its templates or to the translations
# makes a new version.
OFFLINE_TEMPLATES = ["offline.html", "base.html"]
# Certificate pages kept for offline reading, most recently viewed first.
SAVED_PAGES_LIMIT = 50


def offline_urls():
    """The offline page's address in each language."""
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls[code] = reverse("offline")
    return urls


def _kept_files(static_paths):
    """The files whose content makes up what the worker keeps."""
    for path in static_paths:
        found = finders.find(path)
        if found:
            yield Path(found)
    for name in OFFLINE_TEMPLATES:
        yield Path(get_template(name).origin.name)
    for folder in settings.LOCALE_PATHS:
        yield from sorted(Path(folder).glob("*/LC_MESSAGES/django.mo"))


def _fingerprint(source, static_paths, offline):
    """A short hash of the worker's source, its addresses and every file it keeps.

    Files are hashed by content, so a changed stylesheet changes the version even
    where static addresses carry no hash (development and tests)."""
    digest = hashlib.sha256(source.encode())
    for text in [*static_paths, *offline.values(), settings.STATIC_URL]:
        digest.update(text.encode())
    for path in _kept_files(static_paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def service_worker_source():
    return Path(app_settings.PWA_SERVICE_WORKER_PATH).read_text(encoding="utf-8")


def service_worker_config(source):
    """The settings the worker's source reads from ``CONFIG``."""
    static_paths = SHELL_STATIC
    offline = offline_urls()
    return {
        "version": _fingerprint(source, static_paths, offline),
        "shell": [static(path) for path in static_paths] + list(offline.values()),
        "offline": offline,
        "languages": [code for code, _name in settings.LANGUAGES],
        "defaultLanguage": settings.LANGUAGE_CODE,
        "staticUrl": settings.STATIC_URL,
        "mediaUrl": settings.MEDIA_URL,
        "savedPagesLimit": SAVED_PAGES_LIMIT,
    }
