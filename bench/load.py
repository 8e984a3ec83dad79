"""Load benchmark at 100 times the reference case, against a baseline measured in the same
run.

    make bench-load                      (generates the data set, then measures)
    .venv/bin/python bench/load.py --keep-data     (reuses the data set of a former run)

It fills the database `strategy_load` with `manage.py scale_data`, starts the site the
production way (gunicorn, 2 sync workers, PostgreSQL, Redis, the production settings plus a
baseline page: bench/settings.py), and drives each page with wrk from a second process at a
fixed concurrency. Every page runs twice when a cache applies to it: once with the public
page cache off (PUBLIC_PAGE_CACHE=false, each request renders the page) and once with it on.
The baseline, a trivial view behind the same middleware, runs in both.

Each page is first fetched once and checked (status 200, and a text it must show); wrk then
warms it up and measures it. The results go to bench/results/load.md and load.json; the
run exits non-zero if a page fails its check or, under load, answers anything but 2xx, fails
to answer (a timeout, a dropped connection) or answers not once within the measured seconds
(a page slower than the run: it would otherwise show as 0 req/s without an error).
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
DATABASE = os.environ.get("BENCH_LOAD_DATABASE", "strategy_load")
SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/4")
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"{SERVER}/{DATABASE}",
    "REDIS_URL": REDIS_URL,
    "SECRET_KEY": "load-benchmark-only-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "CONN_MAX_AGE": "600",
    "CELERY_TASK_ALWAYS_EAGER": "false",
}
# Behind the TLS proxy, as in production: the proxy says the request came over HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
GOALS = {"uncached": 0.1, "cached": 0.9, "signed in": 0.1}
P99_LIMIT = 10

sys.path.insert(0, str(ROOT))


def run(*args, env=ENV, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def manage(*args, **kwargs):
    return run(PYTHON, "manage.py", *args, **kwargs)


def prepare_data(keep: bool) -> dict:
    """The data set: generated afresh (timed), or the one a former run left."""
    import psycopg2

    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        exists = cursor.fetchone() is not None
        if exists and keep:
            admin.close()
            # A data set kept from a run before newer migrations gets their tables.
            manage("migrate", "--no-input", "-v0")
            return {"generated": False}
        if exists:
            cursor.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    admin.close()
    manage("migrate", "--no-input", "-v0")
    started = time.perf_counter()
    output = manage("scale_data", capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    print(output.strip().splitlines()[-1])
    return {"generated": True, "seconds": round(seconds, 1), "summary": output.strip()}


def setup_django():
    os.environ.update(ENV)
    import django

    django.setup()


def targets() -> list[dict]:
    """The pages to measure, found in the data set; each with what it must show (a regular
    expression)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from recommendations.models import Iteration, Recommendation, Thread

    iterations = list(Iteration.objects.order_by("position"))
    first, last = iterations[0], iterations[-1]
    translated = (
        Recommendation.objects.exclude(translation_sources={})
        .filter(state=Recommendation.State.PUBLISHED, working_group__slug="advocacy")
        .select_related("working_group")
        .order_by("pk")
        .first()
    )
    thread = Thread.objects.select_related("version__recommendation").get(
        version__name="Review with a long discussion"
    )
    discussed = thread.version.recommendation
    client = Client()
    client.force_login(discussed.updated_by)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    public = translated.get_public_url()
    listing = f"/recommendations/?iteration={first.slug}"
    anonymous = [
        ("Public home", "/", "Latest"),
        ("List, filtered, page 1", listing, "Page 1 of 400<"),
        ("List, filtered, page 400", listing + "&page=400", "Page 400 of 400<"),
        ("Recommendation page", public, re.escape(translated.source_title)),
        ("Diff of two iterations", f"{public}compare/?from={first.slug}&to={last.slug}", "<ins"),
        ("Search", "/recommendations/?q=folklore", r"\b[1-9]\d* recommendations\b"),
        ("Atom feed", "/feeds/recommendations/", "<feed"),
    ]
    pages = [
        {"name": name, "path": path, "expect": expect, "cache": True}
        for name, path, expect in anonymous
    ]
    pages.append(
        {"name": "API list", "path": "/api/recommendations/", "expect": '"count"', "cache": False}
    )
    signed_in = [
        ("Member workspace", reverse("workspace"), "My groups"),
        (
            "History, 20 revisions",
            reverse("recommendations:history", args=[discussed.pk]),
            "Revision 20",
        ),
        ("Version, 1,000 comments", thread.version.get_absolute_url(), r"99\d earlier replies"),
        ("Needs me", reverse("needs_me"), "Needs me"),
        ("Notifications", reverse("notices:list"), "Notifications"),
    ]
    pages += [
        {"name": name, "path": path, "expect": expect, "cache": False, "session": session}
        for name, path, expect in signed_in
    ]
    # The translators' home, with its completeness table of every group and language, as a
    # volunteer for Chinese reads it.
    translator = Client()
    translator.force_login(
        get_user_model().objects.filter(translates_into=["zh-hans"]).order_by("pk").first()
    )
    pages.append(
        {
            "name": "Translators' home",
            "path": reverse("translations:table"),
            "expect": "<h1>Translations</h1>",
            "cache": False,
            "session": translator.cookies[settings.SESSION_COOKIE_NAME].value,
        }
    )
    return pages


