"""A new snapshot after another: the earlier one's reviewers asked again in one step, and a
thread's participants following it to the snapshot that carries it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Role
from recommendations import services
from strategy.models import Notice
from tests.factories import MembershipFactory, review_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(working_group, coordinator):
    return review_version(working_group, coordinator, body="We recommend a global hub.\n")


def reviewer(user_factory, working_group_factory, **names):
    person = user_factory(**names)
    MembershipFactory(user=person, working_group=working_group_factory(), role=Role.REVIEWER)
    return person


def assign(version, person, coordinator, brief=""):
    return services.assignment_create(
        version=version,
        reviewer=person,
        assigned_by=coordinator,
        due_on=timezone.localdate() + timedelta(days=3),
        brief=brief,
    )


def freeze_again(version, user, name="Review 2"):
    return services.recommendation_submit_for_review(
        recommendation=version.recommendation, user=user, name=name
    )


def test_a_participant_of_an_open_thread_follows_it_to_the_next_snapshot(
    client, first, coordinator, user_factory, working_group_factory
):
    rania = reviewer(user_factory, working_group_factory, first_name="Rania")
    other = reviewer(user_factory, working_group_factory)
    assign(first, rania, coordinator)
    assign(first, other, coordinator)
    thread = services.thread_start(version=first, user=coordinator, body="Why global?")
    services.comment_reply(thread=thread, user=rania, body="Because of scale.")
    second = freeze_again(first, coordinator)

    client.force_login(rania)
    response = client.get(second.get_absolute_url())
    assert response.status_code == 200
    section = response.content.decode()
    section = section[section.index("Open threads from earlier versions") :]
    assert f'id="thread-{thread.pk}"' in section
    # An assigned reviewer of the first snapshot who did not write in the thread does not.
    client.force_login(other)
    assert client.get(second.get_absolute_url()).status_code == 404
    # Once the thread is resolved, the newer snapshot no longer carries it: nor her.
    services.thread_resolve(thread=thread, user=coordinator, outcome="answered")
    client.force_login(rania)
    assert client.get(second.get_absolute_url()).status_code == 404


def test_request_re_review_asks_the_same_reviewers_once_each(
    client, first, coordinator, user_factory, working_group_factory
):
    kept = reviewer(user_factory, working_group_factory, first_name="Rania")
    declined = reviewer(user_factory, working_group_factory, first_name="Dina")
    already = reviewer(user_factory, working_group_factory, first_name="Omar")
    assign(first, kept, coordinator, brief="Look at the funding.")
    services.assignment_decline(
        assignment=assign(first, declined, coordinator), user=declined, reason="Away"
    )
    assign(first, already, coordinator)
    second = freeze_again(first, coordinator)
    assign(second, already, coordinator)
    notices_before = Notice.objects.filter(kind="review.assigned").count()

    client.force_login(coordinator)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Request re-review from the same reviewers" in page
    # The first snapshot has none before it: nothing to ask again there.
    assert "Request re-review" not in client.get(first.get_absolute_url()).content.decode()

    url = reverse("recommendations:assign_again", args=[second.recommendation_id, second.pk])
    due = timezone.localdate() + timedelta(days=10)
    response = client.post(url, {"rereview-due_on": due.isoformat()}, follow=True)
    html = response.content.decode()
    assert "1 reviewer of Review 1 is asked to review this snapshot." in html
    asked = second.assignments.get(reviewer=kept)
    assert (asked.due_on, asked.brief, asked.assigned_by) == (
        due,
        "Look at the funding.",
        coordinator,
    )
    assert not second.assignments.filter(reviewer=declined).exists()
    assert second.assignments.filter(reviewer=already).count() == 1
    # The notice is in the ledger, once, for the one reviewer asked.
    new_notices = Notice.objects.filter(kind="review.assigned")
    assert new_notices.count() == notices_before + 1
    # Hers: the first snapshot's and this one's.
    assert new_notices.filter(recipient=kept).count() == 2

    response = client.post(url, {"rereview-due_on": due.isoformat()}, follow=True)
    assert "0 reviewers of Review 1 are asked to review this snapshot." in (
        response.content.decode()
    )
    assert second.assignments.count() == 2
    assert Notice.objects.filter(kind="review.assigned").count() == notices_before + 1


def test_request_re_review_defaults_to_a_week_and_refuses_a_past_date(
    client, first, coordinator, user_factory, working_group_factory
):
    assign(first, reviewer(user_factory, working_group_factory), coordinator)
    second = freeze_again(first, coordinator)
    client.force_login(coordinator)
    page = client.get(second.get_absolute_url()).content.decode()
    week = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert f'name="rereview-due_on" value="{week}"' in page
    url = reverse("recommendations:assign_again", args=[second.recommendation_id, second.pk])
    for due_on in ("2001-01-01", "not a date", ""):
        response = client.post(url, {"rereview-due_on": due_on}, follow=True)
        assert response.status_code == 200
        assert not second.assignments.exists()
    assert (
        "The due date is in the past."
        in client.post(url, {"rereview-due_on": "2001-01-01"}, follow=True).content.decode()
    )


def test_request_re_review_on_the_first_snapshot_is_404(client, first, coordinator):
    client.force_login(coordinator)
    url = reverse("recommendations:assign_again", args=[first.recommendation_id, first.pk])
    assert client.post(url, {"rereview-due_on": "2031-01-01"}).status_code == 404


def test_the_version_page_costs_the_same_for_1_and_10_earlier_reviewers(
    client,
    first,
    coordinator,
    user_factory,
    working_group_factory,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """With the re-review form shown (a coordinator, a snapshot before this one)."""
    assign(first, reviewer(user_factory, working_group_factory), coordinator)
    services.thread_start(version=first, user=coordinator, body="Open one")
    second = freeze_again(first, coordinator)
    client.force_login(coordinator)
    client.get(reverse("workspace"))
    url = reverse("recommendations:assign_again", args=[second.recommendation_id, second.pk])
    # 2 of them the header's kept count of what needs the coordinator (what it is kept by:
    # strategy/needs_me.py), 3 the suggestions (their list, their counts by state, and the
    # open ones of earlier versions).
    with django_assert_num_queries(15):
        client.get(second.get_absolute_url())
    # The threads and the suggestions kept (views/review.py, views/suggestions.py).
    with django_assert_num_queries(8) as small:
        client.get(second.get_absolute_url())
    # Read now: every request clears the connection's query log the context reads.
    expected = len(small)
    with django_capture_on_commit_callbacks(execute=True):
        for _index in range(9):
            person = reviewer(user_factory, working_group_factory)
            assign(first, person, coordinator)
            services.thread_start(version=first, user=person, body="Another")
    client.post(url, {"rereview-due_on": "2031-01-01"})
    assert second.assignments.count() == 10
    html = client.get(second.get_absolute_url()).content.decode()
    assert html.count("Another") == 9, "the earlier version's new threads, at once"
    with django_assert_num_queries(expected):
        client.get(second.get_absolute_url())
    assert html.count("due ") >= 10
