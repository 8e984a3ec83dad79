"""Profile one page of the load benchmark's data set: its SQL (slowest first) and where the
Python time goes (pyinstrument).

    .venv/bin/python bench/profile_page.py /recommendations/ [--user member] [--repeat 5]

It reads the database bench/load.py fills (strategy_load), with the page cache off.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import ENV  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--user", default="", help="sign in as this username")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="show library frames too")
    args = parser.parse_args()
    os.environ.update({**ENV, "PUBLIC_PAGE_CACHE": "false"})
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if args.user:
        client.force_login(get_user_model().objects.get(username=args.user))
    response = client.get(args.path)  # warm: imports, templates, connections
    print(f"{response.status_code}, {len(response.content):,} bytes")
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries.captured_queries)
    print(f"{len(slowest)} queries, {total * 1000:.1f} ms in the database")
    for query in slowest[:5]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    profiler = Profiler()
    started = time.perf_counter()
    with profiler:
        for _ in range(args.repeat):
            client.get(args.path)
    print(f"{(time.perf_counter() - started) / args.repeat * 1000:.1f} ms a request")
    print(profiler.output_text(unicode=True, color=False, show_all=args.all))
    return 0


if __name__ == "__main__":
    sys.exit(main())
