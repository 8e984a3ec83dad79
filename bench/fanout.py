"""A fan-out: a recommendation that 10,000 people watch is published in an iteration, which
opens its community feedback; each watcher is told once, in their language. Measured from
the event (the product's own service, recommendation_publish, in this process) to the last
e-mail sent by one real Celery worker, with the queries of the event, against the baseline
of sending 10,000 e-mails directly, in the same run.

    make bench-fanout   (needs PostgreSQL and Redis, as `make test` does)

Results in bench/results/fanout.md. The worker and the baseline are those of
bench/reminders_speed.py (mail to Django's in-memory backend).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COUNT = int(os.environ.get("BENCH_WATCHERS", "10000"))
os.environ.setdefault("BENCH_REMINDERS", str(COUNT))

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from bench.reminders_speed import (  # noqa: E402 (sets the bench's settings up)
    best_baseline,
    create_database,
    one_worker,
    wait_until,
)

RESULTS = ROOT / "bench" / "results" / "fanout.md"
LANGUAGES = ["en", "zh-hans", "arz"]


def data():
    """A group with one recommendation, watched by COUNT people (a third in each of the
    site's languages), and an open iteration to publish it in."""
    from django.contrib.auth import get_user_model

    from groups.models import ThematicArea, WorkingGroup
    from recommendations import services
    from recommendations.models import Iteration, Watch
    from strategy.models import Notice
    from strategy.source_language import source_field

    Notice.objects.all().delete()
    users = get_user_model()
    users.objects.filter(username__startswith="fanout-").delete()
    name = source_field("name")
    area, _ = ThematicArea.objects.get_or_create(slug="fanout", defaults={name: "Fan-out"})
    group, _ = WorkingGroup.objects.get_or_create(
        slug="fanout", defaults={name: "Fan-out", "thematic_area": area}
    )
    author = users.objects.create(username="fanout-author", email="fanout-author@example.org")
    recommendation = services.recommendation_create(
        working_group=group, user=author, title="Fan-out", body="Text"
    )
    watchers = users.objects.bulk_create(
        users(
            username=f"fanout-{index}",
            email=f"fanout-{index}@example.org",
            language=LANGUAGES[index % len(LANGUAGES)],
        )
        for index in range(COUNT)
    )
    Watch.objects.bulk_create(
        Watch(user=person, recommendation=recommendation, watching=True) for person in watchers
    )
    iteration = Iteration.objects.create(
        name=f"Fan-out {time.time_ns()}", slug=f"fanout-{time.time_ns()}"
    )
    return recommendation, author, iteration


def with_worker(recommendation, author, iteration) -> tuple[float, float, int, int]:
    """Seconds from the event to its notices recorded (the publishing transaction), and to
    the last one sent; the queries of the event; the notices sent."""
    from recommendations.services.review import recommendation_publish
    from strategy.models import Notice

    told = Notice.objects.filter(kind="watched.published")
    with one_worker() as worker:
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            recommendation_publish(recommendation=recommendation, user=author, iteration=iteration)
        recorded = time.perf_counter() - start
        expected = told.count()
        wait_until(worker, lambda: told.filter(state="sent").count() >= expected)
        return recorded, time.perf_counter() - start, len(queries), expected


def main() -> None:
    create_database()
    call_command("migrate", verbosity=0)
    recommendation, author, iteration = data()
    connection.close()
    # A running site has its URLs loaded; this process loads them before the clock starts.
    get_resolver().url_patterns  # noqa: B018
    base = best_baseline(COUNT)
    recorded, sent, queries, told = with_worker(recommendation, author, iteration)
    if told != COUNT:
        raise SystemExit(f"{told} watchers told, not {COUNT}")
    batches = -(-COUNT // settings.NOTICE_SEND_BATCH)
    rows = [
        ("what", "seconds", "per second", "x baseline"),
        (f"{COUNT} e-mails sent directly (baseline)", base, COUNT / base, 1.0),
        (
            f"publishing, {COUNT} watchers' notices recorded",
            recorded,
            COUNT / recorded,
            recorded / base,
        ),
        (
            f"publishing to the last of {COUNT} e-mails sent, one worker",
            sent,
            COUNT / sent,
            sent / base,
        ),
    ]
    lines = [f"{rows[0][0]:60} {rows[0][1]:>8} {rows[0][2]:>11} {rows[0][3]:>11}"]
    lines += [f"{a:60} {b:8.1f} {c:11.0f} {d:11.2f}" for a, b, c, d in rows[1:]]
    lines.append(
        f"queries of the event (publishing, recording {COUNT} notices): {queries}; "
        f"of sending: 3 for each of {batches} batches of {settings.NOTICE_SEND_BATCH}"
    )
    print("\n".join(lines))
    RESULTS.write_text(
        "# Fan-out: one recommendation published to its watchers\n\n"
        "`make bench-fanout` (bench/fanout.py): a recommendation watched by "
        f"{COUNT} people (a third each in English, Simplified Chinese and Egyptian Arabic) is "
        "published in an iteration through `recommendation_publish`; each watcher is told "
        "once, in their language. One real Celery worker sends the e-mails to the in-memory "
        "backend; the baseline sends as many e-mails directly, in the same run (the quickest "
        "of three).\n\n"
        "```\n" + "\n".join(lines) + "\n```\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
