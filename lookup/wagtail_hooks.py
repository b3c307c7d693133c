"""The certificate registry in the Wagtail admin, under one "Certificate registry" menu.

Every create, edit and delete is written to Wagtail's audit log (the history tab of
each record); a certificate's status changes also go to its status history through
``lookup.status.change_status``. Certification body staff see and change only their
own body's certificates and trace codes (``lookup.permissions``). Admin search stays
on the database: ``search_backend_name = None``.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lookup.models import (
    ApiToken,
    BlacklistEntry,
    BodyStaff,
    Certificate,
    CertificationBody,
    ConcernReport,
    ImportRun,
    Organisation,
    ProductCategory,
    SpotCheck,
    Status,
    TraceCode,
)
from lookup.permissions import BodyScopedPolicy
from lookup.views import admin as admin_views
from lookup.views.admin_forms import (
    ApiTokenAdminForm,
    BodyStaffAdminForm,
    CertificateAdminForm,
    OrganisationAdminForm,
)


class ActionLimitedPolicy(ModelPermissionPolicy):
    """Django model permissions, but never more than ``allowed_actions``."""

    def __init__(self, model, allowed_actions):
        super().__init__(model)
        self.allowed_actions = set(allowed_actions)

    def user_has_permission(self, user, action):
        return action in self.allowed_actions and super().user_has_permission(user, action)


# Policies are registered before the view sets, which look them up.
register_permission_policy(Certificate, BodyScopedPolicy(Certificate, "body_id", {"add", "change", "delete", "view"}))
register_permission_policy(TraceCode, BodyScopedPolicy(TraceCode, "certificate__body_id", {"delete", "view"}))
register_permission_policy(ImportRun, ActionLimitedPolicy(ImportRun, {"view"}))
register_permission_policy(ApiToken, ActionLimitedPolicy(ApiToken, {"add", "view", "change"}))


@hooks.register("register_log_actions")
def register_registry_log_actions(actions):
    @actions.register_action("lookup.change_status")
    class StatusChangeFormatter(LogFormatter):
        label = _("Change certificate status")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            message = _("Status changed from %(from)s to %(to)s") % {
                "from": Status(data["from"]).label if data.get("from") else "—",
                "to": Status(data["to"]).label if data.get("to") else "—",
            }
            if data.get("reason"):
                message = f"{message}: {data['reason']}"
            return message


def effective_status_label(certificate):
    return Status(certificate.effective_status()).label


class ScopedSnippetViewSet(SnippetViewSet):
    """A view set whose listing and single-object views keep body staff to their body."""

    edit_view_class = admin_views.ScopedEditView
    delete_view_class = admin_views.ScopedDeleteView
    history_view_class = admin_views.ScopedHistoryView
    usage_view_class = admin_views.ScopedUsageView
    inspect_view_class = admin_views.ScopedInspectView
    chooser_viewset_class = admin_views.ScopedSnippetChooserViewSet
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None

    def get_queryset(self, request):
        queryset = self.model._default_manager.all()
        return policy_registry.get_by_type(self.model).scope_queryset(request.user, queryset)


class CertificateViewSet(ScopedSnippetViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    inspect_view_class = admin_views.CertificateInspectView
    list_display = [
        "number",
        "product_name",
        Column("body", label=pgettext_lazy("certification body", "Body"), accessor="body.code", sort_key="body__code"),
        Column("category", label=_("Category"), accessor="category.code", sort_key="category__code"),
        Column("status", label=_("Status"), accessor=effective_status_label, sort_key="status"),
        DateColumn("issued_on", label=_("Issued"), sort_key="issued_on"),
        DateColumn("expires_on", label=_("Expires"), sort_key="expires_on"),
        DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
    ]
    filterset_class = admin_views.CertificateFilterSet
    search_fields = ["number", "product_name", "product_name_en", "brand", "client__name_zh", "client__uscc"]
    ordering = ["-issued_on", "number"]
    list_per_page = 50
    inspect_view_fields = [
        "number",
        "status",
        "status_changed_on",
        "status_reason",
        "issued_on",
        "expires_on",
        "scheme",
        "rules",
        "standards",
        "mode",
        "product_name",
        "product_name_en",
        "product_models",
        "brand",
        "category",
        "body",
        "client",
        "producer",
        "manufacturer",
        "mark",
        "accreditation_mark",
        "energy_saving_kwh_per_year",
        "created_at",
        "updated_at",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("number"),
                    FieldRowPanel([FieldPanel("body"), FieldPanel("category")]),
                    FieldRowPanel([FieldPanel("issued_on"), FieldPanel("expires_on")]),
                    FieldPanel("scheme"),
                    FieldPanel("rules"),
                    FieldPanel("standards"),
                    FieldPanel("mode"),
                    FieldRowPanel([FieldPanel("mark"), FieldPanel("accreditation_mark")]),
                ],
                heading=_("Certificate"),
            ),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("status_reason")],
                heading=_("Status"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("product_name"),
                    FieldPanel("product_name_en"),
                    FieldPanel("product_models"),
                    FieldPanel("brand"),
                    FieldPanel("energy_saving_kwh_per_year"),
                ],
                heading=_("Product"),
            ),
            MultiFieldPanel(
                [FieldPanel("client"), FieldPanel("producer"), FieldPanel("manufacturer")],
                heading=_("Organisations"),
            ),
        ],
        base_form_class=CertificateAdminForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body", "category")


class TraceCodeViewSet(ScopedSnippetViewSet):
    model = TraceCode
    icon = "tag"
    menu_label = _("Trace codes")
    list_display = [
        "code",
        Column("certificate", label=_("Certificate"), accessor="certificate.number"),
        DateColumn("issued_at", label=_("Issued"), sort_key="issued_at"),
        Column("scan_count", label=_("Scans"), sort_key="scan_count"),
        DateColumn("last_scanned_at", label=_("Last scanned"), sort_key="last_scanned_at"),
    ]
    filterset_class = admin_views.TraceCodeFilterSet
    search_fields = ["code", "certificate__number"]
    inspect_view_fields = [
        "code",
        "certificate",
        "issued_at",
        "issued_by",
        "scan_count",
        "first_scanned_at",
        "last_scanned_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("certificate")


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = [
        "name_zh",
        "name_en",
        "uscc",
        "region_code",
        "country",
        DateColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
    ]
    list_filter = ["country"]
    search_fields = ["name_zh", "name_en", "uscc", "registration_number"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name_zh"),
            FieldPanel("name_en"),
            FieldRowPanel([FieldPanel("country"), FieldPanel("region_code")]),
            FieldRowPanel([FieldPanel("uscc"), FieldPanel("registration_number")]),
            FieldPanel("address"),
            FieldPanel("address_en"),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        ],
        base_form_class=OrganisationAdminForm,
    )


class CertificationBodyViewSet(SnippetViewSet):
    model = CertificationBody
    icon = "site"
    menu_label = _("Certification bodies")
    list_display = ["code", "name_zh", "name_en", "approval_number", "status"]
    list_filter = ["status"]
    search_fields = ["code", "name_zh", "name_en", "approval_number"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        FieldPanel("code"),
        FieldPanel("name_zh"),
        FieldPanel("name_en"),
        FieldPanel("approval_number"),
        FieldPanel("website"),
        FieldPanel("status"),
        FieldPanel("approved_categories"),
    ]


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "list-ul"
    menu_label = _("Product categories")
    list_display = ["code", "name_zh", "name_en", Column("group", label=_("Group"), accessor="group")]
    list_filter = ["group"]
    search_fields = ["code", "name_zh", "name_en", "standard"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        FieldPanel("code"),
        FieldPanel("group"),
        FieldPanel("name_zh"),
        FieldPanel("name_en"),
        FieldPanel("standard"),
    ]


class SpotCheckViewSet(SnippetViewSet):
    model = SpotCheck
    icon = "search"
    menu_label = _("Spot checks")
    list_display = [
        "organisation_name",
        "product",
        "year",
        "task_name",
        "result",
        DateColumn("published_on", label=_("Published"), sort_key="published_on"),
    ]
    filterset_class = admin_views.SpotCheckFilterSet
    search_fields = ["task_name", "organisation_name", "product", "findings"]
    search_backend_name = None
    inspect_view_enabled = True


class BlacklistEntryViewSet(SnippetViewSet):
    model = BlacklistEntry
    icon = "warning"
    menu_label = _("Blacklist")
    list_display = [
        "party_name",
        DateColumn("decided_on", label=_("Decided on"), sort_key="decided_on"),
        "decided_by",
        DateColumn("listed_until", label=_("Listed until"), sort_key="listed_until"),
    ]
    search_fields = ["party_name", "reason", "decided_by"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False


class ImportRunViewSet(SnippetViewSet):
    """Imports are made by the importer; the admin reads their reports."""

    model = ImportRun
    icon = "upload"
    menu_label = _("Imports")
    inspect_view_class = admin_views.ImportRunInspectView
    list_display = [
        "file_name",
        "outcome",
        "source",
        Column("rows_total", label=_("Rows")),
        Column("rows_created", label=_("Created")),
        Column("rows_updated", label=_("Updated")),
        DateColumn("started_at", label=_("Started"), sort_key="started_at"),
    ]
    filterset_class = admin_views.ImportRunFilterSet
    search_fields = ["file_name", "file_sha256"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "file_name",
        "file_sha256",
        "source",
        "outcome",
        "uploaded_by",
        "body",
        "rows_total",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "started_at",
        "finished_at",
    ]


class ApiTokenViewSet(SnippetViewSet):
    """A token's key is shown once, when it is made; afterwards it is renamed or revoked."""

    model = ApiToken
    icon = "key"
    add_view_class = admin_views.ApiTokenCreateView
    menu_label = _("API tokens")
    list_display = [
        "name",
        Column("body", label=pgettext_lazy("certification body", "Body"), accessor="body.code"),
        "key_prefix",
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
        DateColumn("last_used_at", label=_("Last used"), sort_key="last_used_at"),
        DateColumn("revoked_at", label=_("Revoked"), sort_key="revoked_at"),
    ]
    list_filter = ["body"]
    search_fields = ["name", "key_prefix"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = ["name", "body", "key_prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    edit_handler = ObjectList(
        [FieldPanel("body"), FieldPanel("name"), FieldPanel("key_prefix"), FieldPanel("revoked_at")],
        base_form_class=ApiTokenAdminForm,
    )


class BodyStaffViewSet(SnippetViewSet):
    model = BodyStaff
    icon = "user"
    menu_label = _("Body staff")
    list_display = [
        Column("user", label=_("User"), accessor="user"),
        Column("body", label=pgettext_lazy("certification body", "Body"), accessor="body"),
    ]
    list_filter = ["body"]
    search_fields = ["user__username", "user__email", "body__code", "body__name_zh"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList([FieldPanel("user"), FieldPanel("body")], base_form_class=BodyStaffAdminForm)


class CertificateRegistryViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Certificate registry")
    menu_icon = "doc-full-inverse"
    menu_order = 300
    items = (
        CertificateViewSet,
        TraceCodeViewSet,
        OrganisationViewSet,
        CertificationBodyViewSet,
        ProductCategoryViewSet,
        SpotCheckViewSet,
        BlacklistEntryViewSet,
        ImportRunViewSet,
        ApiTokenViewSet,
        BodyStaffViewSet,
    )


register_snippet(CertificateRegistryViewSetGroup)


# Reports from the public: read and followed up by market-supervision editors and
# administrators (permissions granted by migration); made only by the public form,
# deleted only by superusers (spam).
register_permission_policy(ConcernReport, ActionLimitedPolicy(ConcernReport, {"view", "change", "delete"}))


def in_registry_label(report):
    return _("yes") if report.certificate_id else _("no")


class ConcernReportViewSet(SnippetViewSet):
    model = ConcernReport
    icon = "mail"
    menu_label = _("Reports from the public")
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        "number",
        "kind",
        "status",
        Column("certificate", label=_("In the registry"), accessor=in_registry_label),
        DateColumn("created_at", label=_("Received"), sort_key="created_at"),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["number", "description", "where_seen"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "number",
        "certificate",
        "kind",
        "description",
        "where_seen",
        "contact",
        "language",
        "sender_key",
        "status",
        "editor_notes",
        "created_at",
        "updated_at",
    ]
    panels = [
        FieldRowPanel([FieldPanel("number", read_only=True), FieldPanel("kind", read_only=True)]),
        FieldPanel("description", read_only=True),
        FieldRowPanel([FieldPanel("where_seen", read_only=True), FieldPanel("contact", read_only=True)]),
        FieldPanel("status"),
        FieldPanel("editor_notes"),
    ]


register_snippet(ConcernReportViewSet)
