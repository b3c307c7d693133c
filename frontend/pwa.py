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
# Certificate pages kept for offline reading, most recently viewed first.
SAVED_PAGES_LIMIT = 50


def offline_urls():
    """The offline page's address in each language."""
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            urls[code] = reverse("offline")
    return urls


def _fingerprint(source, static_paths, offline):
    """A short hash of the worker's source and of every file it keeps.

    Static files are hashed by content, so a changed stylesheet changes the version
    even where their addresses carry no hash (development and tests)."""
    digest = hashlib.sha256(source.encode())
    for path in static_paths:
        digest.update(path.encode())
        found = finders.find(path)
        if found:
            digest.update(Path(found).read_bytes())
    for url in offline.values():
        digest.update(url.encode())
    digest.update(settings.STATIC_URL.encode())
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
        "savedPagesLimit": SAVED_PAGES_LIMIT,
    }
