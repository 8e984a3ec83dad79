import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse

from strategy import mailer, notices
from strategy.models import Delivery, Notice, Topic

pytestmark = pytest.mark.django_db


def make(recipient, key="test:1", capture=None):
    return notices.notice_create(
        key=key,
        recipient=recipient,
        topic=Topic.MILESTONES,
        kind="milestone.soon",
        template="timeline/notices/milestone_today",
        context={
            "milestone": {"title": "Harmonization Sprint", "description": ""},
            "group": {"name": "Advocacy"},
        },
        url="/timeline/",
    )


def test_a_notice_is_recorded_once_and_sent_once(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make(user)
        again = make(user)
    assert first is not None
    assert again is None
    assert Notice.objects.count() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Today: Harmonization Sprint"
    assert "Today, for Advocacy: Harmonization Sprint." in message.body
    assert "/notifications/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.alternatives[0][1] == "text/html"
    first.refresh_from_db()
    assert (first.state, first.attempts) == ("sent", 1)
    assert mailer.notice_deliver(first.pk) == "skipped"
    assert len(mailoutbox) == 1


def test_notices_are_written_in_the_recipient_language(
    user_factory, mailoutbox, django_capture_on_commit_callbacks
):
    person = user_factory(language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        make(person)
    assert mailoutbox[0].subject == "今天:Harmonization Sprint"
    assert "今天,Advocacy:Harmonization Sprint。" in mailoutbox[0].body
    assert "/zh-hans/notifications/unsubscribe/" in mailoutbox[0].body
    html = mailoutbox[0].alternatives[0][0]
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert "<title>今天:Harmonization Sprint</title>" in html


@pytest.mark.parametrize(
    ("delivery", "state", "sent"),
    [
        (Delivery.IMMEDIATE, "sent", 1),
        (Delivery.DIGEST, "digest", 0),
        (Delivery.OFF, "off", 0),
    ],
)
def test_preferences_decide_how_a_notice_travels(
    user, mailoutbox, delivery, state, sent, django_capture_on_commit_callbacks
):
    notices.preference_set(user=user, topic=Topic.MILESTONES, delivery=delivery)
    with django_capture_on_commit_callbacks(execute=True):
        notice = make(user)
    notice.refresh_from_db()
    assert notice.state == state
    assert len(mailoutbox) == sent


def test_the_daily_digest_gathers_waiting_notices_once(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import date

    notices.preference_set(user=user, topic=Topic.MILESTONES, delivery=Delivery.DIGEST)
    make(user, key="a")
    make(user, key="b")
    with django_capture_on_commit_callbacks(execute=True):
        digest = notices.digest_create(user=user, day=date(2030, 1, 1))
        assert notices.digest_create(user=user, day=date(2030, 1, 1)) is None
    assert digest.included.count() == 2
    assert set(Notice.objects.filter(kind="milestone.soon").values_list("state", flat=True)) == {
        "digested"
    }
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Your daily digest: 2 notices"
    assert mailoutbox[0].body.count("Today: Harmonization Sprint") == 2


def test_a_failing_send_is_retried_then_left_failed_for_the_core_team(user, settings):
    settings.EMAIL_BACKEND = "tests.strategy.failing_email.Backend"
    settings.NOTICE_MAX_ATTEMPTS = 2
    notice = make(user)
    with pytest.raises(mailer.SendFailed):
        mailer.notice_deliver(notice.pk)
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("pending", 1)
    assert "Connection refused" in notice.last_error
    assert mailer.notice_deliver(notice.pk) == "failed"
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("failed", 2)


def test_the_sweep_flags_interrupted_sends_and_requeues_forgotten_ones(user):
    from datetime import timedelta

    from django.utils import timezone

    stuck = make(user, key="stuck")
    forgotten = make(user, key="forgotten")
    old = timezone.now() - timedelta(hours=1)
    Notice.objects.filter(pk=stuck.pk).update(state="sending", claimed_at=old)
    Notice.objects.filter(pk=forgotten.pk).update(created_at=old)
    waiting, interrupted = mailer.notices_stuck()
    assert waiting == [forgotten.pk]
    assert interrupted == 1
    stuck.refresh_from_db()
    assert stuck.state == "in_doubt"
    assert "may or may not have left" in stuck.last_error


def test_unsubscribe_link_works_without_signing_in(client, user):
    token = mailer.unsubscribe_token(user=user, topic=Topic.REVIEWS)
    url = reverse("notices:unsubscribe", args=[token])
    page = client.get(url)
    assert "Stop e-mail for “Review reminders”" in page.content.decode()
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.IMMEDIATE
    done = client.post(url)
    assert "you will no longer receive e-mail" in done.content.decode()
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.OFF
    assert notices.delivery_for(user=user, topic=Topic.MILESTONES) == Delivery.IMMEDIATE


def test_mail_programs_one_click_post_without_a_csrf_token(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    token = mailer.unsubscribe_token(user=user, topic=Topic.MILESTONES)
    response = client.post(
        reverse("notices:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert notices.delivery_for(user=user, topic=Topic.MILESTONES) == Delivery.OFF


def test_a_forged_unsubscribe_link_changes_nothing(client, user):
    token = mailer.unsubscribe_token(user=user, topic=Topic.REVIEWS)
    response = client.post(reverse("notices:unsubscribe", args=[token[:-3] + "abc"]))
    assert response.status_code == 404
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.IMMEDIATE


def test_in_app_list_unread_count_and_mark_read(client, user, django_capture_on_commit_callbacks):
    first, second = make(user, key="one"), make(user, key="two")
    client.force_login(user)
    html = client.get(reverse("notices:list")).content.decode()
    assert 'class="badge" aria-label="2 unread">2<' in html
    assert html.count('<li class="notice-item unread">') == 2
    # One form carries the token; each notice's button posts it to that notice.
    # (and the header's signing out, and "mark all as read")
    assert html.count('name="csrfmiddlewaretoken"') == 3
    opens = f'form="notice-open" formaction="{reverse("notices:open", args=[first.pk])}"'
    assert opens in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notices:open", args=[first.pk]))
    assert response["Location"] == "/timeline/"
    first.refresh_from_db()
    assert first.read_at is not None
    # The list, whose items are kept (strategy/views/notices.py), and the count, kept too
    # (strategy/notices.py), say it at once.
    html = client.get(reverse("notices:list")).content.decode()
    assert html.count('<li class="notice-item unread">') == 1
    assert html.count('<li class="notice-item">') == 1
    assert 'class="badge" aria-label="1 unread">1<' in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notices:read_all"))
    second.refresh_from_db()
    assert second.read_at is not None
    assert 'class="badge"' not in client.get(reverse("notices:list")).content.decode()


def test_someone_else_notice_is_not_found(client, user, user_factory):
    notice = make(user_factory())
    client.force_login(user)
    assert client.post(reverse("notices:open", args=[notice.pk])).status_code == 404


def test_preferences_form_saves_each_topic_and_the_language(client, user):
    client.force_login(user)
    response = client.post(
        reverse("notices:preferences"),
        {
            "language": "arz",
            "reviews": "digest",
            "milestones": "off",
            "announcements": "immediate",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "arz"
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.DIGEST
    assert notices.delivery_for(user=user, topic=Topic.MILESTONES) == Delivery.OFF


def test_the_outbox_is_empty_between_tests():
    assert mail.outbox == []


def test_every_attempt_at_a_notice_carries_the_same_message_id(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    """The Message-ID comes from the notice's key and the site's domain, so a receiving
    server can drop a second copy; another notice has another one."""
    import re

    with django_capture_on_commit_callbacks(execute=True):
        notice = make(user, key="same-id")
        other = make(user, key="other-id")
    # Queued again by hand (the admin's "send again"), as after a send in doubt.
    Notice.objects.filter(pk=notice.pk).update(state="pending")
    assert mailer.notice_deliver(notice.pk) == "sent"
    ids = [m.message()["Message-ID"] for m in mailoutbox]
    assert len(ids) == 3
    assert ids[0] == ids[2] == mailer.message_id(notice)
    assert ids[1] == mailer.message_id(other) != ids[0]
    assert re.fullmatch(r"<notice\.[0-9a-f]{40}@testserver>", ids[0])


@pytest.mark.parametrize(
    "server", [{"delay": 2}, {"hang_up_after_data": True}], ids=["timeout", "hang-up"]
)
def test_a_send_cut_off_after_the_message_was_handed_over_is_left_in_doubt(user, settings, server):
    """A real SMTP server that takes the message, then answers after EMAIL_TIMEOUT or
    drops the connection: one copy arrives, the notice is in doubt, and it is not queued
    for a retry."""
    from tests.strategy.smtp_server import SlowSMTPServer

    notice = make(user, key="cut-off")
    with SlowSMTPServer(**server) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            server.port,
            1,
        )
        assert mailer.notice_deliver(notice.pk) == "in_doubt"
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("in_doubt", 1)
    assert "may or may not have left" in notice.last_error
    assert [m["X-Notice-Key"] for m in server.received] == ["cut-off"]
    assert mailer.notice_deliver(notice.pk) == "skipped"


def test_a_message_the_server_refused_is_retried(user, settings):
    """A refusal is an answer: the message did not leave, so it is tried again."""
    from tests.strategy.smtp_server import SlowSMTPServer

    notice = make(user, key="refused")
    with SlowSMTPServer(rcpt_reply="451 Try again later") as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        with pytest.raises(mailer.SendFailed):
            mailer.notice_deliver(notice.pk)
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("pending", 1)
    assert server.received == []


def test_subjects_are_escaped_once_where_they_are_shown(
    client, working_group, user_factory, mailoutbox, django_capture_on_commit_callbacks
):
    """A recommendation titled with `<script>` and `&`: the e-mail subject is the title as
    written, the notification list escapes it once."""
    from datetime import date

    from recommendations import services
    from tests.factories import review_version

    title = '<script>alert("x")</script> Health & Care'
    coordinator, reviewer = user_factory(), user_factory()
    version = review_version(working_group, coordinator, title=title)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_create(
            version=version, reviewer=reviewer, assigned_by=coordinator, due_on=date(2030, 1, 10)
        )
    notice = Notice.objects.get(recipient=reviewer)
    assert notice.subject.endswith(title)
    assert [m.subject for m in mailoutbox] == [notice.subject]
    client.force_login(reviewer)
    html = client.get(reverse("notices:list")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Health &amp; Care" in html
    assert "&amp;lt;" not in html
    assert "<script>alert" not in html


def test_an_unsubscribe_link_works_for_its_stated_time_then_asks_to_sign_in(client, user, settings):
    import time_machine

    settings.UNSUBSCRIBE_LINK_VALID_DAYS = 365
    with time_machine.travel("2030-01-01 09:00Z"):
        token = mailer.unsubscribe_token(user=user, topic=Topic.REVIEWS)
    url = reverse("notices:unsubscribe", args=[token])
    with time_machine.travel("2030-12-31 09:00Z"):
        assert client.get(url).status_code == 200
    with time_machine.travel("2031-01-02 09:00Z"):
        late = client.post(url)
    assert late.status_code == 410
    html = late.content.decode()
    assert "more than 365 days old" in html
    assert reverse("login") + "?next=" + reverse("notices:preferences") in html
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.IMMEDIATE


def test_an_invitation_subject_is_the_group_name_as_written(
    working_group_factory, mailoutbox, django_capture_on_commit_callbacks
):
    from groups import services as group_services

    group = working_group_factory(name="Health & Care <North>")
    with django_capture_on_commit_callbacks(execute=True):
        group_services.invitation_create(email="new@example.org", working_group=group)
    assert mailoutbox[0].subject == "You are invited to join Health & Care <North>"
    assert "Health &amp; Care &lt;North&gt;" in mailoutbox[0].alternatives[0][0]


def test_an_invitation_that_may_have_arrived_is_not_sent_again(working_group, settings):
    """The invitation e-mail is an e-mail of the ledger: cut off after the message was
    handed over, it is left in doubt and neither retried nor swept up again."""
    from datetime import timedelta

    from django.utils import timezone

    from groups import services as group_services
    from strategy.tasks import notice_send, notices_sweep
    from tests.strategy.smtp_server import SlowSMTPServer

    invitation = group_services.invitation_create(
        email="maybe@example.org", working_group=working_group
    )
    with SlowSMTPServer(delay=2) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            server.port,
            1,
        )
        assert notice_send(invitation.notice_id) == "in_doubt"
        assert notice_send(invitation.notice_id) == "skipped"
        # The sweep leaves it to a person too.
        day_ago = timezone.now() - timedelta(days=1)
        Notice.objects.filter(pk=invitation.notice_id).update(created_at=day_ago)
        assert notices_sweep() == 0
    assert [m["X-Notice-Key"] for m in server.received] == [invitation.notice.key]
    notice = Notice.objects.get(pk=invitation.notice_id)
    assert (notice.state, notice.attempts) == (Notice.State.IN_DOUBT, 1)
    assert notice.claimed_at is not None


def test_an_expired_unsubscribe_link_reads_nothing(client, user, django_assert_num_queries):
    """A link past its time is refused from its signature alone: no query for the person."""
    import time_machine

    with time_machine.travel("2030-01-01 09:00Z"):
        token = mailer.unsubscribe_token(user=user, topic=Topic.MILESTONES)
    with time_machine.travel("2032-01-01 09:00Z"), django_assert_num_queries(0):
        assert client.get(reverse("notices:unsubscribe", args=[token])).status_code == 410


def test_the_mail_server_times_out_well_before_the_send_task_does(settings):
    """EMAIL_TIMEOUT bounds each step of an SMTP conversation; several steps fit in the
    send task's soft time limit, so a slow server ends as a timeout, handled."""
    from strategy.tasks import notice_send

    assert notice_send.soft_time_limit >= settings.EMAIL_TIMEOUT * 4


class _FormInParagraph(HTMLParser):
    """Finds a <form> opened inside a <p>: a parser closes the <p> there, so the markup
    means something else than it says (and the validator flags it)."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.found = False

    def handle_starttag(self, tag, attrs):
        if tag == "form" and "p" in self.open:
            self.found = True
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


def test_the_notice_list_puts_no_form_inside_a_paragraph(client, user):
    """The probe: "Mark all as read" was a <form> inside <p class="actions">."""
    make(user, key="one")
    client.force_login(user)
    html = client.get(reverse("notices:list")).content.decode()
    assert "Mark all as read" in html
    parser = _FormInParagraph()
    parser.feed(html)
    assert not parser.found


def test_the_preferences_page_groups_the_topics_and_saves_the_new_ones(client, user):
    client.force_login(user)
    page = client.get(reverse("notices:preferences")).content.decode()
    headings = ["Reviews", "Discussions", "Community feedback", "Translations", "The process"]
    positions = [page.index(f">{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    assert page.index("Comments, replies and resolved threads") > positions[1]
    assert positions[1] < page.index("Mentions of me") < positions[2]
    assert page.index("Translations in my language gone stale") > positions[3]
    assert page.index("What I watch: published in an iteration") > positions[4]
    response = client.post(
        reverse("notices:preferences"),
        {
            "language": "zh-hans",
            "comments": "digest",
            "mentions": "off",
            "review_answers": "off",
            "feedback": "off",
            "translations": "digest",
            "watched": "off",
        },
    )
    assert response.status_code == 302
    chosen = {topic: notices.delivery_for(user=user, topic=topic) for topic in Topic}
    assert chosen == {
        Topic.REVIEWS: Delivery.IMMEDIATE,
        Topic.REVIEW_ANSWERS: Delivery.OFF,
        Topic.COMMENTS: Delivery.DIGEST,
        Topic.MENTIONS: Delivery.OFF,
        Topic.FEEDBACK: Delivery.OFF,
        Topic.TRANSLATIONS: Delivery.DIGEST,
        Topic.WATCHED: Delivery.OFF,
        Topic.MILESTONES: Delivery.IMMEDIATE,
        Topic.ANNOUNCEMENTS: Delivery.IMMEDIATE,
    }


def test_the_link_in_a_notice_of_a_new_topic_stops_that_topic_only(client, user):
    token = mailer.unsubscribe_token(user=user, topic=Topic.COMMENTS)
    response = client.post(reverse("notices:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert "Comments, replies and resolved threads" in response.content.decode()
    assert notices.delivery_for(user=user, topic=Topic.COMMENTS) == Delivery.OFF
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.IMMEDIATE


def test_the_notice_list_marks_each_notice_with_the_language_it_is_written_in(client, user_factory):
    """A notice is written in its recipient's language when it is made; the list, in
    whatever language the page is, says so, and gives an Egyptian Arabic notice its
    direction: in an English page "Rania Haddad خلّص مراجعة 1. Transparency" showed
    with its words out of order."""
    person = user_factory(language="arz")
    arabic = make(person, key="arz")
    person.language = "zh-hans"
    person.save(update_fields=["language"])
    chinese = make(person, key="zh")
    client.force_login(person)
    html = client.get(reverse("notices:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    written = {"arz": 'lang="arz" dir="rtl"', "zh-hans": 'lang="zh-hans" dir="ltr"'}
    for notice in (arabic, chinese):
        mark = written[notice.language]
        assert f"<span {mark}>{notice.subject}</span>" in html
        assert f"<p {mark}>" in html
    assert 'dir="auto"' not in html


def test_the_unread_count_is_kept_until_the_ledger_changes(
    client, user, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Kept for the person under the ledger's generation (strategy/mailer.py): each way a
    notice is made, read or withdrawn moves it, once it commits."""

    def unread():
        html = client.get(reverse("notices:preferences")).content.decode()
        found = re.search(r'class="badge" aria-label="(\d+) unread"', html)
        return int(found.group(1)) if found else 0

    def committed(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    client.force_login(user)
    committed(lambda: make(user, key="one"))
    assert unread() == 1
    with django_assert_num_queries(20, exact=False) as kept:
        assert unread() == 1
    assert not [q for q in kept.captured_queries if '"strategy_notice"' in q["sql"]]
    # Many at once, in one statement (mailer.emails_record), for the day's digest.
    notices.preference_set(user=user, topic=Topic.MILESTONES, delivery=Delivery.DIGEST)
    committed(
        lambda: notices.notices_create(
            items=[notices.NoticeFor(recipient=user, key=f"many:{index}") for index in range(2)],
            topic=Topic.MILESTONES,
            kind="milestone.soon",
            template="timeline/notices/milestone_today",
        )
    )
    assert unread() == 3
    # Withdrawn before it left, in bulk.
    assert committed(lambda: notices.notices_withdraw(key_prefix="many:")) == 2
    assert unread() == 1
    notice = Notice.objects.get(key="one")
    committed(lambda: client.post(reverse("notices:open", args=[notice.pk])))
    assert unread() == 0
