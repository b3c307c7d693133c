import json

from django.http import HttpResponse
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
