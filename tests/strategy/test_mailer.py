"""The one mailer (strategy/mailer.py): every e-mail of the product is a row of the ledger,
to a person or to an address with no account, sent at most once, with the product's
headers; account e-mails go out through the same sending function, unrecorded."""

import logging
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from strategy import mailer
from strategy.models import Notice

pytestmark = pytest.mark.django_db

MILESTONE = {
    "template": "timeline/notices/milestone_today",
    "context": {
        "milestone": {"title": "Harmonization Sprint", "description": ""},
        "group": {"name": "Advocacy"},
    },
}


def to_an_address(key="address:1", email="someone@example.org", language="en"):
    return mailer.email_record(
        key=key, kind="test", email=email, language=language, url="/timeline/", **MILESTONE
    )


def test_an_email_to_an_address_is_recorded_once_and_sent_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice, created = to_an_address()
        again, created_again = to_an_address()
    assert (created, created_again) == (True, False)
    assert again == notice
    assert Notice.objects.count() == 1
    [message] = mailoutbox
    assert message.to == ["someone@example.org"]
    assert message.subject == "Today: Harmonization Sprint"
    notice.refresh_from_db()
    assert (notice.recipient, notice.state, notice.attempts) == (None, "sent", 1)
    assert mailer.notice_deliver(notice.pk) == "skipped"
    assert len(mailoutbox) == 1


def test_an_email_to_an_address_has_the_products_headers_and_no_unsubscribe_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    """Nobody subscribed an address with no account: there is nothing to stop, so neither
    the List-Unsubscribe header nor a link to the preferences of a person who is not one."""
    with django_capture_on_commit_callbacks(execute=True):
        notice, _created = to_an_address(language="zh-hans")
    [message] = mailoutbox
    headers = message.message()
    assert headers["Message-ID"] == mailer.message_id(notice)
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["X-Notice-Key"] == notice.key
    assert "List-Unsubscribe" not in headers
    assert "List-Unsubscribe-Post" not in headers
    html = message.alternatives[0][0]
    for text in (message.body, html):
        assert "/unsubscribe/" not in text
        assert "/notifications/preferences/" not in text
    assert message.subject == "今天:Harmonization Sprint"
    assert "http://testserver/timeline/" in message.body
    assert 'lang="zh-hans"' in html


def test_a_persons_notice_has_the_products_headers_and_the_unsubscribe_link(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    from strategy import notices
    from strategy.models import Topic

    with django_capture_on_commit_callbacks(execute=True):
        notice = notices.notice_create(
            key="person:1", recipient=user, topic=Topic.MILESTONES, kind="test", **MILESTONE
        )
    headers = mailoutbox[0].message()
    assert headers["Auto-Submitted"] == "auto-generated"
    assert headers["Message-ID"] == mailer.message_id(notice)
    unsubscribe = re.fullmatch(
        r"<(http://testserver/notifications/unsubscribe/\S+/)>", headers["List-Unsubscribe"]
    )
    assert unsubscribe
    assert unsubscribe.group(1) in mailoutbox[0].body


@pytest.mark.parametrize("who", ["nobody", "both"])
def test_the_ledger_refuses_a_row_for_nobody_or_for_two(user, who):
    """Each row goes to a person or to an address: the database says so."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            key=f"refused:{who}",
            recipient=user if who == "both" else None,
            email="someone@example.org" if who == "both" else "",
            kind="test",
            subject="Subject",
            body="Body",
        )


@pytest.mark.parametrize(
    ("state", "cancelled"),
    [
        ("pending", True),
        ("failed", True),
        ("sending", False),
        ("sent", False),
        ("in_doubt", False),
    ],
)
def test_only_an_email_that_surely_did_not_leave_is_cancelled(state, cancelled):
    notice, _created = to_an_address()
    Notice.objects.filter(pk=notice.pk).update(state=state)
    assert mailer.notice_cancel(notice_id=notice.pk) is cancelled
    notice.refresh_from_db()
    assert notice.state == ("cancelled" if cancelled else state)
    assert mailer.notice_deliver(notice.pk) == "skipped"


def test_the_log_names_the_email_and_its_kind_never_the_address(
    caplog, settings, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="strategy.mailer")
    with django_capture_on_commit_callbacks(execute=True):
        sent, _created = to_an_address(key="logged:sent")
    settings.EMAIL_BACKEND = "tests.strategy.failing_email.Backend"
    settings.NOTICE_MAX_ATTEMPTS = 1
    failed, _created = to_an_address(key="logged:failed")
    assert mailer.notice_deliver(failed.pk) == "failed"
    lines = [record.getMessage() for record in caplog.records if record.name == "strategy.mailer"]
    assert lines == [
        f"E-mail {sent.pk} (test) sent",
        f"E-mail {failed.pk} (test) failed: ConnectionRefusedError: Connection refused",
    ]
    assert "someone@example.org" not in caplog.text


def test_the_ledgers_admin_lists_and_opens_an_email_to_an_address(admin_client):
    notice, _created = to_an_address(email="listed@example.org")
    changelist = admin_client.get(reverse("admin:strategy_notice_changelist"), {"q": "listed"})
    assert "listed@example.org" in changelist.content.decode()
    page = admin_client.get(reverse("admin:strategy_notice_change", args=[notice.pk]))
    assert page.status_code == 200
    assert "listed@example.org" in page.content.decode()


def test_account_emails_go_out_with_the_products_headers_and_are_not_recorded(client, mailoutbox):
    """allauth's e-mails carry one-time secrets and may be asked for by anyone: they leave
    through the mailer's sending function, with its headers, and the ledger keeps none."""
    client.post(
        reverse("account_reset_password"), {"email": "nobody-here@example.org"}, follow=True
    )
    client.post(
        reverse("account_signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": "a-good-password-42",
            "password2": "a-good-password-42",
        },
    )
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        headers = message.message()
        assert headers["Auto-Submitted"] == "auto-generated"
        assert re.fullmatch(r"<\S+@testserver>", headers["Message-ID"])
    assert mailoutbox[0].message()["Message-ID"] != mailoutbox[1].message()["Message-ID"]
    assert not Notice.objects.exists()


def test_an_account_email_that_cannot_leave_is_logged_and_raised(caplog, settings):
    from django.core.mail import EmailMessage

    settings.EMAIL_BACKEND = "tests.strategy.failing_email.Backend"
    with pytest.raises(ConnectionRefusedError):
        mailer.email_send_now(
            EmailMessage("Subject", "Body", to=["someone@example.org"]),
            kind="account/email/test",
        )
    assert "E-mail account/email/test not sent, or in doubt" in caplog.text
