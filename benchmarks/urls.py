"""URLs of the load tests (config.settings.benchmark only): the site's own, plus a bare view."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

BARE_BODY = b"x" * 8192


def bare(request):
    """8 KB, no database, no template: the floor of what the stack can serve."""
    return HttpResponse(BARE_BODY, content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *site_urlpatterns]
