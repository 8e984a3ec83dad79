"""Tests: PostgreSQL and Redis over real connections (see the Makefile's `test` target)."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import (
    CACHES,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CHANNEL_LAYERS,
    REDIS_CLIENT_OPTIONS,
    VAR_DIR,
    env,
)

DEBUG = False
SECRET_KEY = "test-key-only-used-by-the-test-suite-0123456789abcdef"
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/strategy"),
}


def _redis_database_of_worker(url: str, worker: str) -> str:
    """`url` with its database number moved on by the pytest-xdist worker's number (gw0: 0,
    gw1: 1...; not a worker: 0)."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw") or 0)
    return parts._replace(path=f"/{database}").geturl()


# pytest-xdist runs the tests in several processes, its workers gw0, gw1... Each has a Redis
# database of its own (REDIS_URL's, then the next ones: with two workers and the default, 1
# and 2) and a Celery queue named after it, so that one process's cache.clear()
# (tests/conftest.py) or purge of the broker never reaches another's tests. A worker or beat
# process that a test starts with these settings inherits PYTEST_XDIST_WORKER and REDIS_URL
# from the environment (tests/processes.py), so it lands on the same database and queue.
# PostgreSQL needs nothing here: pytest-django gives each worker a test database of its own.
TEST_WORKER = env("PYTEST_XDIST_WORKER", default="")
REDIS_URL = _redis_database_of_worker(
    env("REDIS_URL", default="redis://127.0.0.1:6379/1"), TEST_WORKER
)
CACHES = {
    "default": {
        "BACKEND": "strategy.redis_cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": REDIS_CLIENT_OPTIONS,
        "KEY_PREFIX": "strategy-test",
    },
    "fragments": CACHES["fragments"],
}
# The live rooms' channel layer on the worker's database too: two processes' drafts of the
# same id must not share a room's group.
CHANNEL_LAYERS = {
    "default": {
        **CHANNEL_LAYERS["default"],
        "CONFIG": {**CHANNEL_LAYERS["default"].get("CONFIG", {}), "hosts": [REDIS_URL]},
    }
}
if "InMemory" in CHANNEL_LAYERS["default"]["BACKEND"]:
    CHANNEL_LAYERS["default"]["CONFIG"].pop("hosts")
# Iterations' PDFs, one folder per test process (tests empty it between tests).
ITERATION_PDF_DIR = VAR_DIR / f"test-pdfs-{TEST_WORKER or 'main'}"
# Rendered when a test asks for them, not for every publication (tests/public/test_pdfs.py
# turns this on).
ITERATION_PDFS_ON_PUBLISH = False
CELERY_BROKER_URL = REDIS_URL
# Results are kept in tests only, so that a test can wait for a task it sent.
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = f"strategy-test-{TEST_WORKER or 'main'}"
# Tasks run eagerly unless a test starts a real worker (tests/conftest.py: celery_worker,
# or a worker process, which sets these from its environment).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": env.int("VISIBILITY_TIMEOUT", 3600),
}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "test-mail"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITE_URL = "http://testserver"
# Most tests sign staff into the admin directly (force_login); the tests of the second factor
# turn the requirement on.
STAFF_SECOND_FACTOR_REQUIRED = False
# Wikimedia sign-in is on, against a provider that the tests start on loopback
# (tests/accounts/oauth_provider.py points allauth's adapter at it).
if "allauth.socialaccount.providers.mediawiki" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "allauth.socialaccount.providers.mediawiki"]  # noqa: F405
# The load-test data generator (bench/), which the tests check at a small size.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
SOCIALACCOUNT_PROVIDERS["mediawiki"]["APPS"] = [  # noqa: F405
    {"client_id": "strategy-test-client", "secret": "strategy-test-secret"}
]
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("http://127.0.0.1:*")  # noqa: F405
