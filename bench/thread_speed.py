"""What a version's page and its fragments cost with threads of 10, 1,000 and 10,000
comments, at 100 times the reference case; results in bench/results/threads.md.

    .venv/bin/python bench/thread_speed.py [--repeat 9]

It reads the data set bench/load.py fills (strategy_load: `make bench-load` once, or
`manage.py scale_data` under bench.settings): its review with a long discussion (one
thread of 1,000 comments) and its review with a very long one (200 threads, one of
10,000). The first run adds a review with a short discussion (one thread of 10) to the
same recommendation as the first.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import ENV, RESULTS  # noqa: E402

SHORT = "Review with a short discussion"


class Queries:
    """Counts the statements a request runs, and their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def short_version():
    from recommendations import services
    from recommendations.models import Version

    found = Version.objects.filter(name=SHORT).first()
    if found:
        return found
    long = Version.objects.get(name="Review with a long discussion")
    version = Version.objects.create(
        recommendation=long.recommendation,
        revision=long.revision,
        kind=Version.Kind.REVIEW,
        name=SHORT,
        open_to_all_reviewers=True,
    )
    author = long.recommendation.updated_by
    thread = services.thread_start(version=version, user=author, body="A short discussion")
    for number in range(9):
        services.comment_reply(thread=thread, user=author, body=f"Reply {number}")
    return version


def measure(client, path: str, repeat: int) -> dict:
    from django.db import connection

    client.get(path)
    queries = Queries()
    with connection.execute_wrapper(queries):
        status = client.get(path).status_code
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": status,
        "queries": queries.count,
        "database": queries.seconds * 1000,
        "median": statistics.median(times),
        "best": min(times),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    os.environ.update({**ENV, "PUBLIC_PAGE_CACHE": "false"})
    import django

    django.setup()
    from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from recommendations.models import Version

    staticfiles_storage._wrapped = StaticFilesStorage()
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    versions = [
        short_version(),
        Version.objects.get(name="Review with a long discussion"),
        Version.objects.get(name="Review with a very long discussion"),
    ]
    client.force_login(versions[0].recommendation.updated_by)
    rows = []
    for version in versions:
        threads = version.threads.annotate(n=Count("comments")).order_by("-n")
        longest = threads.first()
        label = f"{threads.count()} thread(s), the longest {longest.n:,} comments"
        latest = longest.comments.order_by("-created_at", "-pk")[3]
        pages = {
            "version page": version.get_absolute_url(),
            "more threads (page 2)": reverse(
                "recommendations:version_threads", args=[version.recommendation_id, version.pk]
            )
            + "?page=2",
            "earlier replies (50)": reverse(
                "recommendations:thread_replies", args=[version.recommendation_id, longest.pk]
            )
            + f"?before={latest.pk}",
        }
        for name, path in pages.items():
            row = {"version": label, "page": name, **measure(client, path, args.repeat)}
            rows.append(row)
            print(
                f"{label}: {name}: {row['status']}, {row['queries']} queries "
                f"({row['database']:.1f} ms), median {row['median']:.1f} ms, "
                f"best {row['best']:.1f} ms"
            )
    lines = [
        "# A version's threads at 100 times the reference case",
        "",
        f"`bench/thread_speed.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {args.repeat} "
        "requests each through Django's test client (no server), signed in as a member.",
        "",
        "| version | page | queries | database | median | best |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        *(
            f"| {row['version']} | {row['page']} | {row['queries']} | {row['database']:.1f} ms"
            f" | {row['median']:.1f} ms | {row['best']:.1f} ms |"
            for row in rows
        ),
        "",
    ]
    (RESULTS / "threads.md").write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
