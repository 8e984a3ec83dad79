"""A feedback period opening: many people on the site at once, for a bounded time, against a
baseline measured in the same run.

    make bench-live                            (generates the data set, then measures)
    .venv/bin/python bench/live_session.py --keep-data    (reuses bench-load's data set)

On the data set of `make bench-load` (100 times the reference case) and the same server
(gunicorn, 2 sync workers, the production settings, PostgreSQL, Redis, the public page cache
on), Locust (bench/locustfile.py) plays 500 people for two minutes: 90% read public pages
(home, the list, a recommendation, search, an iteration), 8% are signed in and read their
workspace, notifications and "Needs me", 2% write (feedback, a reply, an edit of a draft two
of them share, so that edits meet now and then). Each pauses 3 to 10 s between requests.

First the same number of people, with the same pauses, ask only for the baseline view (a
trivial view behind the same middleware). The report gives throughput, errors and the
median, 95th and 99th percentile per kind of request, the most database connections open at
once, and what became of the edits, in bench/results/live_session.md and .json. The run exits
non-zero if any request failed.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The writers write more in two minutes than the hourly feedback limit lets one person: the
# limit has tests of its own; here it would turn their posts away.
os.environ.setdefault("FEEDBACK_PER_HOUR", "100000")

from bench import load  # noqa: E402

RESULTS = ROOT / "bench" / "results"
LOCUST = str(Path(sys.executable).parent / "locust")
PEOPLE = ("Reader", "Member", "Writer")


def build_plan(*, origin: str, members: int, writers: int, wait: tuple[float, float]) -> dict:
    """Who the simulated people are and what they read, from the database: sessions for the
    signed-in, writers paired on drafts they may edit, public addresses to read."""
    import rules
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench.scale import WORDS
    from groups.models import Membership, active_membership_q
    from recommendations.models import Iteration, Recommendation

    def session_of(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    published = list(
        Recommendation.objects.filter(published_version__isnull=False)
        .exclude(state=Recommendation.State.WITHDRAWN)
        .select_related("working_group")
        .order_by("?")[:200]
    )
    people = list(
        Membership.objects.filter(active_membership_q(), user__is_active=True)
        .select_related("user", "working_group")
        .order_by("user_id")
    )
    signed_in, seen = [], set()
    for membership in people:
        if len(signed_in) == members:
            break
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            signed_in.append(session_of(membership.user))
    # Writers two by two on one draft each, people not among the signed-in readers.
    pairs = []
    drafts = Recommendation.objects.exclude(state=Recommendation.State.WITHDRAWN).order_by("pk")
    for draft in drafts.select_related("working_group")[:200]:
        if len(pairs) * 2 >= writers:
            break
        editors = [
            m.user
            for m in people
            if m.working_group_id == draft.working_group_id
            and m.user_id not in seen
            and rules.has_perm("recommendations.edit", m.user, draft)
        ][:2]
        if len(editors) == 2:
            seen.update(user.pk for user in editors)
            pairs.append((draft, editors))
    if len(pairs) * 2 < writers:
        raise SystemExit(f"The data set has too few drafts with two editors for {writers} writers.")
    writing = [
        {
            "session": session_of(user),
            "edit": draft.pk,
            "feedback_on": published[index % len(published)].get_public_url(),
        }
        for index, (draft, editors) in enumerate(pairs)
        for user in editors
    ][:writers]
    count = Recommendation.objects.filter(published_version__isnull=False).count()
    return {
        "origin": origin,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "wait_min": wait[0],
        "wait_max": wait[1],
        "recommendations": [r.get_public_url() for r in published],
        "iterations": [
            reverse("public:iteration", args=[i.slug])
            for i in Iteration.objects.order_by("position")
        ],
        "list_pages": max(1, min(50, count // 25)),
        "words": list(WORDS),
        "members": signed_in,
        "writers": writing,
    }


def warm_up(plan: dict) -> int:
    """Ask once for every public page the readers will read, as a site that has been running
    holds them: the session measures a feedback period opening, not a cold start."""
    import urllib.request

    paths = ["/", *plan["recommendations"], *plan["iterations"]]
    paths += [f"/recommendations/?page={page}" for page in range(1, plan["list_pages"] + 1)]
    paths += [f"/recommendations/?q={word}" for word in plan["words"]]
    for path in paths:
        request = urllib.request.Request(load.BASE + path, headers=load.PROXY_HEADERS)
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    return len(paths)


def locust(classes, *, host: str, plan: Path, people: int, seconds: int, spawn: int, out: Path):
    """One headless Locust run; its figures per kind of request (Locust's CSV)."""
    prefix = out / "locust"
    env = {
        **os.environ,
        "LIVE_SESSION_PLAN": str(plan),
        "LIVE_SESSION_OUTCOMES": str(out / "outcomes.json"),
    }
    subprocess.run(
        [
            LOCUST,
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(people),
            "-r",
            str(spawn),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "30",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        env=env,
        cwd=ROOT,
        check=False,  # Locust exits 1 when a request failed: the figures say which
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    outcomes = out / "outcomes.json"
    return rows, json.loads(outcomes.read_text()) if outcomes.exists() else {}


class Connections(threading.Thread):
    """The database connections open on the data set, sampled twice a second."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.url, self.database = database_url.rsplit("/", 1)
        self.samples: list[int] = []
        self.stopping = threading.Event()

    def run(self):
        import psycopg2

        connection = psycopg2.connect(f"{self.url}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            while not self.stopping.wait(0.5):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [self.database]
                )
                self.samples.append(cursor.fetchone()[0])
        connection.close()

    def stop(self) -> dict:
        self.stopping.set()
        self.join()
        return {"most": max(self.samples, default=0), "samples": len(self.samples)}


def figures(row: dict) -> dict:
    requests = int(row["Request Count"])
    return {
        "name": row["Name"],
        "requests": requests,
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
    }


def table(baseline: dict, rows: list[dict], *, info: dict) -> str:
    lines = [
        "| Request | requests | req/s | failures | median ms | p95 ms | p99 ms | p99 × baseline |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in [baseline, *rows]:
        ratio = row["p99_ms"] / baseline["p99_ms"] if baseline["p99_ms"] else 0
        lines.append(
            f"| {row['name']} | {row['requests']} | {row['rps']:.1f} | {row['failures']} | "
            f"{row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {ratio:.1f} |"
        )
    total = next(row for row in rows if row["name"] == "Aggregated")
    error_rate = total["failures"] / total["requests"] if total["requests"] else 0
    outcomes = ", ".join(f"{name} {count}" for name, count in info["edits"].items())
    return "\n".join(
        [
            f"Live session, {info['date']}: {info['people']} people for {info['seconds']} s "
            f"(each pausing {info['wait'][0]:g} to {info['wait'][1]:g} s), Locust "
            f"{info['locust']}, on {info['cores']} cores; gunicorn with 2 sync workers, the "
            "public page cache on, at 100 times the reference case.",
            f"The {info['warmed_up']} public pages the readers read were each asked for once "
            "before (a site that has been running holds them in its cache). "
            "The baseline row is the same number of people asking only for a trivial view "
            f"behind the same middleware, for {info['baseline_seconds']} s, in the same run.",
            "",
            *lines,
            "",
            f"Error rate {error_rate:.2%}. Most database connections open at once: "
            f"{info['connections']['most']} (baseline: {info['baseline_connections']['most']}). "
            f"The writers' edits: {outcomes}.",
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep-data", action="store_true", help="reuse bench-load's data set")
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=120, help="how long the session lasts")
    parser.add_argument("--baseline-seconds", type=int, default=30)
    parser.add_argument("--spawn", type=int, default=50, help="people arriving per second")
    parser.add_argument("--wait", type=float, nargs=2, default=(3, 10), metavar=("MIN", "MAX"))
    args = parser.parse_args()
    data = load.prepare_data(args.keep_data)
    load.manage("collectstatic", "--no-input", "-v0")
    load.setup_django()
    origin = f"https://127.0.0.1:{load.PORT}"
    plan = build_plan(
        origin=origin,
        members=max(1, round(args.people * 0.08)),
        writers=max(2, round(args.people * 0.02)),
        wait=tuple(args.wait),
    )
    load.flush_cache()
    version = subprocess.run([LOCUST, "--version"], capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as scratch, load.Server(cached=True):
        scratch = Path(scratch)
        plan_file = scratch / "plan.json"
        plan_file.write_text(json.dumps(plan))
        run = {"host": load.BASE, "plan": plan_file, "people": args.people, "spawn": args.spawn}
        started = time.perf_counter()
        warmed = warm_up(plan)
        print(f"Warmed up {warmed} public pages in {time.perf_counter() - started:.0f} s.")
        (scratch / "baseline").mkdir()
        connections = Connections(load.ENV["DATABASE_URL"])
        connections.start()
        base_rows, _ = locust(
            ["Bare"], seconds=args.baseline_seconds, out=scratch / "baseline", **run
        )
        baseline_connections = connections.stop()
        (scratch / "session").mkdir()
        connections = Connections(load.ENV["DATABASE_URL"])
        connections.start()
        started = time.perf_counter()
        rows, outcomes = locust(PEOPLE, seconds=args.seconds, out=scratch / "session", **run)
        elapsed = time.perf_counter() - started
        session_connections = connections.stop()
    baseline = figures(next(row for row in base_rows if row["Name"] == "baseline"))
    baseline["name"] = "Baseline (trivial view)"
    measured = sorted(
        (figures(row) for row in rows), key=lambda r: (r["name"] == "Aggregated", r["name"])
    )
    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "people": args.people,
        "seconds": args.seconds,
        "baseline_seconds": args.baseline_seconds,
        "elapsed": round(elapsed, 1),
        "wait": list(args.wait),
        "locust": version.split()[1] if version else "",
        "cores": os.cpu_count(),
        "connections": session_connections,
        "baseline_connections": baseline_connections,
        "edits": outcomes,
        "warmed_up": warmed,
        "data": data,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "live_session.json").write_text(
        json.dumps({**info, "baseline": baseline, "results": measured}, indent=2) + "\n"
    )
    markdown = table(baseline, measured, info=info)
    (RESULTS / "live_session.md").write_text(markdown)
    print()
    print(markdown)
    failed = sum(row["failures"] for row in measured if row["name"] != "Aggregated")
    if failed or baseline["failures"]:
        print(f"{failed + baseline['failures']} requests failed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
