"""Keeping the audit log for the required period, and not longer than wanted.

GB/T 22239-2019 asks that audit records be kept safe; China's Cybersecurity Law
(article 21) asks for network logs to be kept for no less than six months.
:func:`purge_audit_events` therefore refuses to delete anything younger than
:data:`MINIMUM_RETENTION_DAYS`.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from security.models import AuditEvent

MINIMUM_RETENTION_DAYS = 183


class RetentionError(ValueError):
    pass


def purge_audit_events(older_than_days, now=None):
    """Delete audit events older than ``older_than_days`` days; return how many.

    Raises :class:`RetentionError` when ``older_than_days`` is under the minimum.
    """
    if older_than_days < MINIMUM_RETENTION_DAYS:
        raise RetentionError(
            _("Audit events must be kept at least %(days)s days; %(asked)s is too few.")
            % {"days": MINIMUM_RETENTION_DAYS, "asked": older_than_days}
        )
    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    deleted, _by_model = AuditEvent.objects.filter(occurred_at__lt=cutoff).delete()
    return deleted
