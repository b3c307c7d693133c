"""Locale middleware that leaves language-neutral addresses alone.

Django's ``LocaleMiddleware`` answers any 404 outside the language prefixes by
redirecting to the same path under ``/<language>/`` when that path would resolve,
and Wagtail's catch-all page route resolves almost everything. So a JSON API that
answers "no such certificate" with a 404, or a trace page for an unknown code, would
be turned into a redirect to an HTML page. When the address did resolve to a view and
that view itself answered 404, the answer stands.
"""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is not None
            and not translation.get_language_from_path(request.path_info)
        ):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
