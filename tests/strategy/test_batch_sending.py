"""Sending in batches (strategy/mailer.py: notices_deliver): one task sends many e-mails of
the ledger over one connection, in the same few queries for ten as for a hundred, each row
with its own outcome; the layout filled in is what the templates render."""

import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core.mail.backends.locmem import EmailBackend
from django.template.loader import render_to_string
from django.utils import translation

from strategy import mailer
from strategy.models import Notice, Topic

pytestmark = pytest.mark.django_db

OPENED = []


class PickyBackend(EmailBackend):
    """The test outbox, behind a server that refuses refused@ (an answer: nothing left)
    and times out on slow@ (after taking the message, perhaps); it counts its connections."""

    def open(self):
        OPENED.append(self)
        return True

    def send_messages(self, messages):
        for message in messages:
            if message.to == ["refused@example.org"]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
            if message.to == ["slow@example.org"]:
                raise TimeoutError("timed out")
        return super().send_messages(messages)


def queued(count: int, *, emails=None) -> list[int]:
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"batch-{count}-{index}", email=f"batch-{count}-{index}@x.org")
        for index in range(count)
    )
    rows = Notice.objects.bulk_create(
        Notice(
            key=f"batch:{count}:{index}",
            recipient=None if emails else person,
            email=(emails or {}).get(index, ""),
            topic="" if emails else Topic.MILESTONES,
            kind="milestone.soon",
            subject=f"Notice {index}",
            body="Body",
            url="/timeline/",
            language="en",
        )
        for index, person in enumerate(users)
    )
    return [row.pk for row in rows]


