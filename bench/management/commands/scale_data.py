import time

from django.core.management.base import BaseCommand, CommandError

from bench import scale

SIZES = (
    "members",
    "recommendations",
    "revisions",
    "comments",
    "long_comments",
    "threads",
    "notices",
)


class Command(BaseCommand):
    help = (
        "Fill an empty PostgreSQL database with a data set at 100 times the reference case "
        "(10,000 recommendations with 20 revisions each, 50,000 notices...), for load tests."
    )

    def add_arguments(self, parser):
        defaults = scale.Size()
        for name in SIZES:
            parser.add_argument(
                f"--{name}",
                type=int,
                default=getattr(defaults, name),
                help=f"How many {name} (default {getattr(defaults, name):,}).",
            )

    def handle(self, *args, **options):
        size = scale.Size(**{name: options[name] for name in SIZES})
        if size.revisions < 3 or min(size.members, size.recommendations) < 10:
            raise CommandError("Ask for at least 10 members, 10 recommendations, 3 revisions.")
        started = time.perf_counter()
        try:
            counts = scale.generate(size, log=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {summary} in {seconds:.1f} s."))
