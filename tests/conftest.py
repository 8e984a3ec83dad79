"""Fixtures every test may use: factories, a real Celery worker on Redis, and the page
cache's clock."""

import time

import pytest
from pytest_factoryboy import register

from tests import factories

register(factories.UserFactory)
register(factories.CoreTeamFactory, "core_team_user")
register(factories.ThematicAreaFactory)
register(factories.WorkingGroupFactory)
register(factories.MembershipFactory)


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch):
    """Each test starts in English with an empty cache and no iteration PDFs: a request of an
    earlier test may have left another language active. The cache and the PDFs' folder are
    this test process's own (strategy/settings/test.py), so emptying them touches no other
    process's tests. Within a test, the period what is kept is renewed in
    (strategy/fragments.py) stays the same unless the test moves it: a query count across
    two requests never sees a renewal."""
    import shutil

    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    from public.caching import forget_local
    from strategy import fragments

    now = fragments._clock()
    monkeypatch.setattr(fragments, "_clock", lambda: now)

    cache.clear()
    forget_local()
    shutil.rmtree(settings.ITERATION_PDF_DIR, ignore_errors=True)
    translation.activate("en")


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """A transactional test (the browser's, the worker's) ends with every table emptied
    (pytest-django's flush). PostgreSQL's TRUNCATE, Django's way, makes each table a new
    file: about a second for the seventy-odd tables after every such test. DELETE of each
    table in the flush's one transaction empties them alike in a fraction of that, the
    foreign keys checked at its commit (Django makes them all deferrable). Flushes that
    also reset sequences or cascade are left to TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        delete = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
        return [f"{delete} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


def module_data(name: str, build):
    """A module-scoped fixture `name` whose value is `build()`, made once for the module's
    tests in a transaction kept open until its last one and then rolled back. Each test's own
    transaction (the `db` fixture) is a savepoint inside it, rolled back after the test, so
    every test finds the database as `build` left it, as if it had been built for that test.

    Only for tests that commit nothing (no transactional_db, live_server or celery_worker:
    those would flush what was built), and mind what a savepoint does not undo: the Python
    objects `build` returns (give each test a copy, `copy.deepcopy`), and the cache, which
    `_fresh_state` empties before each test. Tests of the module that do not ask for the
    fixture but run while it is open see its rows too."""

    @pytest.fixture(scope="module", name=name)
    def built(django_db_setup, django_db_blocker):
        from django.db import transaction

        with django_db_blocker.unblock(), transaction.atomic():
            try:
                yield build()
            finally:
                transaction.set_rollback(True)

    return built


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker, in a thread of this process, consuming from the Redis broker.

    Tasks stop running eagerly while it runs, so a task sent with delay() travels through
    Redis to the worker. It shares this process's test database and e-mail outbox, and its
    Redis database and queue, which it empties first.
    """
    from celery.contrib.testing.worker import start_worker

    from strategy.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


class _StoppedClock:
    """The time module as public.caching sees it, with a monotonic clock that stands still
    until the test moves it on."""

    def __init__(self):
        self.now = time.monotonic()

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def monotonic(self) -> float:
        return self.now

    def __getattr__(self, name):
        return getattr(time, name)


@pytest.fixture
def caching_clock(monkeypatch):
    """The page cache's clock, stopped: no time passes for public.caching however slowly
    the test runs (on a busy machine, a second can pass between two requests), until
    `caching_clock.advance(seconds)`. Only public.caching's clock: the standard library's
    time.monotonic, which every thread and library of the process reads, is not patched."""
    from public import caching

    clock = _StoppedClock()
    monkeypatch.setattr(caching, "time", clock)
    return clock
