"""Signal receivers that feed the audit trail.

Sign-ins (success, failure, sign-out, lockout), Wagtail's own log entries (every
page and snippet action in the admin), finished imports and certificate status
changes each become an :class:`~security.models.AuditEvent`.
"""

import time

from axes.signals import user_locked_out

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import ModelLogEntry, PageLogEntry

from lookup.models import ImportRun, StatusChange
from security.audit import Outcome, record
from security.middleware import LAST_ACTIVITY_KEY

# Keys of login form data that may be kept in the audit log; never the password.
CREDENTIAL_NAME_KEYS = ("username", "email")


@receiver(user_logged_in, dispatch_uid="security_login")
def record_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())
    record("login", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="security_login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    name = next((str(credentials[key]) for key in CREDENTIAL_NAME_KEYS if credentials.get(key)), "")
    record(
        "login",
        outcome=Outcome.FAILURE,
        actor_label=name,
        request=request,
        details={"locked_out": bool(getattr(request, "axes_locked_out", False))},
    )


@receiver(user_logged_out, dispatch_uid="security_logout")
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        record("logout", actor=user, request=request)


@receiver(user_locked_out, dispatch_uid="security_locked_out")
def record_lockout(sender, request, username=None, ip_address=None, **kwargs):
    record("lockout", outcome=Outcome.FAILURE, actor_label=username or "", request=request)


def _mirror_log_entry(entry):
    user = entry.user
    record(
        entry.action,
        actor=user,
        actor_label=user.get_username() if user is not None else "",
        object_type=f"{entry.content_type.app_label}.{entry.content_type.model}" if entry.content_type_id else "",
        object_id=str(entry.object_id),
        object_repr=(entry.label or "")[:255],
        details={"log_entry": entry.pk, "data": entry.data or {}},
    )


@receiver(post_save, sender=ModelLogEntry, dispatch_uid="security_model_log_entry")
def record_model_log_entry(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _mirror_log_entry(instance)


@receiver(post_save, sender=PageLogEntry, dispatch_uid="security_page_log_entry")
def record_page_log_entry(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _mirror_log_entry(instance)


@receiver(post_save, sender=ImportRun, dispatch_uid="security_import_run")
def record_import(sender, instance, raw=False, **kwargs):
    """Recorded once the run is finished, when its outcome is known."""
    if raw or instance.finished_at is None:
        return
    record(
        "import",
        obj=instance,
        outcome=Outcome.SUCCESS if instance.outcome == ImportRun.Outcome.IMPORTED else Outcome.FAILURE,
        actor=instance.uploaded_by,
        details={
            "source": instance.source,
            "body": instance.body.code if instance.body_id else "",
            "rows": instance.rows_total,
            "created": instance.rows_created,
            "updated": instance.rows_updated,
            "errors": len(instance.errors or []),
        },
    )


@receiver(post_save, sender=StatusChange, dispatch_uid="security_status_change")
def record_status_change(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    certificate = instance.certificate
    record(
        "status_change",
        actor=instance.changed_by,
        object_type="lookup.certificate",
        object_id=str(certificate.pk),
        object_repr=certificate.number,
        details={
            "from": instance.from_status,
            "to": instance.to_status,
            "changed_on": instance.changed_on.isoformat(),
            "reason": instance.reason,
            "source": instance.source,
        },
    )
