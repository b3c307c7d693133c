import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from frontend.pwa import service_worker_config, service_worker_source


@require_safe
def service_worker(request):
    """django-pwa's service worker file, preceded by its ``CONFIG``: the app shell and
    version (frontend.pwa). Served from the root so that it controls the whole site;
    browsers always check it for a newer version."""
    source = service_worker_source()
    config = json.dumps(service_worker_config(source), separators=(",", ":"))
    response = HttpResponse(f"const CONFIG = {config};\n{source}", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def robots_txt(request):
    """Crawlers may read every public page; not the admin, the JSON API or site search
    results. Names the sitemap at the site's public address."""
    context = {"site_url": settings.SITE_URL.rstrip("/")}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
