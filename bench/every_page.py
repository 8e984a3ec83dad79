"""Every page of the product, requested once at 100 times the reference case: the slowest
ten, and a non-zero exit if any page takes over a second or fails.

    make bench-pages                            (generates the data set, then measures)
    .venv/bin/python bench/every_page.py --keep-data   (reuses bench/load.py's data set)

The pages are those the Content-Security-Policy walk opens (bench/pages.py: every named URL
pattern, with parameters naming the largest objects, and every admin page), each requested
in-process through the whole middleware with the production settings and the public page
cache off, so that each request renders its page. A page is requested as anonymous first;
one that is no page for anonymous (a redirect to sign in, 403, 404) is requested as the
superuser, who may see every page. Streamed answers (exports) are read to their end.
The results go to bench/results/every_page.md.
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

LIMIT_SECONDS = 1.0
RESULTS = ROOT / "bench" / "results" / "every_page.md"


def _read(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


class _Counter:
    """Counts the queries a request runs (all of them: Django's own log keeps 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(client, url):
    from django.db import connection

    counter = _Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        size = _read(response)
        seconds = time.perf_counter() - started
    return response, seconds, size, counter.count


def measure(*, log=print) -> list[dict]:
    """Request every page once; a row per page: url, who asked, status, seconds, bytes."""
    from django.test import Client

    from bench.pages import admin_urls, ensure_one_of_each, page_arguments, site_urls
    from strategy.models import User

    ensure_one_of_each()
    urls = site_urls(page_arguments())
    urls.update(admin_urls())
    anonymous = Client()
    superuser = Client()
    superuser.force_login(User.objects.filter(is_superuser=True).order_by("pk").first())
    rows = []
    for url, names_an_object in urls.items():
        who = "anonymous"
        response, seconds, size, queries = _timed(anonymous, url)
        if response.status_code in (302, 401, 403, 404) and not url.startswith("/accounts/"):
            who = "superuser"
            response, seconds, size, queries = _timed(superuser, url)
        rows.append(
            {
                "url": url,
                "names_an_object": names_an_object,
                "who": who,
                "status": response.status_code,
                "seconds": seconds,
                "bytes": size,
                "queries": queries,
            }
        )
    log(f"Requested {len(rows)} pages.")
    return rows


def failed(row) -> bool:
    """A server error, or a page naming an object that even the superuser cannot open
    (202: a PDF being prepared; 405: a view that takes only POST)."""
    return row["status"] >= 500 or (row["names_an_object"] and row["status"] not in (200, 202, 405))


def failures(rows) -> list[dict]:
    """Pages over the limit, and pages that failed."""
    return [row for row in rows if row["seconds"] > LIMIT_SECONDS or failed(row)]


def report(rows, *, data: dict) -> str:
    slowest = sorted(rows, key=lambda row: row["seconds"], reverse=True)[:10]
    lines = [
        f"Every page, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {len(rows)} pages requested "
        f"once each at 100 times the reference case"
        + (f" (data set generated in {data['seconds']} s)" if data.get("generated") else "")
        + f"; the limit is {LIMIT_SECONDS:g} s.",
        "",
        "The slowest ten:",
        "",
        "| Page | As | Status | Seconds | Queries | KB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| `{row['url']}` | {row['who']} | {row['status']} | {row['seconds']:.3f} "
        f"| {row['queries']} | {row['bytes'] / 1024:.0f} |"
        for row in slowest
    ]
    over = failures(rows)
    lines += ["", f"Over the limit or failed: {len(over)}."]
    lines += [f"- `{row['url']}`: {row['status']}, {row['seconds']:.2f} s" for row in over]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep-data", action="store_true", help="reuse a former run's data")
    arguments = parser.parse_args()
    data = load.prepare_data(arguments.keep_data)
    load.manage("collectstatic", "--no-input", "-v0")
    os.environ.update(
        {
            **load.ENV,
            "PUBLIC_PAGE_CACHE": "false",
            "ALLOWED_HOSTS": "testserver",
            "STAFF_SECOND_FACTOR_REQUIRED": "false",
        }
    )
    import django

    django.setup()
    rows = measure()
    text = report(rows, data=data)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    return 1 if failures(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