@pytest.mark.parametrize("count", [10, 100])
def test_sending_a_batch_takes_the_same_queries_however_many_it_holds(
    count, mailoutbox, django_assert_num_queries
):
    """Claimed in one statement, read in one, recorded sent in one: three queries for ten
    e-mails and for a hundred."""
    ids = queued(count)
    with django_assert_num_queries(3):
        outcome = mailer.notices_deliver(ids)
    assert outcome["sent"] == count
    assert len(mailoutbox) == count
    assert set(Notice.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"sent"}
    assert set(Notice.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_a_batch_is_sent_once_over_one_connection(mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.strategy.test_batch_sending.PickyBackend"
    OPENED.clear()
    ids = queued(5)
    assert mailer.notices_deliver(ids)["sent"] == 5
    assert len(OPENED) == 1
    # Again: nothing is queued any more, nothing leaves again.
    again = mailer.notices_deliver(ids)
    assert (again["sent"], again["skipped"]) == (0, 5)
    assert len(mailoutbox) == 5


def test_each_email_of_a_batch_has_its_own_outcome(mailoutbox, settings):
    """A refused one is queued again (it did not leave), one cut off after it was handed
    over is in doubt (never retried), the others are sent; the batch goes on after each."""
    settings.EMAIL_BACKEND = "tests.strategy.test_batch_sending.PickyBackend"
    ids = queued(
        5,
        emails={
            0: "a@example.org",
            1: "refused@example.org",
            2: "slow@example.org",
            3: "b@example.org",
            4: "c@example.org",
        },
    )
    outcome = mailer.notices_deliver(ids)
    assert (outcome["sent"], outcome["in_doubt"], outcome["queued_again"]) == (3, 1, 1)
    states = dict(Notice.objects.filter(pk__in=ids).values_list("email", "state"))
    assert states == {
        "a@example.org": "sent",
        "refused@example.org": "pending",
        "slow@example.org": "in_doubt",
        "b@example.org": "sent",
        "c@example.org": "sent",
    }
    doubt = Notice.objects.get(email="slow@example.org")
    assert "may or may not have left" in doubt.last_error
    assert sorted(m.to[0] for m in mailoutbox) == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_a_batch_that_cannot_reach_the_server_sends_nothing_and_waits(settings):
    settings.EMAIL_BACKEND = "tests.strategy.failing_email.Backend"
    ids = queued(4)
    outcome = mailer.notices_deliver(ids)
    assert (outcome["sent"], outcome["in_doubt"], outcome["queued_again"]) == (0, 0, 4)
    rows = Notice.objects.filter(pk__in=ids)
    assert set(rows.values_list("state", "attempts")) == {("pending", 1)}
    assert "Connection refused" in rows.first().last_error


def test_a_batch_stopped_at_its_time_limit_leaves_the_rest_queued(mailoutbox, monkeypatch):
    """The soft time limit comes while the third is composed: two are sent, the third
    surely did not leave, and the rest were never touched: all wait in the queue."""
    from celery.exceptions import SoftTimeLimitExceeded

    compose = mailer.email_compose
    calls = []

    def slow_compose(notice):
        calls.append(notice.pk)
        if len(calls) == 3:
            raise SoftTimeLimitExceeded()
        return compose(notice)

    monkeypatch.setattr(mailer, "email_compose", slow_compose)
    ids = queued(6)
    outcome = mailer.notices_deliver(ids)
    assert outcome["sent"] == 2
    assert len(mailoutbox) == 2
    states = list(Notice.objects.filter(pk__in=ids).order_by("pk").values_list("state", "attempts"))
    assert states[:2] == [("sent", 1), ("sent", 1)]
    assert states[2] == ("pending", 1)
    # Never attempted: their attempt is not counted.
    assert states[3:] == [("pending", 0)] * 3


def test_recording_many_queues_them_in_batches(django_capture_on_commit_callbacks, settings):
    """emails_record queues one task for each NOTICE_SEND_BATCH rows."""
    from unittest import mock

    settings.NOTICE_SEND_BATCH = 4
    people = get_user_model().objects.bulk_create(
        get_user_model()(username=f"many-{index}", email=f"many-{index}@x.org")
        for index in range(10)
    )
    rows = [
        Notice(
            key=f"many:{person.pk}",
            recipient=person,
            topic=Topic.MILESTONES,
            kind="k",
            subject="S",
            body="B",
            language="en",
        )
        for person in people
    ]
    with (
        mock.patch("strategy.tasks.notices_send.apply_async") as queue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        made = mailer.emails_record(rows)
    assert [notice.state for notice in made] == ["pending"] * 10
    batches = [call.args[0][0] for call in queue.call_args_list]
    assert [len(batch) for batch in batches] == [4, 4, 2]
    assert sorted(pk for batch in batches for pk in batch) == sorted(notice.pk for notice in made)


def rendered(notice: Notice, unsubscribe: str) -> tuple[str, str]:
    """The two parts as the templates render them for the notice, the way e-mails were
    composed before the layout was kept (the reference the kept layout must match)."""
    recipient = notice.recipient
    with translation.override(notice.language or mailer.language_of(recipient)):
        link = ("http://testserver" + notice.url) if notice.url.startswith("/") else notice.url
        context = {"notice": notice, "link": link}
        if recipient is not None:
            context |= {
                "unsubscribe": unsubscribe,
                "preferences": "http://testserver"
                + __import__("django.urls").urls.reverse("notices:preferences"),
                "topic": Topic(notice.topic or Topic.REVIEWS).label,
            }
        return (
            render_to_string("notices/email.txt", context),
            render_to_string("notices/email.html", context),
        )


@pytest.mark.parametrize("language", ["en", "zh-hans", "arz"])
@pytest.mark.parametrize("url", ["/timeline/?a=1&b=2", "", "https://example.org/x"])
@pytest.mark.parametrize("to_a_person", [True, False])
def test_the_layout_filled_in_is_what_the_templates_render(user, language, url, to_a_person):
    body = 'Line <b>one</b> & "two"\nsecond line NoticeLayoutMarkBodyQ9z\n\nthird'
    notice = Notice.objects.create(
        key=f"layout:{language}:{url}:{to_a_person}",
        recipient=user if to_a_person else None,
        email="" if to_a_person else "someone@example.org",
        topic=Topic.WATCHED if to_a_person else "",
        kind="test",
        subject='A <subject> & "quotes" NoticeLayoutMarkLinkQ9z',
        body=body,
        url=url,
        language=language,
    )
    message = mailer.email_compose(notice)
    unsubscribe = message.extra_headers.get("List-Unsubscribe", "").strip("<>")
    assert bool(unsubscribe) is to_a_person
    text, html = rendered(notice, unsubscribe)
    assert message.body == text
    assert message.alternatives[0][0] == html
