"""Time pages of the load benchmark's data set in this process, without a profiler: the mean
of 30 requests after two warm ones, with the page cache off, the baseline view first (a
quick check between runs of bench/load.py, which is what counts).

    .venv/bin/python bench/time_pages.py [--user USERNAME] PATH...
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import ENV


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--user", default="", help="sign in as this username")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.update({**ENV, "PUBLIC_PAGE_CACHE": "false"})
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    if args.user:
        client.force_login(get_user_model().objects.get(username=args.user))
    baseline = None
    for path in ["/bench/baseline", *args.paths]:
        client.get(path)
        response = client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)  # read now: the next request empties the connection's log
        started = time.perf_counter()
        for _ in range(args.repeat):
            client.get(path)
        ms = (time.perf_counter() - started) / args.repeat * 1000
        baseline = baseline or ms
        print(
            f"{ms:7.1f} ms  {baseline / ms:5.2f} × baseline  {count:3d} queries  "
            f"{response.status_code} {len(response.content):8,} B  {path}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
