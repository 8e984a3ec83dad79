"""Notices: who is told what, and how each chose to hear of it.

A notice is recorded once in the ledger under a unique key (what it is about, for whom,
for which occasion) and e-mailed once, in the recipient's language, by the mailer
(strategy/mailer.py), unless the person chose the daily digest or no e-mail for its topic.
Making it again does nothing, so the tasks that make notices may run as often as they like.

Notices about one thing made within minutes of each other (three replies in a thread, the
community's feedback of an hour) wait a little and leave as one e-mail: each is recorded
under its own key with a `gather_key`, and `notices_gather` sends them together once the
first has waited its time. Each notice is still in the person's list.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, QuerySet
from django.urls import reverse
from django.utils import timezone

from . import fragments
from .mailer import (
    NOTICE_MODELS,
    email_record,
    email_text,
    emails_record,
    language_of,
    notices_changed,
)
from .models import Delivery, Notice, NoticePreference, Topic, User

logger = logging.getLogger(__name__)

DIGEST_KIND = "digest"
GATHERED_KIND = "gathered"
# The e-mails that carry other notices: the list of notifications shows those instead.
CARRIER_KINDS = (DIGEST_KIND, GATHERED_KIND)

STATE_FOR = {
    Delivery.IMMEDIATE: Notice.State.PENDING,
    Delivery.DIGEST: Notice.State.DIGEST,
    Delivery.OFF: Notice.State.OFF,
}


def notices_listed(*, user: User) -> QuerySet[Notice]:
    """A person's notifications as their list and its unread count show them: each notice,
    not the digest or e-mail that carried it, nor one withdrawn before it left."""
    return (
        Notice.objects.filter(recipient=user)
        .exclude(kind__in=CARRIER_KINDS)
        .exclude(state=Notice.State.CANCELLED)
    )


def unread_count(*, user: User) -> int:
    """How many of the person's notifications they have not read: kept for them
    (strategy/fragments.py) under the ledger's generation (mailer.NOTICE_MODELS)."""
    return fragments.kept(
        "unread-notices",
        (user.pk,),
        lambda: notices_listed(user=user).filter(read_at__isnull=True).count(),
        models=NOTICE_MODELS,
    )


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
    about_key: str = "",
    about: str = "",
    gather_key: str = "",
    gather_seconds: int | None = None,
) -> Notice | None:
    """Record the notice once (see mailer.email_record) and, when the person wants it at
    once, send it after the transaction commits. Returns the new notice, or None when the
    key was recorded before.

    With a `gather_key`, a notice the person wants at once waits `gather_seconds`
    (NOTICE_GATHER_SECONDS unless given) for the others of the same key, and leaves with
    them as one e-mail (notices_gather)."""
    state, fields = _state_and_fields(
        delivery_for(user=recipient, topic=topic),
        topic=topic,
        about_key=about_key,
        about=about,
        gather_key=gather_key,
        gather_seconds=gather_seconds,
    )
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
        fields=fields,
    )
    if not created:
        return None
    if state == Notice.State.GATHERING and not _others_gathering(notice):
        # The first of its kind starts the wait; the sweep gathers it too, should this
        # task never arrive.
        _gather_when_due(notice)
    return notice


def _state_and_fields(
    delivery: str,
    *,
    topic: str,
    about_key: str,
    about: str,
    gather_key: str,
    gather_seconds: int | None,
) -> tuple[str, dict]:
    """The state a new notice starts in, as the person chose, and the columns that say
    what it is about and how it waits for others."""
    state = STATE_FOR[delivery]
    fields = {"about_key": about_key, "about": about[:300]}
    if gather_key and state == Notice.State.PENDING:
        # One e-mail carries one topic: the link in it stops that topic.
        gather_key = f"{topic}/{gather_key}"
        seconds = settings.NOTICE_GATHER_SECONDS if gather_seconds is None else gather_seconds
        state = Notice.State.GATHERING
        fields |= {
            "gather_key": gather_key,
            "send_after": timezone.now() + timedelta(seconds=seconds),
        }
    return state, fields


@dataclass
class NoticeFor:
    """One person's notice of an event, for notices_create: its key, what its templates
    see, its link and what it is about (made in the person's language). Notices with the
    same `text_key` say the same words to everyone of one language (their templates do not
    depend on the recipient): their subject and text are composed once per language."""

    recipient: User
    key: str
    context: dict = field(default_factory=dict)
    url: str = ""
    about_key: str = ""
    about: str = ""
    text_key: str = ""


def notices_create(
    *,
    items: list[NoticeFor],
    topic: str,
    kind: str,
    template: str,
    gather_key: str = "",
    gather_seconds: int | None = None,
) -> list[Notice]:
    """notice_create for many people at once (everyone told of one event), in a fixed
    number of queries however many they are: their preferences, the keys recorded
    before, the rows written and read back, and whether each already waits with others
    under `gather_key`. Returns the notices recorded now."""
    if not items:
        return []
    chosen = dict(
        NoticePreference.objects.filter(
            user__in=[item.recipient.pk for item in items], topic=topic
        ).values_list("user_id", "delivery")
    )
    rows = []
    texts: dict[tuple[str, str], tuple[str, str]] = {}
    for item in items:
        state, fields = _state_and_fields(
            chosen.get(item.recipient.pk, Delivery.IMMEDIATE),
            topic=topic,
            about_key=item.about_key,
            about=item.about,
            gather_key=gather_key,
            gather_seconds=gather_seconds,
        )
        language = language_of(item.recipient)
        shared = (item.text_key, language) if item.text_key else None
        if shared in texts:
            subject, body = texts[shared]
        else:
            subject, body = email_text(
                template=template,
                context=item.context,
                language=language,
                recipient=item.recipient,
            )
            if shared:
                texts[shared] = subject, body
        rows.append(
            Notice(
                key=item.key,
                recipient=item.recipient,
                topic=topic,
                kind=kind,
                subject=subject,
                body=body,
                url=item.url,
                state=state,
                language=language,
                **fields,
            )
        )
    made = emails_record(rows)
    gathering = [notice for notice in made if notice.state == Notice.State.GATHERING]
    if gathering:
        waiting = set(
            Notice.objects.filter(
                recipient_id__in=[notice.recipient_id for notice in gathering],
                gather_key=gathering[0].gather_key,
                state=Notice.State.GATHERING,
            )
            .exclude(pk__in=[notice.pk for notice in gathering])
            .values_list("recipient_id", flat=True)
        )
        for notice in gathering:
            if notice.recipient_id not in waiting:
                _gather_when_due(notice)
    return made


