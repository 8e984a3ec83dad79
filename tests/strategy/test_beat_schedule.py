"""The beat schedule: written by `manage.py sync_beat_schedule` at deploy, then the core
team's. A changed interval stands through the next deploy and the next start of beat (a
real `celery beat` process on the database scheduler)."""

import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.processes import process_environment

ROOT = Path(__file__).resolve().parents[2]


def sync() -> str:
    out = StringIO()
    call_command("sync_beat_schedule", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_adds_what_is_missing_and_only_that():
    assert "5 added" in sync()
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == set(settings.PERIODIC_TASKS)
    sweep = PeriodicTask.objects.get(name="notices-sweep")
    assert (sweep.task, sweep.interval.every, sweep.interval.period) == (
        "strategy.tasks.notices_sweep",
        300,
        "seconds",
    )
    PeriodicTask.objects.filter(name="review-reminders").delete()
    assert "1 added (review-reminders), 4 left as they are" in sync()
    assert "0 added (none), 5 left as they are" in sync()
    assert PeriodicTask.objects.count() == 5


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
def test_an_interval_the_core_team_changed_stands_after_a_deploy_and_a_beat_start(
    transactional_db, tmp_path
):
    sync()
    slower = IntervalSchedule.objects.create(every=900, period=IntervalSchedule.SECONDS)
    sweep = PeriodicTask.objects.get(name="notices-sweep")
    sweep.interval = slower
    sweep.enabled = False
    sweep.save()

    sync()  # the next deploy

    env = process_environment()
    log = tmp_path / "beat.log"
    with log.open("wb") as output:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "strategy", "beat", "--loglevel=DEBUG"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            # Logged once beat has made its scheduler, which reads (and, given a schedule
            # in the settings, writes) the entries in the database.
            started = wait_for(lambda: b"Ticking with max interval" in log.read_bytes(), 60)
            time.sleep(1)
            alive = beat.poll() is None
        finally:
            beat.terminate()
            beat.wait(20)
            # Whatever beat sent on its first tick is no later test's business.
            from strategy.celery import app

            app.control.purge()
    assert started, log.read_text()[-3000:]
    assert alive, log.read_text()[-3000:]

    sweep = PeriodicTask.objects.select_related("interval").get(name="notices-sweep")
    assert (sweep.interval.every, sweep.enabled) == (900, False)
    assert PeriodicTask.objects.filter(name__in=settings.PERIODIC_TASKS).count() == 5
