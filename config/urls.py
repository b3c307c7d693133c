from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from frontend import urls as frontend_urls
from lookup import urls as lookup_urls
from search import urls as search_urls

# Language-neutral addresses: the admin, documents, the JSON API, short trace
# URLs printed in QR codes, the PWA files and the sitemap.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}),
    path("", include(frontend_urls)),
    path("", include(lookup_urls.language_neutral_patterns)),
]

# Everything a person reads lives under /zh-hans/ or /en/.
urlpatterns += i18n_patterns(
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("search/", include(search_urls)),
    path("lookup/", include(lookup_urls.page_patterns)),
    path("", include(frontend_urls.language_patterns)),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
