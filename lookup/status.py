"""The certificate status lifecycle.

Rules, as practised in Chinese product certification:

* a valid certificate may be suspended (暂停), withdrawn (注销) or revoked (撤销);
* a suspended one may be restored to valid once the holder has corrected the problem,
  or withdrawn or revoked;
* withdrawn and revoked are final: such a certificate never becomes valid again;
* expiry (过期) is a matter of date: a valid certificate past ``expires_on`` reads
  expired (``Certificate.effective_status``) without any job marking it. An expired
  certificate becomes valid again only by renewal, i.e. after ``expires_on`` has been
  extended; "expired" may be recorded explicitly (imports do) only once the date is
  past;
* suspending, withdrawing and revoking need a reason.

Every change goes through :func:`change_status`, which records it in the
certificate's history (``StatusChange``); :func:`status_on` answers "what was the
status on this day?" from that history.
"""

import calendar
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from lookup.models import Certificate, Status, StatusChange

TRANSITIONS = {
    Status.VALID: {Status.SUSPENDED, Status.WITHDRAWN, Status.REVOKED, Status.EXPIRED},
    Status.SUSPENDED: {Status.VALID, Status.WITHDRAWN, Status.REVOKED, Status.EXPIRED},
    Status.EXPIRED: {Status.VALID, Status.WITHDRAWN, Status.REVOKED},
    Status.WITHDRAWN: set(),
    Status.REVOKED: set(),
}
REASON_REQUIRED = {Status.SUSPENDED, Status.WITHDRAWN, Status.REVOKED}
SURVEILLANCE_INTERVAL_MONTHS = 12


def _format_lazy(template, **params):
    return lazy(lambda: str(template) % {key: str(value) for key, value in params.items()}, str)()


class StatusTransitionError(ValueError):
    """A status change the rules do not allow. ``code`` is a machine word
    ("unknown_status", "same_status", "final_status", "not_allowed", "past_expiry",
    "not_expired", "reason_required", "before_issue", "future_date",
    "before_last_change"); ``message`` says it to a person."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return str(self.message)


def _label(status):
    """The status's name for use inside a sentence, translated when read."""
    label = Status(status).label
    return lazy(lambda: str(label).lower(), str)()


def allowed_transitions(certificate, on=None):
    """The statuses ``certificate`` may move to on ``on`` (today by default)."""
    on = on or timezone.localdate()
    current = Status(certificate.effective_status(on))
    allowed = set(TRANSITIONS[current])
    if certificate.expires_on < on:
        allowed.discard(Status.VALID)
    else:
        allowed.discard(Status.EXPIRED)
    return [status for status in Status if status in allowed]


def check_transition(certificate, new_status, *, changed_on=None, reason=""):
    """Raise :class:`StatusTransitionError` unless ``certificate`` may move to
    ``new_status`` on ``changed_on`` for ``reason``. Writes nothing."""
    changed_on = changed_on or timezone.localdate()
    try:
        new_status = Status(new_status)
    except ValueError:
        raise StatusTransitionError(
            "unknown_status", _format_lazy(_("“%(status)s” is not a certificate status."), status=new_status)
        ) from None
    current = Status(certificate.effective_status(changed_on))

    if changed_on > timezone.localdate():
        raise StatusTransitionError("future_date", _("A status change cannot be dated in the future."))
    if changed_on < certificate.issued_on:
        raise StatusTransitionError(
            "before_issue",
            _format_lazy(
                _("A status change cannot be dated before the certificate was issued on %(date)s."),
                date=certificate.issued_on.isoformat(),
            ),
        )
    if certificate.pk:
        last = certificate.status_changes.order_by("-changed_on").values_list("changed_on", flat=True).first()
        if last and changed_on < last:
            raise StatusTransitionError(
                "before_last_change",
                _format_lazy(
                    _("A status change cannot be dated before the last recorded change, on %(date)s."),
                    date=last.isoformat(),
                ),
            )
    if new_status == current:
        raise StatusTransitionError(
            "same_status", _format_lazy(_("The certificate is already %(status)s."), status=_label(current))
        )
    if not TRANSITIONS[current]:
        raise StatusTransitionError(
            "final_status",
            _format_lazy(
                _("A certificate that is %(status)s keeps that status for good; issue a new certificate instead."),
                status=_label(current),
            ),
        )
    if new_status == Status.VALID and certificate.expires_on < changed_on:
        raise StatusTransitionError(
            "past_expiry",
            _format_lazy(
                _(
                    "The certificate expired on %(date)s. Renew it by extending its expiry date before "
                    "making it valid again."
                ),
                date=certificate.expires_on.isoformat(),
            ),
        )
    if new_status == Status.EXPIRED and certificate.expires_on >= changed_on:
        raise StatusTransitionError(
            "not_expired",
            _format_lazy(
                _("The certificate runs until %(date)s, so it has not expired yet."),
                date=certificate.expires_on.isoformat(),
            ),
        )
    if new_status not in TRANSITIONS[current]:
        raise StatusTransitionError(
            "not_allowed",
            _format_lazy(
                _("A certificate that is %(current)s cannot become %(new)s."),
                current=_label(current),
                new=_label(new_status),
            ),
        )
    if new_status in REASON_REQUIRED and not reason.strip():
        raise StatusTransitionError(
            "reason_required",
            _format_lazy(_("Give the reason the certificate is %(status)s."), status=_label(new_status)),
        )


