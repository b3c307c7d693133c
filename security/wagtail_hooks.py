"""The audit log in the admin, for members of "Auditors" (``security.view_auditevent``),
the two-factor set-up, enrolment and verification pages, and the administrators'
reset of another user's second factor (a button in the user listing)."""

from django_otp import user_has_device

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from security import two_factor
from security.models import AuditEvent
from security.views import AuditEventViewSet, ReadOnlyPolicy

register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_log_viewset():
    return AuditEventViewSet("audit_log")


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/", two_factor.setup, name="security_two_factor"),
        path("two-factor/verify/", two_factor.verify, name="security_two_factor_verify"),
        path("two-factor/enrol/", two_factor.enrol, name="security_two_factor_enrol"),
        path("two-factor/reset/<int:user_id>/", two_factor.reset, name="security_two_factor_reset"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("security_two_factor"),
        "label": _("Two-factor authentication"),
        "help_text": _("Ask for a code from an authenticator app after the password."),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if not two_factor.can_reset(request_user, user) or not user_has_device(user):
        return []
    return [
        Button(
            _("Reset two-factor authentication"),
            reverse("security_two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
    ]
