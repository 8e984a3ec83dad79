"""Notices: who is told what, and how each chose to hear of it.

A notice is recorded once in the ledger under a unique key (what it is about, for whom,
for which occasion) and e-mailed once, in the recipient's language, by the mailer
(strategy/mailer.py), unless the person chose the daily digest or no e-mail for its topic.
Making it again does nothing, so the tasks that make notices may run as often as they like.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .mailer import email_record, language_of
from .models import Delivery, Notice, NoticePreference, Topic, User


def delivery_for(*, user: User, topic: str) -> str:
    preference = NoticePreference.objects.filter(user=user, topic=topic).first()
    return preference.delivery if preference else Delivery.IMMEDIATE


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
    """Record the notice once (see mailer.email_record) and, when the person wants it at
    once, send it after the transaction commits. Returns the new notice, or None when the
    key was recorded before."""
    state = {
        Delivery.IMMEDIATE: Notice.State.PENDING,
        Delivery.DIGEST: Notice.State.DIGEST,
        Delivery.OFF: Notice.State.OFF,
    }[delivery_for(user=recipient, topic=topic)]
    notice, created = email_record(
        key=key,
        recipient=recipient,
        topic=topic,
        kind=kind,
        template=template,
        context=context,
        url=url,
        state=state,
        language=language_of(recipient),
    )
    return notice if created else None


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


def preference_set(*, user: User, topic: str, delivery: str) -> NoticePreference:
    preference, _ = NoticePreference.objects.update_or_create(
        user=user, topic=topic, defaults={"delivery": delivery}
    )
    return preference


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
