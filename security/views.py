"""The audit log in the Wagtail admin: a read-only listing with filters and export."""

import django_filters

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from security.models import AuditEvent


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Django's "view" permission and nothing more: the log is never edited by hand."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


def action_choices():
    actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    return [(action, action) for action in actions]


class AuditEventFilterSet(WagtailFilterSet):
    occurred_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    actor = django_filters.CharFilter(label=_("Actor"), field_name="actor_label", lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=action_choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=AuditEvent.Outcome.choices)
    ip_address = django_filters.CharFilter(label=_("Address"), lookup_expr="startswith")

    class Meta:
        model = AuditEvent
        fields = []


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 850
    add_to_admin_menu = True
    url_prefix = "audit-log"
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = AuditEventFilterSet
    search_fields = ["actor_label", "action", "object_repr", "object_id"]
    search_backend_name = None
    list_per_page = 100
    list_display = [
        DateColumn("occurred_at", label=_("Time"), sort_key="occurred_at"),
        Column("actor_label", label=_("Actor"), sort_key="actor_label"),
        Column("ip_address", label=_("Address")),
        Column("action", label=_("Action"), sort_key="action"),
        Column("object_repr", label=_("Object")),
        Column("outcome", label=_("Outcome"), accessor="get_outcome_display", sort_key="outcome"),
    ]
    list_export = [
        "occurred_at",
        "actor_label",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "outcome",
        "details",
    ]
    export_filename = "audit-log"
    inspect_view_fields = list_export
    # The policy refuses adding and editing to everyone; Wagtail still wants a form.
    form_fields = ["action"]
