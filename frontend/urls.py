"""The installable site's files.

``urlpatterns`` sit at the root: the service worker, so that its scope is the whole
site, and robots.txt. ``language_patterns`` sit under each language prefix
(config/urls.py): django-pwa's own manifest and offline views, which then render in
that language.
"""

from pwa import views as pwa_views

from django.urls import path
from django.views.decorators.http import require_safe

from frontend.views import robots_txt, service_worker

urlpatterns = [
    path("serviceworker.js", service_worker, name="serviceworker"),
    path("robots.txt", robots_txt, name="robots-txt"),
]

language_patterns = [
    path("manifest.json", require_safe(pwa_views.manifest), name="manifest"),
    path("offline/", require_safe(pwa_views.offline), name="offline"),
]
