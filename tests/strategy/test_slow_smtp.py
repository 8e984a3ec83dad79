"""A slow SMTP server that takes the message and answers late: the person receives it once,
and the e-mail (a notice, an invitation) is left for a person to check, never sent again
blindly.

Real parts: an SMTP server in a thread of this process (tests/strategy/smtp_server.py), a
Celery worker process with a prefork pool (the pool that enforces time limits) on the Redis
broker, and the task's time limits cut down to seconds for the test."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from strategy.models import Notice
from strategy.tasks import notice_send
from tests.processes import process_environment

from .smtp_server import SlowSMTPServer

pytestmark = pytest.mark.worker
ROOT = Path(__file__).resolve().parents[2]
FINAL = {"sent", "failed", "in_doubt"}


def start_worker(*, smtp_port: int, email_timeout: int) -> subprocess.Popen:
    env = process_environment(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        EMAIL_TIMEOUT=str(email_timeout),
        # Two attempts at most, so that a blind retry shows within the test's time.
        NOTICE_MAX_ATTEMPTS="2",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "strategy",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize(
    ("what", "email_timeout", "server_delay", "soft_limit", "cut_off_by"),
    [
        # The socket times out after the message was handed over (EMAIL_TIMEOUT < delay).
        pytest.param("notice", 1, 3, 6, "timed out", id="timeout-after-data"),
        # The task's soft time limit strikes while the server holds its answer.
        pytest.param("notice", 30, 6, 2, "SoftTimeLimitExceeded", id="soft-time-limit"),
        # An invitation, queued by the service as the group's page queues it.
        pytest.param("invitation", 1, 3, None, "timed out", id="invitation"),
    ],
)
def test_a_slow_server_that_took_the_message_gets_it_once(
    transactional_db,
    user_factory,
    working_group,
    what,
    email_timeout,
    server_delay,
    soft_limit,
    cut_off_by,
):
    from groups.services import invitation_create
    from strategy.celery import app

    with SlowSMTPServer(delay=server_delay) as server:
        app.control.purge()
        app.conf.task_always_eager = False
        try:
            if what == "invitation":
                invitation = invitation_create(
                    email="slow@example.org", working_group=working_group
                )
                notice = invitation.notice
            else:
                notice = Notice.objects.create(
                    key="slow-smtp:1",
                    recipient=user_factory(email="slow@example.org"),
                    topic="milestones",
                    kind="milestone.soon",
                    subject="Slow",
                    body="Body",
                    url="/",
                )
                notice_send.apply_async(
                    (notice.pk,), soft_time_limit=soft_limit, time_limit=soft_limit + 10
                )
        finally:
            app.conf.task_always_eager = True
        worker = start_worker(smtp_port=server.port, email_timeout=email_timeout)
        try:
            # Long enough for a blind retry (back-off of up to 30 s) to show up.
            settled = wait_for(
                lambda: Notice.objects.filter(pk=notice.pk, state__in=FINAL).exists(), 90
            )
            # Whatever is on the wire when the notice settles has time to arrive.
            time.sleep(server_delay + 1)
        finally:
            worker.terminate()
            worker.wait(30)
        copies = [m for m in server.received if m["X-Notice-Key"] == notice.key]
        assert [m["To"] for m in copies] == ["slow@example.org"]

    notice.refresh_from_db()
    assert settled, (notice.state, worker.stderr.read().decode()[-2000:])
    assert len(copies) == 1, f"{len(copies)} copies received"
    assert notice.state == "in_doubt", (notice.state, notice.last_error)
    assert notice.attempts == 1
    assert "may or may not have left" in notice.last_error
    assert cut_off_by in notice.last_error
