"""Processes that a test starts on the test settings: a Celery worker, beat; and waiting
for what one does."""

import os
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings


def process_environment(**extra: str) -> dict[str, str]:
    """The environment of a process on the test settings and this test process's data: its
    PostgreSQL test database, and its Redis database and Celery queue, which the process
    works out as this one did, from PYTEST_XDIST_WORKER and REDIS_URL, inherited
    (strategy/settings/test.py). Tasks are not run eagerly there."""
    database = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategy.settings.test",
        "DATABASE_URL": f"postgres://{database['USER'] or 'postgres'}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **extra,
    }


def wait_until(condition, timeout=30.0):
    """Return once `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not get there in time")


def outside_event_loop(function, *args, **kwargs):
    """`function(*args, **kwargs)`, run in a thread of its own: after a browser test in the
    same process, the main thread is marked as running Playwright's event loop, where
    asyncio.run() and async_to_sync() refuse to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
