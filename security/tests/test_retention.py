"""Purging the audit log keeps at least six months."""

import datetime

import pytest

from django.core.management import CommandError, call_command
from django.utils import timezone

from security.models import AuditEvent
from security.retention import MINIMUM_RETENTION_DAYS
from security.tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_purge_refuses_fewer_than_183_days():
    AuditEventFactory(occurred_at=days_ago(300))
    with pytest.raises(CommandError):
        call_command("purge_audit_log", older_than_days=MINIMUM_RETENTION_DAYS - 1)
    assert AuditEvent.objects.filter(occurred_at__lt=days_ago(299)).count() == 1


def test_purge_deletes_only_events_older_than_asked():
    old = AuditEventFactory(occurred_at=days_ago(400))
    kept = AuditEventFactory(occurred_at=days_ago(200))
    call_command("purge_audit_log", older_than_days=365)
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert kept.pk in remaining
    assert old.pk not in remaining


def test_purge_is_itself_recorded():
    call_command("purge_audit_log", older_than_days=365)
    event = AuditEvent.objects.get(action="audit_log.purge")
    assert event.details == {"days": 365, "deleted": 0}


def test_purge_without_days_uses_the_retention_setting(settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 190
    old = AuditEventFactory(occurred_at=days_ago(195))
    call_command("purge_audit_log")
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
