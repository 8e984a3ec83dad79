"""The settings modules, each loaded in a fresh interpreter with a controlled environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from strategy.celery import app
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "debug": settings.DEBUG,
}))
"""


def run(code, settings_module, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def probe(settings_module, **env):
    result = run(PROBE, settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_nothing_set_the_demo_runs_on_sqlite_without_redis():
    """The embedded default: SQLite, an in-process cache, tasks run in-process, e-mail on
    the console, and DEBUG off, so that the demo shows the product's error pages (the
    probe: it showed Django's technical 404 page, with every URL pattern)."""
    found = probe("strategy.settings.local")
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["eager"] is True
    assert found["email"] == "django.core.mail.backends.console.EmailBackend"
    assert found["debug"] is False
    assert probe("strategy.settings.local", DEBUG="1")["debug"] is True


def test_with_database_and_redis_urls_it_uses_postgresql_and_redis():
    found = probe(
        "strategy.settings.local",
        DATABASE_URL="postgres://u@db.example:5432/strategy",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["cache"] == "strategy.redis_cache.FailSoftRedisCache"
    assert found["broker"] == "redis://cache.example:6379/0"
    assert found["eager"] is False


def test_production_refuses_to_start_without_a_secret_key():
    result = run(
        PROBE, "strategy.settings.production", DATABASE_URL="postgres://u@db.example/strategy"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_embedded_default_delivers_email_to_the_console(tmp_path):
    """With no Redis and no worker, a task scheduled by a service still runs when the
    transaction commits, and its e-mail is printed where a newcomer reads it."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "strategy.settings.local",
            "REDIS_URL": "",
            **env,
        },
    )
    assert migrate.returncode == 0, migrate.stderr
    code = """
import django; django.setup()
from groups.models import ThematicArea, WorkingGroup
from groups.services import invitation_create
area = ThematicArea.objects.create(name="Advocacy", slug="advocacy")
group = WorkingGroup.objects.create(name="Advocacy", slug="advocacy", thematic_area=area)
invitation_create(email="newcomer@example.org", working_group=group)
"""
    result = run(code, "strategy.settings.local", REDIS_URL="", **env)
    assert result.returncode == 0, result.stderr
    assert "To: newcomer@example.org" in result.stdout
    assert "You are invited to join Advocacy" in result.stdout
    assert "/groups/invitations/" in result.stdout


WHERE_REDIS = """
import json, django
from django.conf import settings
django.setup()
from strategy.celery import app
print(json.dumps([settings.CACHES["default"]["LOCATION"], app.conf.broker_url,
                  app.conf.result_backend, app.conf.task_default_queue]))
"""


def where_redis(env: dict) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", WHERE_REDIS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_each_test_process_has_a_redis_database_and_a_queue_of_its_own():
    """pytest-xdist's worker gw2 takes the second Redis database after REDIS_URL's (the cache,
    the broker and the results), and a queue named after it; pytest without workers takes
    REDIS_URL's."""
    clean = {key: value for key, value in os.environ.items() if key != "PYTEST_XDIST_WORKER"}
    test_settings = {**clean, "DJANGO_SETTINGS_MODULE": "strategy.settings.test"}
    url = "redis://127.0.0.1:6379/3"
    second = "redis://127.0.0.1:6379/5"
    found = where_redis({**test_settings, "REDIS_URL": url, "PYTEST_XDIST_WORKER": "gw2"})
    assert found == [second, second, second, "strategy-test-gw2"]
    assert where_redis({**test_settings, "REDIS_URL": url}) == [url, url, url, "strategy-test-main"]


def test_a_process_a_test_starts_works_on_this_processs_redis_database_and_queue():
    """A Celery worker or beat that a test starts (tests/processes.py) reaches the queue and
    the database this test process empties and reads, and no other's."""
    from django.conf import settings

    from tests.processes import process_environment

    assert where_redis(process_environment()) == [
        settings.REDIS_URL,
        settings.REDIS_URL,
        settings.REDIS_URL,
        settings.CELERY_TASK_DEFAULT_QUEUE,
    ]


def test_production_turns_postgresqls_jit_off_unless_asked():
    """A report's counts over every source were half a second of JIT compiling for a tenth
    of a second of running: production's connections run with jit off; DATABASE_JIT=true
    leaves the server's setting."""
    code = """
import django
from django.db import connection
django.setup()
with connection.cursor() as cursor:
    cursor.execute("SHOW jit")
    print(cursor.fetchone()[0])
"""
    env = {
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/strategy"
        ),
        "SECRET_KEY": "x" * 50,
    }
    off = run(code, "strategy.settings.production", **env)
    assert off.returncode == 0, off.stderr
    assert off.stdout.strip().splitlines()[-1] == "off"
    server = run(code, "strategy.settings.production", DATABASE_JIT="true", **env)
    assert server.returncode == 0, server.stderr
    assert server.stdout.strip().splitlines()[-1] == "on"