def _gather_when_due(notice: Notice) -> None:
    """Queue the gathering of the notices waiting with `notice` for when its wait ends."""
    seconds = max((notice.send_after - timezone.now()).total_seconds(), 0)
    recipient_id, gather_key = notice.recipient_id, notice.gather_key
    transaction.on_commit(lambda: _gather_later(recipient_id, gather_key, seconds))


def _others_gathering(notice: Notice) -> bool:
    return (
        Notice.objects.filter(
            recipient_id=notice.recipient_id,
            gather_key=notice.gather_key,
            state=Notice.State.GATHERING,
        )
        .exclude(pk=notice.pk)
        .exists()
    )


def _gather_later(recipient_id: int, gather_key: str, seconds: float) -> None:
    from .tasks import notices_gather_send

    try:
        notices_gather_send.apply_async(args=[recipient_id, gather_key], countdown=seconds)
    except Exception as error:  # the broker is down: the sweep gathers them instead
        logger.warning("Gathering of notices not queued, left to the sweep: %s", error)


@transaction.atomic
def notices_gather(*, recipient_id: int, gather_key: str, now=None) -> Notice | None:
    """Send the person's notices waiting under `gather_key` as one e-mail, once the first
    of them has waited its time; before then, do nothing. Safe to run twice, or at once
    in two workers: the rows are locked and leave the waiting state together, and the
    one e-mail has a key of its own (made from the first notice's). A notice recorded
    while they are gathered waits for the next gathering (its own task, or the sweep).
    A person who since
    chose the digest, or no e-mail, for the topic gets that instead. Returns the notice
    that is sent (the one waiting, when it waited alone), or None."""
    now = now or timezone.now()
    waiting = list(
        Notice.objects.select_for_update(of=("self",))
        .filter(recipient_id=recipient_id, gather_key=gather_key, state=Notice.State.GATHERING)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    if not waiting or waiting[0].send_after > now:
        return None
    ids = [notice.pk for notice in waiting]
    first = waiting[0]
    state = STATE_FOR[delivery_for(user=first.recipient, topic=first.topic)]
    if state != Notice.State.PENDING:
        Notice.objects.filter(pk__in=ids).update(state=state)
        return None
    if len(waiting) == 1:
        from .tasks import notice_send

        Notice.objects.filter(pk=first.pk).update(state=Notice.State.PENDING)
        notice_send.delay_on_commit(first.pk)
        return first
    together = notice_create(
        key=f"{GATHERED_KIND}:{first.key}"[:200],
        recipient=first.recipient,
        topic=first.topic,
        kind=GATHERED_KIND,
        template="notices/gathered",
        context={"notices": waiting, "about": first.about},
        url=waiting[-1].url,
        about_key=first.about_key,
        about=first.about,
    )
    if together is None:
        return None
    Notice.objects.filter(pk__in=ids).update(state=Notice.State.GATHERED, digest=together)
    return together


def notices_gathering_due(*, now=None) -> list[tuple[int, str]]:
    """(person, gather key) of every group of waiting notices whose first has waited its
    time: what the sweep gathers, should the task queued for it never have arrived."""
    now = now or timezone.now()
    return list(
        Notice.objects.filter(state=Notice.State.GATHERING)
        .values("recipient_id", "gather_key")
        .annotate(due=Min("send_after"))
        .filter(due__lte=now)
        .values_list("recipient_id", "gather_key")[:5000]
    )


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


def notices_withdraw(*, key_prefix: str) -> int:
    """Stop the notices under keys starting with `key_prefix` that have not left: queued,
    waiting for others or for the digest (what they told of no longer holds: a comment
    hidden by a moderator), and leave the list of notifications. One being sent, or
    sent, stays as it is. Returns how many were stopped."""
    stopped = Notice.objects.filter(
        key__startswith=key_prefix,
        state__in=[Notice.State.PENDING, Notice.State.GATHERING, Notice.State.DIGEST],
    ).update(state=Notice.State.CANCELLED)
    notices_changed()
    return stopped


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
        kind=DIGEST_KIND,
        template="notices/digest",
        context={"notices": waiting, "sections": digest_sections(waiting), "day": day},
        url=reverse("notices:list"),
    )
    if digest is None:
        return None
    Notice.objects.filter(pk__in=[n.pk for n in waiting]).update(
        state=Notice.State.DIGESTED, digest=digest
    )
    return digest


def digest_sections(waiting: list[Notice]) -> list[dict]:
    """The digest's notices grouped by what they are about (a recommendation), the group
    with the newest notice first, and each group's notices newest first; notices about
    nothing in particular (a milestone) form a group of their own, without a heading."""
    sections: dict[str, dict] = {}
    for notice in sorted(waiting, key=lambda n: (n.created_at, n.pk), reverse=True):
        section = sections.setdefault(notice.about_key, {"about": notice.about, "notices": []})
        section["notices"].append(notice)
    return list(sections.values())


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
