"""Admin hooks for the bulk import: the upload and report views and their menu item.

Imported by ``LookupConfig.ready()``; the registry's other admin registrations live
in ``wagtail_hooks.py``.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lookup.views import imports

admin_urls = (
    [
        path("", imports.ImportUploadView.as_view(), name="upload"),
        path("<int:pk>/", imports.ImportResultView.as_view(), name="result"),
        path("<int:pk>/report.csv", imports.ImportReportView.as_view(), name="report"),
    ],
    "lookup_import",
)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import-certificates/", include(admin_urls))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return imports.user_can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("Import certificates"), reverse("lookup_import:upload"), icon_name="upload", order=320)
