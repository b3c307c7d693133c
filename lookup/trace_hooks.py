"""Admin hooks for trace codes: the issue view, its menu entry and its audit action.

Imported by ``LookupConfig.ready()``; the registry's other admin registrations live
in ``wagtail_hooks.py``.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lookup.views import trace_admin

admin_urls = (
    [
        path("", trace_admin.IssueTraceCodesView.as_view(), name="issue"),
        path("<str:number>/", trace_admin.TraceCodeBatchView.as_view(), name="batch"),
        path(
            "<str:number>/download.<str:fmt>",
            trace_admin.TraceCodeDownloadView.as_view(),
            name="download",
        ),
    ],
    "lookup_trace_codes",
)


@hooks.register("register_admin_urls")
def register_trace_code_urls():
    return [path("trace-codes/", include(admin_urls))]


class TraceCodesMenuItem(MenuItem):
    def is_shown(self, request):
        return trace_admin.user_can_issue(request.user)


@hooks.register("register_admin_menu_item")
def register_trace_codes_menu_item():
    return TraceCodesMenuItem(_("Trace codes"), reverse("lookup_trace_codes:issue"), icon_name="tag", order=310)


@hooks.register("register_log_actions")
def register_trace_code_actions(actions):
    actions.register_action("lookup.issue_trace_codes", _("Issue trace codes"), _("Trace codes issued"))