def headers(page: dict) -> dict:
    found = dict(PROXY_HEADERS)
    if page.get("session"):
        found["Cookie"] = f"sessionid={page['session']}"
    return found


def check(page: dict) -> str:
    """Fetch the page once: it must answer 200 (no redirect) and show its text."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(BASE + page["path"], headers=headers(page))
    try:
        with opener.open(request, timeout=120) as response:
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        return f"answered {error.code}"
    if status != 200:
        return f"answered {status}"
    if not re.search(page["expect"], body):
        return f"does not show {page['expect']!r}"
    return ""


def wrk(page: dict, *, seconds: int, connections: int) -> dict:
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    args += ["--timeout", "60s", "-s", str(ROOT / "bench" / "wrk_report.lua")]
    for name, value in headers(page).items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*args, BASE + page["path"]], capture_output=True, text=True, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    report = json.loads(line.removeprefix("WRK_JSON "))
    # wrk's own "status" count (answers over 399) is part of the script's count of answers
    # that are not 2xx, so it is left out here.
    failures = {
        "not 2xx": report["not_2xx"],
        **{kind: report["errors"][kind] for kind in ("connect", "read", "write", "timeout")},
    }
    failures = {kind: count for kind, count in failures.items() if count}
    if not report["requests"]:
        # Not a page that answers in no time: none of its answers came within the run.
        failures["no answer within the run"] = 1
    return {
        "rps": report["requests"] / (report["duration_us"] / 1e6),
        "p50_ms": report["latency_us"]["p50"] / 1000,
        "p99_ms": report["latency_us"]["p99"] / 1000,
        "requests": report["requests"],
        "errors": sum(failures.values()),
        "failures": failures,
        "bytes_per_request": report["bytes"] // max(1, report["requests"]),
    }


class Server:
    """gunicorn with 2 sync workers on the production settings (plus the baseline page)."""

    def __init__(self, *, cached: bool):
        self.env = {**ENV, "PUBLIC_PAGE_CACHE": "true" if cached else "false"}
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "strategy.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{PORT}",
                "--log-level=warning",
                "--timeout=120",
            ],
            env=self.env,
            cwd=ROOT,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(BASE + "/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise SystemExit("gunicorn did not start: see its output above.")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def flush_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def measure(pages, *, cached: bool, seconds: int, connections: int, warmup: int) -> list:
    mode = "cached" if cached else "uncached"
    results = []
    flush_cache()
    with Server(cached=cached):
        for page in pages:
            problem = check(page)
            if problem:
                print(f"  {page['name']} ({page['path']}) {problem}", file=sys.stderr)
                results.append(
                    {"name": page["name"], "path": page["path"], "mode": mode, "error": problem}
                )
                continue
            wrk(page, seconds=warmup, connections=connections)
            result = wrk(page, seconds=seconds, connections=connections)
            results.append(
                {
                    "name": page["name"],
                    "path": page["path"],
                    "mode": "signed in" if page.get("session") else mode,
                    **result,
                }
            )
            print(
                f"  {mode:8} {page['name']:28} {result['rps']:8.1f} req/s  "
                f"p50 {result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms"
                + (f"  errors: {describe(result['failures'])}" if result["errors"] else "")
            )
    baseline = next(r for r in results if r["name"] == "Baseline")
    for result in results:
        if "rps" in result:
            result["ratio"] = result["rps"] / baseline["rps"]
            result["p99_ratio"] = result["p99_ms"] / baseline["p99_ms"]
            goal = None if result["name"] == "Baseline" else GOALS.get(result["mode"])
            result["goal"] = goal
            result["meets_goal"] = (
                None
                if goal is None
                else not result["errors"]
                and result["ratio"] >= goal
                and result["p99_ratio"] <= P99_LIMIT
            )
    return results


def describe(failures: dict) -> str:
    return ", ".join(f"{count} {kind}" for kind, count in failures.items())


def machine() -> dict:
    def first(path, prefix):
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return ""

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    redis = subprocess.run(
        ["redis-server", "--version"], capture_output=True, text=True
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "memory": first("/proc/meminfo", "MemTotal"),
        "system": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "redis": next((part[2:] for part in redis if part.startswith("v=")), ""),
        "wrk": (wrk_version.stdout or wrk_version.stderr).split()[1],
    }


def table(results: list, *, data: dict, info: dict, args) -> str:
    lines = [
        "| Page | Cache | req/s | median ms | p99 ms | × baseline req/s | × baseline p99 | Goal |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        if "error" in result:
            lines.append(f"| {result['name']} | {result['mode']} | failed: {result['error']} |")
            continue
        goal = result.get("goal")
        verdict = (
            "–"
            if goal is None
            else ("✓" if result["meets_goal"] else "✗") + f" ≥ {goal}, p99 ≤ {P99_LIMIT}×"
        )
        if result["errors"]:
            verdict += f"; errors: {describe(result['failures'])}"
        mode = result["mode"] if result["name"] != "Baseline" else f"baseline ({result['mode']})"
        lines.append(
            f"| {result['name']} | {mode} | {result['rps']:.0f} | {result['p50_ms']:.1f} | "
            f"{result['p99_ms']:.1f} | {result['ratio']:.2f} | {result['p99_ratio']:.1f} | "
            f"{verdict} |"
        )
    generated = f"generated in {data['seconds']:.0f} s" if data.get("generated") else "reused"
    return "\n".join(
        [
            f"Load benchmark, {info['date']}: {info['machine']['cpu']}, "
            f"{info['machine']['cores']} cores, {info['machine']['memory']}; "
            f"PostgreSQL {info['machine']['postgresql']}, Redis {info['machine']['redis']}, "
            f"wrk {info['machine']['wrk']}.",
            f"gunicorn with 2 sync workers; wrk with {args.connections} connections, "
            f"{args.seconds} s per page after {args.warmup} s of warm-up. "
            f"Data set at 100 times the reference case, {generated}.",
            "",
            *lines,
            "",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep-data", action="store_true", help="reuse a former run's data")
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per page")
    parser.add_argument("--connections", type=int, default=8, help="wrk's concurrency")
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk (make bench-load installs it)", file=sys.stderr)
        return 2
    data = prepare_data(args.keep_data)
    manage("collectstatic", "--no-input", "-v0")
    setup_django()
    baseline = {"name": "Baseline", "path": "/bench/baseline", "expect": "constant"}
    pages = [p for p in targets() if args.only.lower() in p["name"].lower()]
    measured = {"seconds": args.seconds, "warmup": args.warmup, "connections": args.connections}
    print("Uncached (each request renders its page), and signed in:")
    results = measure([baseline, *pages], cached=False, **measured)
    cacheable = [page for page in pages if page["cache"]]
    if cacheable:
        print("Cached (the public page cache on):")
        results += measure([baseline, *cacheable], cached=True, **measured)
    info = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "data": data,
        "settings": measured,
    }
    RESULTS.mkdir(exist_ok=True)
    suffix = "" if not args.only else ".partial"
    (RESULTS / f"load{suffix}.json").write_text(
        json.dumps({**info, "results": results}, indent=2, ensure_ascii=False) + "\n"
    )
    markdown = table(results, data=data, info=info, args=args)
    (RESULTS / f"load{suffix}.md").write_text(markdown)
    print()
    print(markdown)
    failed = [r["name"] for r in results if r.get("error") or r.get("errors")]
    if failed:
        print(f"Errors on: {', '.join(sorted(set(failed)))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
