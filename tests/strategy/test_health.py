"""/healthz (liveness) and /readyz (readiness) for the load balancer."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_readiness_reports_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["state"] == "ok"
    assert body["cache"]["state"] == "ok"
    # Tests run tasks eagerly: no broker to ask.
    assert body["broker"]["state"] == "not used"
    assert response["Cache-Control"] == "no-store"


def test_without_the_database_the_site_is_not_ready():
    """The one dependency every page needs: without it, 503 (in a process of its own, on
    an address where no database listens)."""
    script = (
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client; r = Client().get('/readyz');"
        "import json; print(r.status_code, json.loads(r.content)['database']['state'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategy.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split()[-2:] == ["503", "down"], result.stderr[-2000:]
