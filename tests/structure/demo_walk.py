"""Run by test_demo_on_sqlite.py in a process of its own, on the demo's embedded default:
every page (bench/pages.py) once, as anonymous and then, where that is no page, as the
superuser; prints the pages that failed, as JSON."""

import functools
import json
import logging
import sys

import django

django.setup()

import django.test  # noqa: E402
from django.conf import settings  # noqa: E402

# The test client's host, and a failing page answered as a 500 rather than raised.
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
django.test.Client = functools.partial(django.test.Client, raise_request_exception=False)
logging.disable(logging.CRITICAL)

from bench.every_page import failed, measure  # noqa: E402

rows = measure(log=lambda line: print(line, file=sys.stderr))
print(json.dumps({"pages": len(rows), "failed": [row for row in rows if failed(row)]}))
