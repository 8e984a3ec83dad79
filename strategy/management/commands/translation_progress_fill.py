import time

from django.core.management.base import BaseCommand

from recommendations.selectors.reading import recommendations_published
from recommendations.services.translations import translation_progress_record

# Recommendations counted per transaction: their texts in every language are read at once.
BATCH = 200


class Command(BaseCommand):
    help = (
        "Count again how much of every published recommendation is translated into each "
        "language, and store it (what the translators' home and its completeness table "
        "read). Upgrading counts them once (migration 0022); run it whenever the counts are "
        "in doubt (data loaded around the services); saving a translation or publishing "
        "keeps them. Safe to run again."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        pks = list(recommendations_published().order_by("pk").values_list("pk", flat=True))
        written = 0
        for start in range(0, len(pks), BATCH):
            batch = recommendations_published().filter(pk__in=pks[start : start + BATCH])
            written += translation_progress_record(recommendations=list(batch))
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{written} counts stored for {len(pks)} recommendations in {seconds:.1f} s."
        )
