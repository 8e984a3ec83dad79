"""Notices that wait for others about the same thing (replies in one thread) leave as one
e-mail, exactly once, through a real Celery worker on Redis: the task queued when the
first one is made gathers them when their wait is over; running it again, or the sweep
with it, sends nothing twice; the sweep alone gathers them should the task never arrive."""

import time

import pytest

from groups.models import Role
from recommendations import services
from strategy import notices
from strategy.models import Notice
from strategy.tasks import notices_gather_send, notices_sweep
from tests.factories import MembershipFactory, UserFactory, review_version
from tests.processes import wait_until

pytestmark = pytest.mark.worker


@pytest.fixture
def thread(working_group):
    starter = UserFactory(username="mei", first_name="Mei", last_name="Lin", language="zh-hans")
    replier = UserFactory(username="ana", first_name="Ana", last_name="Silva")
    for person in (starter, replier):
        MembershipFactory(user=person, working_group=working_group, role=Role.MEMBER)
    version = review_version(working_group, replier, title="Transparency")
    made = services.thread_start(version=version, user=starter, body="Unclear.")
    Notice.objects.all().delete()
    return made


def test_three_replies_leave_as_one_email_once_their_wait_is_over(
    celery_worker, thread, settings, mailoutbox
):
    settings.NOTICE_GATHER_SECONDS = 4
    replier = UserFactory(username="ana")
    for number in range(3):
        services.comment_reply(thread=thread, user=replier, body=f"Reply number {number}.")
    waiting = Notice.objects.filter(kind="comment.reply")
    assert waiting.count() == 3
    assert mailoutbox == []
    wait_until(lambda: len(mailoutbox) == 1)
    # The same gathering again, twice at once, and the sweep: nothing more leaves.
    key = waiting.first().gather_key
    results = [notices_gather_send.delay(waiting.first().recipient_id, key) for _ in range(2)]
    results.append(notices_sweep.delay())
    for result in results:
        result.get(timeout=30)
    time.sleep(1)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["mei@example.org"]
    assert message.subject == "3 条关于 1. Transparency 的新通知"
    for number in range(3):
        assert f"Reply number {number}." in message.body
    assert "/zh-hans/notifications/unsubscribe/" in message.body
    together = Notice.objects.get(kind="gathered")
    assert (together.state, together.attempts) == ("sent", 1)
    assert set(waiting.values_list("state", "digest_id")) == {("gathered", together.pk)}


@pytest.mark.django_db(transaction=True)
def test_the_sweep_gathers_what_no_task_gathered(thread, settings, mailoutbox, monkeypatch):
    """The broker took no task when the replies were made: the sweep, once their wait is
    over, sends them as one e-mail all the same, and only once."""
    settings.NOTICE_GATHER_SECONDS = 0
    queued = []
    monkeypatch.setattr(notices, "_gather_later", lambda *args: queued.append(args))
    replier = UserFactory(username="ana")
    for number in range(2):
        services.comment_reply(thread=thread, user=replier, body=f"Reply number {number}.")
    assert len(queued) == 1  # the first of its wait asked, and the broker lost it
    assert mailoutbox == []
    notices_sweep.delay().get(timeout=30)
    notices_sweep.delay().get(timeout=30)
    assert len(mailoutbox) == 1
    assert "Reply number 0." in mailoutbox[0].body
    assert "Reply number 1." in mailoutbox[0].body
