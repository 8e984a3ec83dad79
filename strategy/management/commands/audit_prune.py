from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from strategy.audit import audit_prune


class Command(BaseCommand):
    help = (
        "Delete audit events older than the retention period: --days, or the "
        "AUDIT_LOG_RETENTION_DAYS setting. The only way events leave the log; run it daily "
        "(cron). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = days if days is not None else settings.AUDIT_LOG_RETENTION_DAYS
        try:
            deleted = audit_prune(days=days)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{deleted} audit events older than {days} days deleted.")
