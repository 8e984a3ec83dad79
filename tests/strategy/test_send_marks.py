"""The marks a batch of e-mails leaves in Redis as it goes (strategy/send_marks.py), and what
the sweep makes of them; and a batch during which Redis stops or pauses: each outcome is then
committed in the database, nothing is lost, nothing leaves twice, and at any moment at most
the one message being handed over is held "being sent" (all a killed worker could leave in
doubt). The Redis of the fault tests is a server of the test's own (test_redis_faults)."""

import time
from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from strategy import mailer, send_marks
from strategy.models import Notice
from tests.strategy.test_batch_sending import queued
from tests.strategy.test_redis_faults import SpareRedis

pytestmark = pytest.mark.django_db


def test_the_sweep_records_an_interrupted_batch_from_its_marks(mailoutbox):
    """Sent ones are recorded sent, those never handed over or refused are queued again,
    the one in flight (and one cut off) is in doubt."""
    ids = queued(6)
    claimed_at = timezone.now() - timedelta(hours=1)
    assert mailer._claim(ids, now=claimed_at) == ids
    marks = send_marks.BatchMarks(claimed_at=claimed_at, notice_ids=ids)
    assert marks.begin()
    sent, refused, cut_off, in_flight, *never = ids
    assert marks.write(
        {
            sent: send_marks.SENT,
            refused: send_marks.UNSENT,
            cut_off: send_marks.IN_DOUBT,
            in_flight: send_marks.SENDING,
        }
    )
    Notice.objects.filter(pk__in=ids).update(created_at=claimed_at)

    waiting, interrupted = mailer.notices_stuck()

    rows = {row.pk: row for row in Notice.objects.filter(pk__in=ids)}
    assert (rows[sent].state, rows[sent].sent_at) == ("sent", claimed_at)
    assert (rows[refused].state, rows[refused].attempts) == ("pending", 1)
    assert [rows[pk].state for pk in (cut_off, in_flight)] == ["in_doubt"] * 2
    assert [(rows[pk].state, rows[pk].attempts) for pk in never] == [("pending", 0)] * 2
    assert interrupted == 2
    assert sorted(waiting) == sorted([refused, *never])
    assert mailoutbox == []


def test_without_its_marks_every_row_of_an_interrupted_batch_is_in_doubt():
    """Marks of another claim (or none: Redis restarted empty) prove nothing."""
    ids = queued(3)
    claimed_at = timezone.now() - timedelta(hours=1)
    mailer._claim(ids, now=claimed_at)
    other = send_marks.BatchMarks(claimed_at=claimed_at + timedelta(microseconds=1), notice_ids=ids)
    assert other.begin()
    assert mailer.notices_stuck()[1] == 3
    assert set(Notice.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"in_doubt"}


def test_a_batch_sent_whole_leaves_no_marks(mailoutbox):
    ids = queued(4)
    assert mailer.notices_deliver(ids)["sent"] == 4
    claimed_at = Notice.objects.get(pk=ids[0]).claimed_at
    assert send_marks.marks_read([(pk, claimed_at) for pk in ids]) == {}


FAULT = {}


class FaultyRedisBackend(EmailBackend):
    """The test outbox; at the third message, the test's Redis is stopped or paused. At each
    message it notes how many rows of the ledger are being sent."""

    def send_messages(self, messages):
        FAULT["held"].append(Notice.objects.filter(state="sending").count())
        if len(FAULT["held"]) == 3:
            getattr(FAULT["redis"], FAULT["outage"])()
        return super().send_messages(messages)


@pytest.fixture
def marks_redis(settings):
    redis = SpareRedis()
    redis.start()
    settings.REDIS_URL = redis.url
    yield redis
    redis.stop()


@pytest.mark.faults
@pytest.mark.parametrize("outage", ["stop", "pause"])
def test_with_redis_failing_mid_batch_every_outcome_is_committed(
    marks_redis, settings, mailoutbox, outage
):
    settings.EMAIL_BACKEND = "tests.strategy.test_send_marks.FaultyRedisBackend"
    FAULT.update(redis=marks_redis, outage=outage, held=[])
    ids = queued(8)
    started = time.monotonic()
    try:
        outcome = mailer.notices_deliver(ids)
    finally:
        if outage == "pause":
            marks_redis.resume()
    elapsed = time.monotonic() - started
    assert (outcome["sent"], outcome["in_doubt"], outcome["queued_again"]) == (8, 0, 0)
    recipients = [message.to[0] for message in mailoutbox]
    assert len(recipients) == len(set(recipients)) == 8
    rows = Notice.objects.filter(pk__in=ids)
    assert set(rows.values_list("state", "attempts")) == {("sent", 1)}
    # With the marks: the whole batch held; once Redis failed, the one being sent only.
    assert FAULT["held"][:3] == [8, 8, 8]
    assert FAULT["held"][3:] == [1] * 5
    # One socket timeout, when Redis is paused; not one for each message.
    assert elapsed < 2.0


@pytest.mark.faults
def test_with_redis_down_from_the_start_a_batch_goes_row_by_row(
    marks_redis, settings, mailoutbox, django_assert_num_queries
):
    marks_redis.stop()
    settings.EMAIL_BACKEND = "tests.strategy.test_send_marks.FaultyRedisBackend"
    FAULT.update(redis=marks_redis, outage="stop", held=[])
    ids = queued(5)
    # The claim, the read, all handed back; then each claimed and recorded (and counted by
    # the backend).
    with django_assert_num_queries(3 + 5 * (2 + 1)):
        outcome = mailer.notices_deliver(ids)
    assert outcome["sent"] == 5
    assert len(mailoutbox) == 5
    assert FAULT["held"] == [1] * 5
    assert set(Notice.objects.filter(pk__in=ids).values_list("state", "attempts")) == {("sent", 1)}
