"""Notices: recorded once, then e-mailed once, in the recipient's language, as they chose.

A notice is first written to the ledger (strategy.Notice) under a unique key: what it is
about, for whom, for which occasion. Making it again does nothing, so the tasks that make
notices may run as often as they like. Sending claims the notice in the database before
the message leaves; a failed send is retried with back-off and, when it keeps failing, is
left "failed" for the core team to see. A send interrupted half-way (the worker killed)
is never repeated blindly: the sweeper marks it failed with a note, for a person to check.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
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


def render_notice(template: str, context: dict, *, recipient: User) -> tuple[str, str]:
    """Subject and text of a notice from `<template>_subject.txt` and `<template>.txt`,
    in the recipient's language (the templates see translated content too)."""
    with translation.override(language_of(recipient)):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context).strip()
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


def unsubscribe_token(*, user: User, topic: str) -> str:
    return signing.dumps({"u": user.pk, "t": topic}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["u"], is_active=True)
        topic = Topic(data["t"])
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        return None
    return user, topic


def preference_set(*, user: User, topic: str, delivery: str) -> NoticePreference:
    preference, _ = NoticePreference.objects.update_or_create(
        user=user, topic=topic, defaults={"delivery": delivery}
    )
    return preference


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
        },
    )
    message.attach_alternative(html, "text/html")
    return message


class SendFailed(Exception):
    """The e-mail did not leave; the notice is queued again for a retry."""


def notice_deliver(notice_id: int) -> str:
    """Send one queued notice, once. Returns what happened: sent, skipped (not queued:
    sent already, or being sent by another worker), or failed (no more attempts).
    Raises SendFailed when the send failed and will be tried again."""
    claimed = Notice.objects.filter(pk=notice_id, state=Notice.State.PENDING).update(
        state=Notice.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    try:
        if not notice.recipient.email:
            raise ValueError("the recipient has no e-mail address")
        _message(notice).send()
    except Exception as error:
        final = notice.attempts >= settings.NOTICE_MAX_ATTEMPTS or isinstance(error, ValueError)
        Notice.objects.filter(pk=notice_id).update(
            state=Notice.State.FAILED if final else Notice.State.PENDING,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        if final:
            return "failed"
        raise SendFailed(str(error)) from error
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


def notices_stuck(*, now=None) -> tuple[list[int], int]:
    """Queued notices no worker picked up (to queue again), and how many sends were
    interrupted half-way (marked failed for a person to check)."""
    now = now or timezone.now()
    interrupted = Notice.objects.filter(
        state=Notice.State.SENDING, claimed_at__lt=now - timedelta(minutes=10)
    ).update(
        state=Notice.State.FAILED,
        last_error="Interrupted while sending: it may or may not have left. Check with the "
        "recipient before sending it again.",
    )
    waiting = list(
        Notice.objects.filter(
            state=Notice.State.PENDING, created_at__lt=now - timedelta(minutes=2)
        ).values_list("pk", flat=True)[:5000]
    )
    return waiting, interrupted
