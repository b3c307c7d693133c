from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from security.audit import record
from security.retention import MINIMUM_RETENTION_DAYS, RetentionError, purge_audit_events


class Command(BaseCommand):
    help = (
        f"Delete audit events older than --older-than-days (default AUDIT_LOG_RETENTION_DAYS); "
        f"refuses fewer than {MINIMUM_RETENTION_DAYS} days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, default=None)

    def handle(self, *args, older_than_days=None, **options):
        days = settings.AUDIT_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
        try:
            deleted = purge_audit_events(days)
        except RetentionError as error:
            raise CommandError(str(error)) from None
        record("audit_log.purge", actor_label="manage.py purge_audit_log", details={"days": days, "deleted": deleted})
        self.stdout.write(f"Deleted {deleted} audit events older than {days} days.")
