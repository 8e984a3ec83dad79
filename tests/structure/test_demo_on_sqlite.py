"""`make demo` runs on SQLite without Redis (strategy/settings/local.py): every page of the
product opens there, not only on PostgreSQL, where the rest of the suite runs. A query
that only PostgreSQL knows (regexp_replace, once, in the lists sorted by number) fails
here first."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_every_page_of_the_demo_opens_on_sqlite(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "strategy.settings.local",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
            "SECRET_KEY": "demo-walk-only-" + "x" * 40,
            # The superuser opens the admin without setting up an authenticator app.
            "STAFF_SECOND_FACTOR_REQUIRED": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    for step in (["manage.py", "migrate", "--no-input", "-v0"], ["manage.py", "demo_data"]):
        done = _run(*step, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
    walk = _run("tests/structure/demo_walk.py", env={**env, "PYTHONPATH": str(ROOT)})
    assert walk.returncode == 0, walk.stderr[-3000:]
    found = json.loads(walk.stdout.strip().splitlines()[-1])
    assert found["pages"] > 250
    assert [(row["status"], row["who"], row["url"]) for row in found["failed"]] == []
