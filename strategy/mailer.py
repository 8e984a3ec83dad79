"""The product's one mailer: every e-mail it sends is composed, sent and accounted for here.

An e-mail is first written to the ledger (strategy.Notice) under a key of its own: a notice
to a person (strategy/notices.py decides who is told what, as each chose), or an e-mail to
an address with no account behind it yet (an invitation, groups/services.py). Recording a
key again does nothing, so whatever makes e-mail may run as often as it likes. Subject and
text are composed when it is recorded, in the recipient's language, and kept as written;
the message around them (plain text and HTML, the product's headers, the link to stop a
topic) is composed when it leaves.

Sending claims the row in the database before the message leaves; a failed send is retried
with back-off and, when it keeps failing, is left "failed" for the core team to see. A send
that may have reached the mail server (cut off by a timeout or the task's time limit after
the message was handed over, or interrupted by a killed worker) is never repeated blindly:
it is left "in doubt" with a note, for a person to check. Every attempt at one row carries
the same Message-ID, so a receiving server that does get two copies can drop the second.
The sweep (strategy.tasks.notices_sweep) queues again what no worker picked up. A batch
marks each message's progress in Redis as it goes (strategy/send_marks.py), so that of a
batch whose worker died only the message in flight is left in doubt.

Account e-mails (allauth: confirming an address, resetting a password, a sign-in code, a
security notice) go out through `email_send_now`, with the same sending function, headers
and language, but are not recorded: they carry one-time secrets the ledger, which the core
team reads, must not keep; anyone may ask for them without signing in, so rows would grow
from anonymous requests; and the person waits for them on the page and can ask again.
"""

import hashlib
import logging
import re
import smtplib
from contextlib import suppress
from datetime import timedelta
from email.utils import make_msgid
from functools import lru_cache
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection as database
from django.db import transaction
from django.db.models import F, QuerySet
from django.template import Context
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape

from . import generations, send_marks
from .models import Notice, Topic, User

# The ledger's generation (strategy/generations.py), what is kept of a person's notices is
# kept under (their unread count, strategy/notices.py): a notice saved or deleted moves it,
# and every write in bulk that makes, reads or withdraws notices says so (notices_changed).
NOTICE_MODELS = ("strategy.Notice",)


def notices_changed() -> None:
    for label in NOTICE_MODELS:
        generations.model_changed(label)


logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "strategy.unsubscribe"

# On every e-mail of the product: it is written by the site, so vacation responders and
# the like do not answer it (RFC 3834).
PRODUCT_HEADERS = {"Auto-Submitted": "auto-generated"}


def language_of(user: User | None, *, default: str = "") -> str:
    """The language of the person's e-mail: the one they chose, if the site has it;
    otherwise `default`, or the site's."""
    codes = {code for code, _name in settings.LANGUAGES}
    if user is not None and user.language in codes:
        return user.language
    return default if default in codes else settings.LANGUAGE_CODE


def render_text(template: str, context: dict) -> str:
    """A plain-text template rendered as text: nothing HTML-escaped. The subject and text
    of an e-mail are stored as written and escaped once, where a page or an HTML e-mail
    shows them; escaping here too showed readers `&lt;` for `<`."""
    return get_template(template).template.render(Context(context, autoescape=False))


def email_text(
    *, template: str, context: dict, language: str, recipient: User | None = None
) -> tuple[str, str]:
    """The subject and text of an e-mail, from `<template>_subject.txt` and
    `<template>.txt` in `language` (the templates see the recipient too)."""
    with translation.override(language):
        context = {**context, "recipient": recipient, "site_url": settings.SITE_URL}
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        body = render_text(f"{template}.txt", context).strip()
    return subject, body


def emails_record(rows: list[Notice]) -> list[Notice]:
    """Record many e-mails in the ledger at once: `rows` are unsaved, their subject and
    text composed (email_text). A key recorded before (or by another transaction
    meanwhile) is left as it was. Returns the rows recorded now, with their ids, in one
    statement however many; the pending ones are sent once the transaction commits."""
    if not rows:
        return []
    stored = _insert_new(rows)
    notices_changed()
    made = []
    for row in rows:
        if row.key in stored:
            row.pk = stored.pop(row.key)
            row._state.adding, row._state.db = False, Notice.objects.db
            made.append(row)
    made.sort(key=lambda row: row.pk)
    notices_queue([notice.pk for notice in made if notice.state == Notice.State.PENDING])
    return made


