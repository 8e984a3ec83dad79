"""How long one Celery worker takes to send 10,000 due review reminders, against the
baseline of sending 10,000 e-mails with no queue and no ledger, in the same run.

    make bench-reminders   (needs PostgreSQL and Redis, as `make test` does)

The worker is a real `celery worker` process (one, solo pool) on Redis; mail goes to
Django's in-memory backend, so the figure is the cost of the queue, the ledger and the
rendering, not of an SMTP server.
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/strategy_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
COUNT = int(os.environ.get("BENCH_REMINDERS", "10000"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "strategy.settings.test",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CELERY_TASK_ALWAYS_EAGER": "false",
    # A worker keeps its database connection between tasks, as in production.
    "CONN_MAX_AGE": "60",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.mail import EmailMultiAlternatives  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402


def create_database() -> None:
    import psycopg2

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = psycopg2.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def data() -> None:
    from django.contrib.auth import get_user_model

    from groups.models import ThematicArea, WorkingGroup
    from recommendations import services
    from recommendations.models import ReviewAssignment
    from strategy.models import Notice
    from strategy.source_language import source_field

    Notice.objects.all().delete()
    ReviewAssignment.objects.all().delete()
    users = get_user_model()
    users.objects.filter(username__startswith="bench-").delete()
    name = source_field("name")
    area, _ = ThematicArea.objects.get_or_create(slug="bench", defaults={name: "Bench"})
    group, _ = WorkingGroup.objects.get_or_create(
        slug="bench", defaults={name: "Bench", "thematic_area": area}
    )
    author = users.objects.create(username="bench-author", email="author@example.org")
    recommendation = services.recommendation_create(
        working_group=group, user=author, title="Bench", body="Text"
    )
    version = services.version_freeze(
        recommendation=recommendation, user=author, kind="review", name="Bench review"
    )
    reviewers = users.objects.bulk_create(
        users(username=f"bench-{index}", email=f"bench-{index}@example.org")
        for index in range(1000)
    )
    due = timezone.localdate() + timedelta(days=2)
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(version=version, reviewer=reviewers[index % 1000], due_on=due)
        for index in range(COUNT)
    )


def baseline(count: int = COUNT) -> float:
    """Sending `count` rendered e-mails straight to the in-memory backend, in one process."""
    mail.outbox = []
    start = time.perf_counter()
    connection_ = mail.get_connection("django.core.mail.backends.locmem.EmailBackend")
    for index in range(count):
        message = EmailMultiAlternatives(
            f"Review due soon {index}",
            "A reminder.",
            to=[f"bench-{index}@example.org"],
            connection=connection_,
        )
        message.attach_alternative("<p>A reminder.</p>", "text/html")
        message.send()
    return time.perf_counter() - start


def best_baseline(count: int = COUNT) -> float:
    """The quickest of three: the machine's other work slows a short run the most, and a
    slow baseline would flatter the ratio."""
    return min(baseline(count) for _ in range(3))


@contextmanager
def one_worker():
    """A real `celery worker` (one, solo pool) on the bench's Redis, started and answering:
    timed from then on, as a running worker is."""
    from strategy.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "strategy",
            "worker",
            "--pool=solo",
            "--loglevel=ERROR",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the worker did not start")
        yield worker
    finally:
        worker.terminate()
        worker.wait(30)


def wait_until(worker, done) -> None:
    """Until `done()`, looked at ten times a second."""
    while not done():
        if worker.poll() is not None:
            raise SystemExit("the worker stopped")
        time.sleep(0.1)


def with_worker() -> float:
    from recommendations.tasks import review_reminders_send
    from strategy.models import Notice

    with one_worker() as worker:
        start = time.perf_counter()
        review_reminders_send.delay()
        wait_until(worker, lambda: Notice.objects.filter(state="sent").count() >= COUNT)
        return time.perf_counter() - start


RESULTS = ROOT / "bench" / "results" / "reminders.md"


def main() -> None:
    create_database()
    call_command("migrate", verbosity=0)
    data()
    connection.close()
    base = best_baseline()
    queued = with_worker()
    lines = [
        f"{'what':55} {'seconds':>8} {'per second':>11} {'x baseline':>11}",
        f"{f'{COUNT} e-mails sent directly (baseline)':55} {base:8.1f} {COUNT / base:11.0f} "
        f"{1.0:11.2f}",
        f"{f'{COUNT} due reminders through one worker':55} {queued:8.1f} "
        f"{COUNT / queued:11.0f} {queued / base:11.2f}",
    ]
    print("\n".join(lines))
    if COUNT == 10000:
        RESULTS.write_text(
            "# Review reminders through one worker\n\n"
            "`make bench-reminders` (bench/reminders_speed.py): 10,000 due review reminders, "
            "recorded in the ledger by the reminders task and sent in batches of "
            f"{settings.NOTICE_SEND_BATCH} by one real Celery worker (solo pool) to the "
            "in-memory backend, against sending 10,000 e-mails directly with no queue and no "
            "ledger, in the same run (the quickest of three).\n\n"
            "```\n" + "\n".join(lines) + "\n```\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
