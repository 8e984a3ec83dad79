from django.core.management.base import BaseCommand

from strategy.beat import beat_schedule_sync


class Command(BaseCommand):
    help = (
        "Write the periodic tasks of settings.PERIODIC_TASKS into beat's schedule in the "
        "database: add the entries that are missing, leave the others as they are (with "
        "the core team's changes in the admin). Run it at each deploy, after migrate."
    )

    def handle(self, *args, **options):
        created, kept = beat_schedule_sync()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            f"Beat schedule: {len(created)} added ({', '.join(created) or 'none'}), "
            f"{len(kept)} left as they are."
        )
