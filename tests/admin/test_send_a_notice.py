"""The admin's "send a notice now": an announcement through the notice ledger, under a
topic of its own, keyed by the token of the form the core team was shown."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from strategy import notices
from strategy.models import Delivery, Notice, Topic
from tests.factories import CoreTeamFactory

pytestmark = pytest.mark.django_db
URL = "admin:groups_workinggroup_changelist"


@pytest.fixture
def core(client):
    person = CoreTeamFactory()
    client.force_login(person)
    return person


def shown_token(client, group) -> str:
    """Choose the action in the list: the admin shows the form, with its one-time token."""
    page = client.post(
        reverse(URL), {"action": "send_notice", "_selected_action": [group.pk]}
    ).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def submit(client, group, token, **fields):
    return client.post(
        reverse(URL),
        {
            "action": "send_notice",
            "confirm": "1",
            "_selected_action": [group.pk],
            "subject": "Call on Thursday",
            "message": "At 14:00 UTC.",
            "token": token,
            **fields,
        },
        follow=True,
    )


def test_a_double_submit_sends_the_announcement_once(
    client, core, working_group, membership_factory, mailoutbox, django_capture_on_commit_callbacks
):
    members = membership_factory.create_batch(3, working_group=working_group)
    # A person in the group twice, in two roles, is one recipient.
    membership_factory(working_group=working_group, user=members[0].user, role="coordinator")
    token = shown_token(client, working_group)
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(client, working_group, token)
        second = submit(client, working_group, token)
    assert "Announcement recorded for 3 people" in first.content.decode()
    assert "sent already; nothing was sent again" in second.content.decode()
    sent = Notice.objects.filter(kind=notices.ANNOUNCEMENT_KIND)
    assert sent.count() == 3
    assert set(sent.values_list("topic", flat=True)) == {Topic.ANNOUNCEMENTS}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.user.email for m in members)
    assert {m.subject for m in mailoutbox} == {"Call on Thursday"}
    # A new showing of the form is a new announcement.
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, working_group, shown_token(client, working_group))
    assert len(mailoutbox) == 6


def test_the_announcement_follows_its_own_topic_not_the_milestones(
    client, core, working_group, membership_factory, mailoutbox, django_capture_on_commit_callbacks
):
    no_milestones, no_announcements = membership_factory.create_batch(
        2, working_group=working_group
    )
    notices.preference_set(user=no_milestones.user, topic=Topic.MILESTONES, delivery=Delivery.OFF)
    notices.preference_set(
        user=no_announcements.user, topic=Topic.ANNOUNCEMENTS, delivery=Delivery.OFF
    )
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, working_group, shown_token(client, working_group))
    assert [m.to for m in mailoutbox] == [[no_milestones.user.email]]
    # Turned off is still in the list of notifications, only not e-mailed.
    assert Notice.objects.get(recipient=no_announcements.user).state == "off"


def test_a_damaged_form_sends_nothing(client, core, working_group, membership_factory, mailoutbox):
    membership_factory(working_group=working_group)
    page = submit(client, working_group, "x")
    assert "This form is damaged" in page.content.decode()
    assert not Notice.objects.exists()


def test_people_choose_how_announcements_reach_them_in_their_language(client, user_factory):
    person = user_factory(language="zh-hans")
    client.force_login(person)
    response = client.post(
        reverse("notices:preferences"),
        {
            "language": "zh-hans",
            "reviews": "immediate",
            "milestones": "immediate",
            "announcements": "digest",
        },
    )
    assert response.status_code == 302
    assert notices.delivery_for(user=person, topic=Topic.ANNOUNCEMENTS) == Delivery.DIGEST
    with translation.override("zh-hans"):
        url = reverse("notices:preferences")
    html = client.get(url).content.decode()
    assert "核心团队的公告" in html


def test_the_form_runs_the_same_queries_for_one_group_or_five(client, core, working_group_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def show(groups):
        return client.post(
            reverse(URL), {"action": "send_notice", "_selected_action": [g.pk for g in groups]}
        )

    show(working_group_factory.create_batch(1))  # the session's first request writes it
    counts = []
    for size in (1, 5):
        groups = working_group_factory.create_batch(size)
        with CaptureQueriesContext(connection) as captured:
            assert show(groups).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
