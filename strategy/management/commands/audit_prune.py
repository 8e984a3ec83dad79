from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from strategy.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Delete audit events older than the retention period: --days, or the "
        "AUDIT_LOG_RETENTION_DAYS setting (365 days when unset). The only way events leave "
        "the log; run it from cron or a beat entry. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = days if days is not None else getattr(settings, "AUDIT_LOG_RETENTION_DAYS", 365)
        if days < 1:
            self.stderr.write("The retention period is one day at least.")
            return
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
        self.stdout.write(f"{deleted} audit events older than {days} days deleted.")