# Every column of a ledger row but its id, as rows are recorded (_insert_new).
_RECORDED = [field for field in Notice._meta.concrete_fields if not field.primary_key]


def _insert_new(rows: list[Notice]) -> dict[str, int]:
    """Insert the rows whose key is new, in one statement: a column of values for each
    field, unnested into rows (the cost of recording thousands is writing them, not
    preparing each value apart); a key already recorded is skipped (ON CONFLICT DO
    NOTHING). Returns the id of each row inserted, by key."""
    if database.vendor != "postgresql":
        return _insert_new_portably(rows)
    now = timezone.now()
    columns, casts, values = [], [], []
    for field in _RECORDED:
        if getattr(field, "auto_now_add", False):
            for row in rows:
                setattr(row, field.attname, now)
        column = [getattr(row, field.attname) for row in rows]
        if field.get_internal_type() in ("CharField", "TextField", "EmailField"):
            column = [None if value is None else str(value) for value in column]
        columns.append(database.ops.quote_name(field.column))
        casts.append(f"%s::{field.db_type(database)}[]")
        values.append(column)
    table = database.ops.quote_name(Notice._meta.db_table)
    with database.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT * FROM unnest({', '.join(casts)}) "
            'ON CONFLICT ("key") DO NOTHING RETURNING "key", "id"',
            values,
        )
        return dict(cursor.fetchall())


