import time

import pytest
from django.urls import reverse

from groups.models import Invitation


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
def test_a_task_sent_from_a_view_runs_in_the_worker(
    celery_worker, client, working_group, core_team_user, mailoutbox
):
    """Inviting from the web page queues the e-mail task on Redis; the worker sends it."""
    from strategy.celery import app

    assert app.conf.task_always_eager is False
    client.force_login(core_team_user)
    response = client.post(
        reverse("groups:invite", args=[working_group.slug]),
        {
            "email": "queued@example.org",
            "role": "member",
            "affiliation": "individual",
            "language": "en",
        },
    )
    assert response.status_code == 302
    # The view answered before the e-mail left: the worker sends it on its own time.
    assert wait_for(lambda: len(mailoutbox) == 1), "the worker did not send the invitation"
    assert mailoutbox[0].to == ["queued@example.org"]
    invitation = Invitation.objects.select_related("notice").get(email="queued@example.org")
    assert invitation.notice.state == "sent"
    assert invitation.notice.sent_at is not None
