"""Notices: recorded once, then e-mailed once, in the recipient's language, as they chose.

A notice is first written to the ledger (strategy.Notice) under a unique key: what it is
about, for whom, for which occasion. Making it again does nothing, so the tasks that make
notices may run as often as they like. Sending claims the notice in the database before
the message leaves; a failed send is retried with back-off and, when it keeps failing, is
left "failed" for the core team to see. A send that may have reached the mail server
(cut off by a timeout or the task's time limit after the message was handed over, or
interrupted by a killed worker) is never repeated blindly: it is left "in doubt" with a
note, for a person to check. Every attempt at one notice carries the same Message-ID, so a
receiving server that does get two copies can drop the second.
"""

import hashlib
import smtplib
from collections.abc import Iterable
from contextlib import suppress
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Delivery, Notice, NoticePreference, Topic, User

UNSUBSCRIBE_SALT = "strategy.unsubscribe"


def delivery_for(*, user: User, topic: str) -> str:
    preference = NoticePreference.objects.filter(user=user, topic=topic).first()
    return preference.delivery if preference else Delivery.IMMEDIATE


def language_of(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def render_text(template: str, context: dict) -> str:
    """A plain-text template rendered as text: nothing HTML-escaped. The subject and text
    of a notice are stored as written and escaped once, where a page or an HTML e-mail
    shows them; escaping here too showed readers `&lt;` for `<`."""
    return get_template(template).template.render(Context(context, autoescape=False))


def render_notice(template: str, context: dict, *, recipient: User) -> tuple[str, str]:
    """Subject and text of a notice from `<template>_subject.txt` and `<template>.txt`,
    in the recipient's language (the templates see translated content too)."""
    with translation.override(language_of(recipient)):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = render_text(f"{template}_subject.txt", context).strip()
        body = render_text(f"{template}.txt", context).strip()
    return " ".join(subject.split()), body


def notice_create(
    *,
    key: str,
    recipient: User,
    topic: str,
    kind: str,
    template: str,
    context: dict,
    url: str = "",
) -> Notice | None:
    """Record the notice once and, when the person wants it at once, send it after the
    transaction commits. Returns the new notice, or None when the key was recorded before."""
    if Notice.objects.filter(key=key).exists():
        return None
    subject, body = render_notice(template, context, recipient=recipient)
    state = {
        Delivery.IMMEDIATE: Notice.State.PENDING,
        Delivery.DIGEST: Notice.State.DIGEST,
        Delivery.OFF: Notice.State.OFF,
    }[delivery_for(user=recipient, topic=topic)]
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            key=key,
            defaults={
                "recipient": recipient,
                "topic": topic,
                "kind": kind,
                "subject": subject,
                "body": body,
                "url": url,
                "state": state,
                "language": language_of(recipient),
            },
        )
    if not created:
        return None
    if notice.state == Notice.State.PENDING:
        from .tasks import notice_send

        notice_send.delay_on_commit(notice.pk)
    return notice


ANNOUNCEMENT_KIND = "core_team.announcement"


@transaction.atomic
def announcement_send(
    *, token: str, subject: str, message: str, recipients: Iterable[User]
) -> tuple[int, int]:
    """Record the core team's announcement for each recipient, under the topic of its own,
    and send it as each chose. `token` names this one announcement (the admin makes it
    when it shows the form): a second submit of the same form finds every key recorded
    and sends nothing. Returns how many notices were recorded now, and how many were
    recorded before."""
    made = before = 0
    for person in recipients:
        notice = notice_create(
            key=f"announcement:{token}:{person.pk}",
            recipient=person,
            topic=Topic.ANNOUNCEMENTS,
            kind=ANNOUNCEMENT_KIND,
            template="notices/core_team",
            context={"subject": subject, "message": message},
        )
        if notice is None:
            before += 1
        else:
            made += 1
    return made, before


class UnsubscribeLinkExpired(Exception):
    """The link was genuine but is older than UNSUBSCRIBE_LINK_VALID_DAYS."""


