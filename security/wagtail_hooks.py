"""The audit log in the admin, for members of "Auditors" (``security.view_auditevent``)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from security.models import AuditEvent
from security.views import AuditEventViewSet, ReadOnlyPolicy

register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_log_viewset():
    return AuditEventViewSet("audit_log")
