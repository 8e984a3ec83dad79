import pytest
from django.core import mail
from django.urls import reverse

from strategy import notices
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
    assert notices.notice_deliver(first.pk) == "skipped"
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
    with pytest.raises(notices.SendFailed):
        notices.notice_deliver(notice.pk)
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("pending", 1)
    assert "Connection refused" in notice.last_error
    assert notices.notice_deliver(notice.pk) == "failed"
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
    waiting, interrupted = notices.notices_stuck()
    assert waiting == [forgotten.pk]
    assert interrupted == 1
    stuck.refresh_from_db()
    assert stuck.state == "failed"
    assert "may or may not have left" in stuck.last_error


def test_unsubscribe_link_works_without_signing_in(client, user):
    token = notices.unsubscribe_token(user=user, topic=Topic.REVIEWS)
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
    token = notices.unsubscribe_token(user=user, topic=Topic.MILESTONES)
    response = client.post(
        reverse("notices:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert notices.delivery_for(user=user, topic=Topic.MILESTONES) == Delivery.OFF


def test_a_forged_unsubscribe_link_changes_nothing(client, user):
    token = notices.unsubscribe_token(user=user, topic=Topic.REVIEWS)
    response = client.post(reverse("notices:unsubscribe", args=[token[:-3] + "abc"]))
    assert response.status_code == 404
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.IMMEDIATE


def test_in_app_list_unread_count_and_mark_read(client, user):
    first, second = make(user, key="one"), make(user, key="two")
    client.force_login(user)
    html = client.get(reverse("notices:list")).content.decode()
    assert 'class="badge" aria-label="2 unread">2<' in html
    response = client.post(reverse("notices:open", args=[first.pk]))
    assert response["Location"] == "/timeline/"
    first.refresh_from_db()
    assert first.read_at is not None
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
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "arz"
    assert notices.delivery_for(user=user, topic=Topic.REVIEWS) == Delivery.DIGEST
    assert notices.delivery_for(user=user, topic=Topic.MILESTONES) == Delivery.OFF


def test_the_outbox_is_empty_between_tests():
    assert mail.outbox == []