def unsubscribe_token(*, user: User, topic: str) -> str:
    # signing.dumps stamps the time, which is what lets an old link expire.
    return signing.dumps({"u": user.pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str] | None:
    """The person and topic a link stops, or None when the link is not one of ours.
    Raises UnsubscribeLinkExpired for a genuine link past its time: a link that works
    without signing in must not work for ever (old mail gets forwarded and archived)."""
    max_age = timedelta(days=settings.UNSUBSCRIBE_LINK_VALID_DAYS)
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
        user = User.objects.get(pk=data["u"], is_active=True)
        topic = Topic(data["t"])
    except signing.SignatureExpired as error:
        raise UnsubscribeLinkExpired from error
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    return user, topic


def preference_set(*, user: User, topic: str, delivery: str) -> NoticePreference:
    preference, _ = NoticePreference.objects.update_or_create(
        user=user, topic=topic, defaults={"delivery": delivery}
    )
    return preference


def message_id(notice: Notice) -> str:
    """The same Message-ID on every attempt at one notice (RFC 5322 3.6.4), made from its
    key and the site's domain. The key is hashed: it holds characters a Message-ID may
    not, and need not be shown to mail servers."""
    digest = hashlib.sha256(notice.key.encode()).hexdigest()[:40]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notice.{digest}@{domain}>"


def _message(notice: Notice) -> EmailMultiAlternatives:
    recipient = notice.recipient
    with translation.override(notice.language or language_of(recipient)):
        topic = notice.topic or Topic.REVIEWS
        unsubscribe = settings.SITE_URL + reverse(
            "notices:unsubscribe", args=[unsubscribe_token(user=recipient, topic=topic)]
        )
        context = {
            "notice": notice,
            "link": settings.SITE_URL + notice.url if notice.url.startswith("/") else notice.url,
            "unsubscribe": unsubscribe,
            "preferences": settings.SITE_URL + reverse("notices:preferences"),
            "topic": Topic(topic).label,
        }
        text = render_to_string("notices/email.txt", context)
        html = render_to_string("notices/email.html", context)
    message = EmailMultiAlternatives(
        notice.subject,
        text,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Notice-Key": notice.key,
            "Message-ID": message_id(notice),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


class SendFailed(Exception):
    """The e-mail did not leave; the notice is queued again for a retry."""


# Errors during a send that prove the message did not leave: the server answered with a
# refusal, or there was no connection to carry it. Any other error once the connection is
# open (a timeout, a dropped connection, the task's soft time limit) may have come after the
# server took the message: smtplib cannot tell which, so the send is in doubt.
NOT_SENT = (
    smtplib.SMTPResponseException,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPNotSupportedError,
    ConnectionRefusedError,
)
IN_DOUBT_NOTE = (
    "The send was cut off after the message was handed to the mail server: it may or may "
    "not have left. Check with the recipient before sending it again."
)


class MaybeSent(Exception):
    """The send was cut off when the message may already have reached the server."""


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def email_send_at_most_once(message: EmailMultiAlternatives) -> None:
    """Send `message` on a connection of its own. Raises the error itself when the message
    surely did not leave (no connection, the server's refusal): it may be tried again.
    Raises MaybeSent when it may have reached the server: sending it again could make a
    second copy. Every e-mail the project sends goes through here."""
    connection = get_connection()
    try:
        # Connecting apart from sending: whatever fails here, nothing has left.
        connection.open()
        try:
            connection.send_messages([message])
        except NOT_SENT:
            raise
        except Exception as error:
            raise MaybeSent(_error_text(error)) from error
    finally:
        # The outcome is known by now; a failure to say goodbye changes nothing.
        with suppress(Exception):
            connection.close()


def _not_sent(notice: Notice, error: Exception) -> str:
    final = notice.attempts >= settings.NOTICE_MAX_ATTEMPTS or isinstance(error, ValueError)
    Notice.objects.filter(pk=notice.pk).update(
        state=Notice.State.FAILED if final else Notice.State.PENDING,
        last_error=_error_text(error),
    )
    if final:
        return "failed"
    raise SendFailed(str(error)) from error


def notice_deliver(notice_id: int) -> str:
    """Send one queued notice, at most once. Returns what happened: sent, skipped (not
    queued: sent already, or being sent by another worker), failed (no more attempts), or
    in_doubt (it may have reached the server; left for a person, never retried).
    Raises SendFailed when the message surely did not leave and will be tried again.
    Run it with EMAIL_TIMEOUT well under the task's soft time limit."""
    claimed = Notice.objects.filter(pk=notice_id, state=Notice.State.PENDING).update(
        state=Notice.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    try:
        if not notice.recipient.email:
            raise ValueError("the recipient has no e-mail address")
        email_send_at_most_once(_message(notice))
    except MaybeSent as error:
        Notice.objects.filter(pk=notice_id).update(
            state=Notice.State.IN_DOUBT, last_error=f"{IN_DOUBT_NOTE} ({error})"
        )
        return "in_doubt"
    except Exception as error:
        return _not_sent(notice, error)
    Notice.objects.filter(pk=notice_id).update(state=Notice.State.SENT, sent_at=timezone.now())
    return "sent"


@transaction.atomic
def digest_create(*, user: User, day) -> Notice | None:
    """Gather the person's notices waiting for the digest into one notice for `day`."""
    waiting = list(
        Notice.objects.select_for_update()
        .filter(recipient=user, state=Notice.State.DIGEST)
        .order_by("created_at", "pk")
    )
    if not waiting:
        return None
    digest = notice_create(
        key=f"digest:{user.pk}:{day.isoformat()}",
        recipient=user,
        topic="",
        kind="digest",
        template="notices/digest",
        context={"notices": waiting, "day": day},
        url=reverse("notices:list"),
    )
    if digest is None:
        return None
    Notice.objects.filter(pk__in=[n.pk for n in waiting]).update(
        state=Notice.State.DIGESTED, digest=digest
    )
    return digest


def digests_due(*, now=None) -> list[int]:
    """The people who have notices waiting for the digest, once the digest hour passed."""
    now = now or timezone.now()
    if now.hour < settings.NOTICE_DIGEST_HOUR:
        return []
    return list(
        Notice.objects.filter(state=Notice.State.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )


# What the sweep holds stuck, for notices and invitations alike: waiting to be sent for
# longer than a worker takes to pick a task up (the broker may never have had it), or
# claimed for longer than any send lasts (the worker died half-way).
WAITING_STUCK_AFTER = timedelta(minutes=2)
SENDING_STUCK_AFTER = timedelta(minutes=10)
INTERRUPTED_NOTE = (
    "Interrupted while sending: it may or may not have left. Check with the recipient "
    "before sending it again."
)


def notices_stuck(*, now=None) -> tuple[list[int], int]:
    """Queued notices no worker picked up (to queue again), and how many sends were
    interrupted half-way (left in doubt for a person to check)."""
    now = now or timezone.now()
    interrupted = Notice.objects.filter(
        state=Notice.State.SENDING, claimed_at__lt=now - SENDING_STUCK_AFTER
    ).update(state=Notice.State.IN_DOUBT, last_error=INTERRUPTED_NOTE)
    waiting = list(
        Notice.objects.filter(
            state=Notice.State.PENDING, created_at__lt=now - WAITING_STUCK_AFTER
        ).values_list("pk", flat=True)[:5000]
    )
    return waiting, interrupted
