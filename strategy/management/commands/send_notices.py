from django.core.management.base import BaseCommand

from recommendations.tasks import review_assignments_roll_over, review_reminders_send
from strategy.tasks import notices_digest_send, notices_sweep
from timeline.tasks import milestone_notices_send


class Command(BaseCommand):
    help = (
        "Run the periodic notice tasks once, here and now: review roll-over and reminders, "
        "milestone notices, daily digests, and the sweep (notices gathered into one e-mail "
        "whose wait is over, stuck notices). Beat runs them "
        "on its schedule in production; this is for the embedded default and for cron. "
        "Safe to run as often as you like: each notice goes out once."
    )

    def handle(self, *args, **options):
        for task in (
            review_assignments_roll_over,
            review_reminders_send,
            milestone_notices_send,
            notices_digest_send,
            notices_sweep,
        ):
            result = task.apply().get()
            self.stdout.write(f"{task.name}: {result}")