def change_status(certificate, new_status, *, changed_on=None, reason="", user=None, source=StatusChange.Source.ADMIN):
    """Move a saved certificate to ``new_status`` and record the change.

    Validates the change (raises :class:`StatusTransitionError`), then in one
    transaction updates the certificate's status, date and reason and writes a
    ``StatusChange`` with the date, reason, user and source. The row is locked while
    this happens, so two concurrent changes cannot both pass the check. Other unsaved
    edits to ``certificate`` are not saved: save them first (a renewal saves the new
    expiry date, then makes the certificate valid).
    """
    changed_on = changed_on or timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        check_transition(locked, new_status, changed_on=changed_on, reason=reason)
        from_status = locked.effective_status(changed_on)
        locked.status = Status(new_status)
        locked.status_changed_on = changed_on
        locked.status_reason = reason
        locked.save(update_fields=["status", "status_changed_on", "status_reason", "updated_at"])
        change = StatusChange.objects.create(
            certificate=locked,
            from_status=from_status,
            to_status=locked.status,
            changed_on=changed_on,
            reason=reason,
            changed_by=user,
            source=source,
        )
    certificate.status = locked.status
    certificate.status_changed_on = locked.status_changed_on
    certificate.status_reason = locked.status_reason
    certificate.updated_at = locked.updated_at
    return change


def record_initial_status(certificate, *, user=None, source=StatusChange.Source.ADMIN):
    """Start the history of a newly saved certificate.

    The certificate was valid from its issue date; when it arrives with another
    status (an import of an older certificate), a second entry records that status
    on ``status_changed_on``. Returns the entries written; a certificate that already
    has a history is left alone and an empty list returned.
    """
    if certificate.status_changes.exists():
        return []
    entries = [
        StatusChange(
            certificate=certificate,
            from_status="",
            to_status=Status.VALID,
            changed_on=certificate.issued_on,
            changed_by=user,
            source=source,
        )
    ]
    if certificate.status != Status.VALID:
        changed_on = certificate.status_changed_on
        if changed_on is None:
            changed_on = (
                certificate.expires_on + datetime.timedelta(days=1)
                if certificate.status == Status.EXPIRED
                else certificate.issued_on
            )
        entries.append(
            StatusChange(
                certificate=certificate,
                from_status=Status.VALID,
                to_status=certificate.status,
                changed_on=max(changed_on, certificate.issued_on),
                reason=certificate.status_reason,
                changed_by=user,
                source=source,
            )
        )
    with transaction.atomic():
        for entry in entries:
            entry.save()
    return entries


def status_on(certificate, day):
    """The status ``certificate`` had on ``day``, from its history: None before it
    was issued; a valid certificate past its expiry date reads expired."""
    if day < certificate.issued_on:
        return None
    last = (
        certificate.status_changes.filter(changed_on__lte=day)
        .order_by("-changed_on", "-recorded_at", "-pk")
        .values_list("to_status", flat=True)
        .first()
    )
    if last is not None:
        status = Status(last)
    elif certificate.status_changed_on and day >= certificate.status_changed_on:
        status = Status(certificate.status)
    elif certificate.status_changed_on:
        status = Status.VALID
    else:
        status = Status(certificate.status)
    if status == Status.VALID and certificate.expires_on < day:
        return Status.EXPIRED
    return status


def _add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def surveillance_due(certificate, last_audit_on=None):
    """The latest date of the next surveillance audit: no more than 12 months after
    the last one (or after issue, before the first)."""
    return _add_months(last_audit_on or certificate.issued_on, SURVEILLANCE_INTERVAL_MONTHS)


def surveillance_overdue(certificate, last_audit_on=None, on=None):
    """Whether a certificate still in force has gone more than 12 months without a
    surveillance audit (grounds for suspension)."""
    on = on or timezone.localdate()
    if certificate.effective_status(on) != Status.VALID:
        return False
    return on > surveillance_due(certificate, last_audit_on)
