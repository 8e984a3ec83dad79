import time

from django.core.management.base import BaseCommand

from recommendations.services.translations import translation_memory_backfill


class Command(BaseCommand):
    help = (
        "Put into the translation memory every translation stored before it existed (the "
        "recommendations' translations and those of their history, with the source each "
        "was made from). The migration that added it ran it once; run it again after "
        "loading data around the services. Safe to run again: what is there stays."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        added = translation_memory_backfill()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{added} translations added to the memory in {seconds:.1f} s.")