def _insert_new_portably(rows: list[Notice]) -> dict[str, int]:
    """_insert_new on the embedded default's SQLite, which has no arrays to unnest: the keys
    recorded before are read, the others inserted, and their ids read back by key."""
    keys = [row.key for row in rows]
    before = set(Notice.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = [row for row in rows if row.key not in before]
    if not fresh:
        return {}
    with transaction.atomic():
        Notice.objects.bulk_create(fresh, ignore_conflicts=True)
    return dict(Notice.objects.filter(key__in=[row.key for row in fresh]).values_list("key", "id"))


def notices_queue(notice_ids: list[int], *, countdown: float = 0) -> None:
    """Queue the sending of these e-mails of the ledger, once the transaction commits, in
    batches of NOTICE_SEND_BATCH (one task each: notices_deliver)."""
    from .tasks import notices_send

    size = settings.NOTICE_SEND_BATCH
    for start in range(0, len(notice_ids), size):
        batch = notice_ids[start : start + size]
        if countdown:
            transaction.on_commit(lambda batch=batch: _queue_later(notices_send, batch, countdown))
        else:
            notices_send.delay_on_commit(batch)


def _queue_later(task, notice_ids: list[int], countdown: float) -> None:
    try:
        task.apply_async(args=[notice_ids], countdown=countdown)
    except Exception as error:  # the broker is down: the sweep queues them instead
        logger.warning("E-mails not queued again, left to the sweep: %s", error)


def email_record(
    *,
    key: str,
    kind: str,
    template: str,
    context: dict,
    language: str,
    recipient: User | None = None,
    email: str = "",
    topic: str = "",
    url: str = "",
    state: str = Notice.State.PENDING,
    fields: dict | None = None,
) -> tuple[Notice, bool]:
    """Record one e-mail in the ledger under `key`, to a person (`recipient`) or to an
    address with no account (`email`), its subject and text composed now from
    `<template>_subject.txt` and `<template>.txt` in `language` (the templates see the
    recipient and translated content too); `fields` are other columns of the row (what
    it is about, how it is gathered with others). A pending one is sent once the transaction
    commits. Returns the row and whether it was recorded now; a key recorded before is
    returned as it is, and nothing is sent again."""
    existing = Notice.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    subject, body = email_text(
        template=template, context=context, language=language, recipient=recipient
    )
    with transaction.atomic():
        notice, created = Notice.objects.get_or_create(
            key=key,
            defaults={
                "recipient": recipient,
                "email": email,
                "topic": topic,
                "kind": kind,
                "subject": subject,
                "body": body,
                "url": url,
                "state": state,
                "language": language,
                **(fields or {}),
            },
        )
    if created and notice.state == Notice.State.PENDING:
        from .tasks import notice_send

        notice_send.delay_on_commit(notice.pk)
    return notice, created


def notice_cancel(*, notice_id: int) -> bool:
    """Stop an e-mail that surely has not left (queued, or failed): it is never sent, nor
    queued again. One being sent, sent or in doubt stays as it is. Returns whether it was
    stopped."""
    stopped = Notice.objects.filter(
        pk=notice_id, state__in=[Notice.State.PENDING, Notice.State.FAILED]
    ).update(state=Notice.State.CANCELLED)
    notices_changed()
    return bool(stopped)


@transaction.atomic
def notices_send_again(*, notices: QuerySet[Notice]) -> int:
    """Queue again the failed or in-doubt ones among `notices` (for an in-doubt one, once
    a person checked that it did not arrive: it keeps its Message-ID, so a server that has
    it already may drop the second copy). Returns how many are queued."""
    ids = list(
        notices.filter(state__in=[Notice.State.FAILED, Notice.State.IN_DOUBT]).values_list(
            "pk", flat=True
        )
    )
    Notice.objects.filter(pk__in=ids).update(state=Notice.State.PENDING, attempts=0)
    notices_queue(ids)
    return len(ids)


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


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(notice: Notice) -> str:
    """The same Message-ID on every attempt at one e-mail (RFC 5322 3.6.4), made from its
    key and the site's domain. The key is hashed: it holds characters a Message-ID may
    not, and need not be shown to mail servers."""
    digest = hashlib.sha256(notice.key.encode()).hexdigest()[:40]
    return f"<notice.{digest}@{_domain()}>"


def email_compose(notice: Notice) -> EmailMultiAlternatives:
    """The message for one ledger row, in its language: the recorded subject and text in
    the layout of `notices/email.txt` and `notices/email.html`, with the product's headers.
    A person's notice says why they receive it and carries the link that stops its topic
    (also as List-Unsubscribe, for one-click unsubscribing, RFC 8058). An e-mail to an
    address with no account (an invitation) was asked for once, by the core team, for that
    address: there is no subscription to stop, so it carries no such link.

    The layout is rendered once per language, topic and shape (with or without a link,
    to a person or not: _layout) and each message fills it in, as the templates would."""
    recipient = notice.recipient
    language = notice.language or language_of(recipient)
    link = settings.SITE_URL + notice.url if notice.url.startswith("/") else notice.url
    topic = (notice.topic or Topic.REVIEWS) if recipient is not None else None
    layout = _layout(language, topic, bool(link))
    headers = {**PRODUCT_HEADERS, "X-Notice-Key": notice.key, "Message-ID": message_id(notice)}
    values = {"subject": notice.subject, "body": notice.body, "link": link, "unsubscribe": ""}
    if recipient is not None:
        token = unsubscribe_token(user=recipient, topic=topic)
        unsubscribe = layout.unsubscribe_before + token + layout.unsubscribe_after
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        values["unsubscribe"] = unsubscribe
    message = EmailMultiAlternatives(
        notice.subject, layout.fill_text(values), to=[notice.address], headers=headers
    )
    message.attach_alternative(layout.fill_html(values), "text/html")
    return message


# Stand-ins for a message's own values in a rendered layout: letters only, so that neither
# escaping nor linebreaksbr changes them, and filled in one pass (a value that happens to
# hold such a word is not filled in again).
_MARK = "NoticeLayoutMark{}Q9z"
_MARKS = re.compile(_MARK.format("(Subject|Body|Link|Unsubscribe)"))
_TOKEN_MARK = "NoticeLayoutTokenQ9z"


class _Layout:
    """`notices/email.txt` and `notices/email.html` rendered once for one language, topic
    and shape, with marks where each message's values go."""

    def __init__(self, *, text: str, html: str, unsubscribe: str):
        self.text, self.html = text, html
        self.unsubscribe_before, _, self.unsubscribe_after = unsubscribe.partition(_TOKEN_MARK)

    def fill_text(self, values: dict) -> str:
        # The text layout is rendered with autoescape off: values go in as they are.
        return _MARKS.sub(lambda match: values[match[1].lower()], self.text)

    def fill_html(self, values: dict) -> str:
        def value(match) -> str:
            name = match[1].lower()
            if name == "body":
                return linebreaksbr(values["body"], autoescape=True)
            return conditional_escape(values[name])

        return _MARKS.sub(value, self.html)


@lru_cache(maxsize=256)
def _layout(language: str, topic: str | None, has_link: bool) -> _Layout:
    """The layout of a message in `language` with a link or not, to a person (`topic`, the
    one its link stops) or to an address (None). The templates and URLs do not change
    while the process runs; a new deploy starts new workers."""
    mark = _MARK.format
    stand_in = Notice(subject=mark("Subject"), body=mark("Body"))
    with translation.override(language):
        context = {"notice": stand_in, "link": mark("Link") if has_link else ""}
        unsubscribe = ""
        if topic is not None:
            unsubscribe = settings.SITE_URL + reverse("notices:unsubscribe", args=[_TOKEN_MARK])
            context |= {
                "unsubscribe": mark("Unsubscribe"),
                "preferences": settings.SITE_URL + reverse("notices:preferences"),
                "topic": Topic(topic).label,
            }
        text = render_to_string("notices/email.txt", context)
        html = render_to_string("notices/email.html", context)
    return _Layout(text=text, html=html, unsubscribe=unsubscribe)


class SendFailed(Exception):
    """The e-mail did not leave; it is queued again for a retry."""


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


def email_send_at_most_once(message: EmailMessage) -> None:
    """Send `message` on a connection of its own. Raises the error itself when the message
    surely did not leave (no connection, the server's refusal): it may be tried again.
    Raises MaybeSent when it may have reached the server: sending it again could make a
    second copy. Every e-mail the product sends goes through here."""
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


def email_send_now(message: EmailMessage, *, kind: str) -> None:
    """Send an e-mail that is not recorded (an account e-mail, see above) at once, with
    the product's headers and a Message-ID of the site's domain. Raises as
    email_send_at_most_once does: the person who asked for it sees that it failed."""
    message.extra_headers = {
        **PRODUCT_HEADERS,
        "Message-ID": make_msgid(domain=_domain()),
        **message.extra_headers,
    }
    try:
        email_send_at_most_once(message)
    except Exception as error:
        logger.warning("E-mail %s not sent, or in doubt: %s", kind, _error_text(error))
        raise
    logger.info("E-mail %s sent", kind)


def _not_sent(notice: Notice, error: Exception) -> str:
    final = notice.attempts >= settings.NOTICE_MAX_ATTEMPTS or isinstance(error, ValueError)
    Notice.objects.filter(pk=notice.pk).update(
        state=Notice.State.FAILED if final else Notice.State.PENDING,
        last_error=_error_text(error),
    )
    if final:
        logger.error("E-mail %s (%s) failed: %s", notice.pk, notice.kind, _error_text(error))
        return "failed"
    logger.warning("E-mail %s (%s) not sent, tried again later: %s", notice.pk, notice.kind, error)
    raise SendFailed(str(error)) from error


def notice_deliver(notice_id: int) -> str:
    """Send one queued e-mail of the ledger, at most once. Returns what happened: sent,
    skipped (not queued: sent already, being sent by another worker, or cancelled), failed
    (no more attempts), or in_doubt (it may have reached the server; left for a person,
    never retried). Raises SendFailed when the message surely did not leave and will be
    tried again. Run it with EMAIL_TIMEOUT well under the task's soft time limit. The log
    names the row and its kind, never the address."""
    claimed = Notice.objects.filter(pk=notice_id, state=Notice.State.PENDING).update(
        state=Notice.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    try:
        if not notice.address:
            raise ValueError("the recipient has no e-mail address")
        email_send_at_most_once(email_compose(notice))
    except MaybeSent as error:
        Notice.objects.filter(pk=notice_id).update(
            state=Notice.State.IN_DOUBT, last_error=f"{IN_DOUBT_NOTE} ({error})"
        )
        logger.error("E-mail %s (%s) in doubt: %s", notice_id, notice.kind, error)
        return "in_doubt"
    except Exception as error:
        return _not_sent(notice, error)
    Notice.objects.filter(pk=notice_id).update(state=Notice.State.SENT, sent_at=timezone.now())
    logger.info("E-mail %s (%s) sent", notice_id, notice.kind)
    return "sent"


def _retry_after(attempts: int) -> int:
    """Seconds before another attempt at an e-mail tried `attempts` times (as notice_send
    backs off: 30 s, doubling, at most an hour)."""
    return min(30 * 2 ** max(attempts - 1, 0), 3600)


_COMPOSED_FROM = ("key", "recipient", "email", "topic", "kind", "subject", "body", "url")
_COMPOSED_FROM += ("language", "attempts")


def _claim(notice_ids: list[int], *, now=None) -> list[int]:
    """Claim the queued ones among these rows for sending, in one statement, as
    notice_deliver claims one: a row another worker claims at the same moment is claimed
    by one of the two only (the second finds it no longer queued). Every row claimed carries
    `now` (or the time) as its claim's time. Returns the ids claimed."""
    now = now or timezone.now()
    if database.vendor != "postgresql":
        return _claim_portably(notice_ids, now=now)
    with database.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Notice._meta.db_table} SET state = %s, claimed_at = %s, "  # noqa: S608
            "attempts = attempts + 1 WHERE id = ANY(%s) AND state = %s RETURNING id",
            [Notice.State.SENDING, now, list(notice_ids), Notice.State.PENDING],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _claim_portably(notice_ids: list[int], *, now) -> list[int]:
    """_claim on the embedded default's SQLite (no arrays, no RETURNING from Django): the
    claim marks its rows with its own time, then reads them back, in one transaction, which
    holds SQLite's one write lock from the update on."""
    with transaction.atomic():
        Notice.objects.filter(pk__in=notice_ids, state=Notice.State.PENDING).update(
            state=Notice.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        return sorted(
            Notice.objects.filter(
                pk__in=notice_ids, state=Notice.State.SENDING, claimed_at=now
            ).values_list("pk", flat=True)
        )


class _Outcomes:
    """What a batch found, waiting to be written to the ledger (flush): at the end of the
    batch while Redis keeps each message's mark, after each message once it does not."""

    def __init__(self, claimed: list[int]):
        self.claimed = claimed
        self.sent: list[int] = []
        self.in_doubt: dict[str, list[int]] = {}
        self.not_sent: list[tuple[Notice, Exception]] = []
        # Rows handed back to the queue when the marks failed (_Batch.without_marks).
        self.released: set[int] = set()
        self.counts = {"sent": 0, "in_doubt": 0, "failed": 0, "queued_again": 0}

    def done(self) -> set[int]:
        return (
            set(self.sent)
            | {pk for pks in self.in_doubt.values() for pk in pks}
            | {notice.pk for notice, _error in self.not_sent}
        )

    def flush(self, *, reached: set[int]) -> None:
        """Record what is known (a statement for each kind of outcome; none when nothing
        happened), and forget it."""
        if self.sent:
            Notice.objects.filter(pk__in=self.sent).update(
                state=Notice.State.SENT, sent_at=timezone.now()
            )
        for note, pks in self.in_doubt.items():
            Notice.objects.filter(pk__in=pks).update(state=Notice.State.IN_DOUBT, last_error=note)
        failed = _not_sent_many(self.not_sent)
        self.counts["sent"] += len(self.sent)
        self.counts["in_doubt"] += sum(len(pks) for pks in self.in_doubt.values())
        self.counts["failed"] += failed
        self.counts["queued_again"] += len(self.not_sent) - failed
        reached.update(self.done())
        self.sent, self.in_doubt, self.not_sent = [], {}, []


def _release(notice_ids: list[int]) -> None:
    """Hand back to the queue claimed rows never handed to the server, this attempt not
    counted."""
    if notice_ids:
        Notice.objects.filter(pk__in=notice_ids, state=Notice.State.SENDING).update(
            state=Notice.State.PENDING, attempts=F("attempts") - 1
        )


def notices_deliver(notice_ids: list[int]) -> dict[str, int]:
    """Send a batch of queued e-mails of the ledger over one connection to the mail
    server, each at most once, in a few queries however many they are: the batch is
    claimed at once (rows another worker holds are left to it), read at once, and its
    outcome written at once. Each row still has its own outcome, as notice_deliver gives
    it: sent; skipped (not queued); failed (no more attempts, or no address); in doubt (its
    send was cut off after it may have reached the server: left for a person, never
    retried); or, when it surely did not leave, queued again to be tried later. Should the
    send stop part-way (the task's time limit), the rows it did not reach are queued
    again.

    Meanwhile each message's progress is marked in Redis (strategy/send_marks.py), so
    that should the worker die, the sweep (notices_stuck) records what it had sent as
    sent, queues again what it had not reached, and leaves in doubt only the one message
    in flight: none is sent twice. Should Redis fail, the rows not yet sent go back to the
    queue and the batch goes on one row at a time, each claimed and recorded in the
    database as notice_deliver does (two statements each): nothing is lost, and a worker
    dying then leaves at most that row in doubt too. Returns how many had each outcome.
    The log names the rows and their kind, never the addresses."""
    claimed_at = timezone.now()
    claimed = _claim(notice_ids, now=claimed_at)
    outcome = {"sent": 0, "skipped": len(notice_ids) - len(claimed), "failed": 0, "in_doubt": 0}
    outcome["queued_again"] = 0
    if not claimed:
        return outcome
    notices = list(
        Notice.objects.filter(pk__in=claimed)
        .select_related("recipient")
        # What composing a message reads (email_compose): not the whole account.
        .only(*_COMPOSED_FROM, "recipient__email", "recipient__language")
        .order_by("pk")
    )
    marks = send_marks.BatchMarks(claimed_at=claimed_at, notice_ids=claimed)
    marked = marks.begin()
    unwritten: dict[int, str] = {}
    found = _Outcomes(claimed)
    reached: set[int] = set()
    connection = None

    def without_marks(index: int) -> None:
        # Redis failed: what is known goes to the database now, and the rows not yet
        # handed over go back to the queue, each claimed again alone before it is sent.
        nonlocal marked
        marked = False
        found.flush(reached=reached)
        rest = [notice.pk for notice in notices[index:]]
        _release(rest)
        found.released.update(rest)

    def claim_again(notice: Notice) -> bool:
        # A row handed back, claimed alone; another worker may have it by now.
        found.released.discard(notice.pk)
        if _claim_one(notice):
            return True
        reached.add(notice.pk)
        outcome["skipped"] += 1
        return False

    if not marked:
        without_marks(0)
    try:
        for index, notice in enumerate(notices):
            if not marked and not claim_again(notice):
                continue
            if marked:
                # The mark before the send, answered while the message is composed: what
                # Redis does not hold as "sending" surely did not leave.
                unwritten[notice.pk] = send_marks.SENDING
                if marks.post(unwritten):
                    unwritten = {}
                else:
                    without_marks(index)
                    if not claim_again(notice):
                        continue
            try:
                if not notice.address:
                    raise ValueError("the recipient has no e-mail address")
                message = email_compose(notice)
            except Exception as error:
                found.not_sent.append((notice, error))
                unwritten[notice.pk] = send_marks.UNSENT
                if isinstance(error, SoftTimeLimitExceeded):
                    raise
                continue
            if connection is None:
                try:
                    # Connecting apart from sending: whatever fails here, nothing has left,
                    # of this one nor of the rest.
                    connection = get_connection()
                    connection.open()
                except Exception as error:
                    connection = None
                    found.not_sent.extend((rest, error) for rest in notices[index:])
                    if not marked:
                        # Handed back and not claimed again: this one alone is held.
                        found.not_sent = [(notice, error)]
                    break
            if marked and not marks.confirm():
                without_marks(index)
                if not claim_again(notice):
                    continue
            try:
                connection.send_messages([message])
            except NOT_SENT as error:
                found.not_sent.append((notice, error))
                unwritten[notice.pk] = send_marks.UNSENT
            except Exception as error:
                # It may have reached the server; the connection is no longer trusted.
                note = f"{IN_DOUBT_NOTE} ({_error_text(error)})"
                found.in_doubt.setdefault(note, []).append(notice.pk)
                unwritten[notice.pk] = send_marks.IN_DOUBT
                logger.error("E-mail %s (%s) in doubt: %s", notice.pk, notice.kind, error)
                with suppress(Exception):
                    connection.close()
                connection = None
                if isinstance(error, SoftTimeLimitExceeded):
                    raise
            else:
                found.sent.append(notice.pk)
                unwritten[notice.pk] = send_marks.SENT
            if not marked:
                found.flush(reached=reached)
    except SoftTimeLimitExceeded:
        logger.warning("A batch of e-mails stopped at its time limit; the rest is queued again")
    finally:
        if connection is not None:
            # The outcome is known by now; a failure to say goodbye changes nothing.
            with suppress(Exception):
                connection.close()
        if marked and unwritten:
            # Should the worker die before the outcome below is written.
            marks.write(unwritten)
        found.flush(reached=reached)
        unreached = [pk for pk in claimed if pk not in reached and pk not in found.released]
        # Never handed to the server: queued again, this attempt not counted.
        _release(unreached)
        waiting = unreached + sorted(found.released)
        if waiting:
            notices_queue(waiting, countdown=_retry_after(1))
        if marked:
            marks.end()
        outcome |= found.counts
        outcome["queued_again"] += len(waiting)
    logger.info("E-mails sent in a batch: %s", outcome)
    return outcome


def _claim_one(notice: Notice) -> bool:
    """Claim one row handed back to the queue, as notice_deliver does; False when another
    worker has it by now."""
    return bool(
        Notice.objects.filter(pk=notice.pk, state=Notice.State.PENDING).update(
            state=Notice.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def _not_sent_many(not_sent: list[tuple[Notice, Exception]]) -> int:
    """Record the e-mails of a batch that surely did not leave: failed, when they had
    their last attempt (or cannot be sent at all), else queued again after a pause, as
    notice_send backs off. A query for each kind of outcome (most batches have none).
    Returns how many failed."""
    together: dict[tuple[bool, str, int], list[Notice]] = {}
    for notice, error in not_sent:
        final = notice.attempts >= settings.NOTICE_MAX_ATTEMPTS or isinstance(error, ValueError)
        together.setdefault((final, _error_text(error), notice.attempts), []).append(notice)
    failed = 0
    for (final, error, attempts), notices in together.items():
        ids = [notice.pk for notice in notices]
        Notice.objects.filter(pk__in=ids).update(
            state=Notice.State.FAILED if final else Notice.State.PENDING, last_error=error
        )
        for notice in notices:
            if final:
                logger.error("E-mail %s (%s) failed: %s", notice.pk, notice.kind, error)
            else:
                logger.warning(
                    "E-mail %s (%s) not sent, tried again later: %s", notice.pk, notice.kind, error
                )
        if final:
            failed += len(ids)
        else:
            notices_queue(ids, countdown=_retry_after(attempts))
    return failed


# What the sweep holds stuck: waiting to be sent for longer than a worker takes to pick a
# task up (the broker may never have had it), or claimed for longer than any send lasts
# (the worker died half-way).
WAITING_STUCK_AFTER = timedelta(minutes=2)
SENDING_STUCK_AFTER = timedelta(minutes=10)
INTERRUPTED_NOTE = (
    "Interrupted while sending: it may or may not have left. Check with the recipient "
    "before sending it again."
)


def notices_stuck(*, now=None) -> tuple[list[int], int]:
    """Queued e-mails no worker picked up (to queue again), and how many sends were
    interrupted half-way (left in doubt for a person to check). Of a batch whose worker
    died, the marks it left in Redis (strategy/send_marks.py) say which rows it sent
    (recorded sent, at the time of the claim: the batch's time limit bounds the error),
    which it never handed over or surely did not (queued again, here); only the rest is in
    doubt, at most the one in flight, or all of them when the marks are gone."""
    now = now or timezone.now()
    stuck = list(
        Notice.objects.filter(
            state=Notice.State.SENDING, claimed_at__lt=now - SENDING_STUCK_AFTER
        ).values_list("pk", "claimed_at")
    )
    marks = send_marks.marks_read(stuck)
    by_mark: dict[str, list[int]] = {}
    for notice_id, _claimed_at in stuck:
        by_mark.setdefault(marks.get(notice_id, send_marks.SENDING), []).append(notice_id)
    still = Notice.objects.filter(state=Notice.State.SENDING)
    still.filter(pk__in=by_mark.get(send_marks.SENT, [])).update(
        state=Notice.State.SENT, sent_at=F("claimed_at")
    )
    still.filter(pk__in=by_mark.get(send_marks.UNSENT, [])).update(state=Notice.State.PENDING)
    _release(by_mark.get(send_marks.CLAIMED, []))
    doubtful = by_mark.get(send_marks.SENDING, []) + by_mark.get(send_marks.IN_DOUBT, [])
    interrupted = still.filter(pk__in=doubtful).update(
        state=Notice.State.IN_DOUBT, last_error=INTERRUPTED_NOTE
    )
    recovered = len(stuck) - len(doubtful)
    if recovered:
        logger.warning("%s e-mails of interrupted batches recorded from their marks", recovered)
    if interrupted:
        logger.error("%s e-mails interrupted while sending, left in doubt", interrupted)
    waiting = list(
        Notice.objects.filter(
            state=Notice.State.PENDING, created_at__lt=now - WAITING_STUCK_AFTER
        ).values_list("pk", flat=True)[:5000]
    )
    return waiting, interrupted
