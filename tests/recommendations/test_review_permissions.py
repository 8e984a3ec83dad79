"""Every cell of the review part of docs/permissions.md."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from groups.models import Role
from recommendations import services
from recommendations.models import Version
from tests.factories import (
    CoreTeamFactory,
    MembershipFactory,
    UserFactory,
    iteration,
    review_version,
)

pytestmark = pytest.mark.django_db

WHO = [
    "anonymous",
    "community",
    "other_group",
    "member",
    "coordinator",
    "core_team",
    "assigned_reviewer",
    "unassigned_reviewer",
    "declined_reviewer",
]


@pytest.fixture
def version(working_group, user):
    return review_version(working_group, user, body="We recommend a global hub.\n")


@pytest.fixture
def thread(version, user):
    return services.thread_start(version=version, user=user, body="Why?")


@pytest.fixture
def as_(client, working_group, working_group_factory, version):
    def sign_in(who):
        if who == "anonymous":
            return client
        user = CoreTeamFactory() if who == "core_team" else UserFactory()
        if who in ("member", "coordinator"):
            MembershipFactory(user=user, working_group=working_group, role=Role(who))
        elif who == "other_group":
            MembershipFactory(user=user, working_group=working_group_factory())
        elif who.endswith("reviewer"):
            MembershipFactory(user=user, working_group=working_group_factory(), role=Role.REVIEWER)
            if who != "unassigned_reviewer":
                assignment = services.assignment_create(
                    version=version, reviewer=user, assigned_by=None, due_on=date(2030, 1, 1)
                )
                if who == "declined_reviewer":
                    services.assignment_decline(assignment=assignment, user=user, reason="No")
        client.force_login(user)
        return client

    return sign_in


def expect(table):
    return pytest.mark.parametrize(("who", "status"), list(zip(WHO, table, strict=True)))


@expect([302, 404, 404, 200, 200, 200, 200, 404, 404])
def test_see_a_version_and_its_comments(as_, version, who, status):
    assert as_(who).get(version.get_absolute_url()).status_code == status


@expect([302, 404, 404, 200, 200, 200, 200, 200, 200])
def test_see_a_version_opened_to_every_reviewer(as_, version, who, status):
    version.open_to_all_reviewers = True
    version.save()
    assert as_(who).get(version.get_absolute_url()).status_code == status


@expect([302, 404, 404, 200, 200, 200, 200, 404, 404])
def test_see_more_of_a_versions_threads(as_, version, thread, who, status):
    """The fragment "More threads" brings: the version page's rule, cell by cell."""
    url = reverse("recommendations:version_threads", args=[version.recommendation_id, version.pk])
    response = as_(who).get(f"{url}?page=1")
    assert response.status_code == status
    assert ("Why?" in response.content.decode()) == (status == 200)


@expect([302, 404, 404, 200, 200, 200, 200, 404, 404])
def test_see_a_threads_earlier_replies(as_, thread, user, who, status):
    """The fragment "show N earlier replies" brings: the version page's rule, cell by cell."""
    for body in ("First reply", "Second reply"):
        services.comment_reply(thread=thread, user=user, body=body)
    latest = thread.comments.order_by("-created_at", "-pk").first()
    url = reverse(
        "recommendations:thread_replies", args=[thread.version.recommendation_id, thread.pk]
    )
    response = as_(who).get(f"{url}?before={latest.pk}")
    assert response.status_code == status
    assert ("First reply" in response.content.decode()) == (status == 200)


@expect([302, 404, 404, 200, 200, 200, 200, 200, 200])
def test_see_the_fragments_of_a_version_opened_to_every_reviewer(as_, version, thread, who, status):
    version.open_to_all_reviewers = True
    version.save()
    client = as_(who)
    more = reverse("recommendations:version_threads", args=[version.recommendation_id, version.pk])
    earlier = reverse("recommendations:thread_replies", args=[version.recommendation_id, thread.pk])
    assert client.get(more).status_code == status
    before = thread.comments.get().pk
    assert client.get(f"{earlier}?before={before}").status_code == status


@expect([302, 404, 404, 302, 302, 302, 302, 404, 404])
def test_start_a_thread(as_, version, who, status):
    url = reverse("recommendations:thread_create", args=[version.recommendation_id, version.pk])
    assert as_(who).post(url, {"body": "A comment"}).status_code == status
    assert version.threads.count() == (1 if status == 302 and who != "anonymous" else 0)


@expect([302, 404, 404, 302, 302, 302, 302, 404, 404])
def test_reply(as_, thread, who, status):
    url = reverse("recommendations:reply", args=[thread.version.recommendation_id, thread.pk])
    assert as_(who).post(url, {"body": "A reply"}).status_code == status


@expect([302, 404, 404, 302, 302, 302, 403, 404, 404])
def test_resolve_a_thread(as_, thread, who, status):
    url = reverse("recommendations:resolve", args=[thread.version.recommendation_id, thread.pk])
    assert as_(who).post(url, {"outcome": "answered"}).status_code == status
    thread.refresh_from_db()
    assert (thread.status == "resolved") == (status == 302 and who != "anonymous")


@expect([302, 404, 404, 403, 302, 302, 403, 404, 404])
def test_assign_a_reviewer(as_, version, who, status, user_factory, working_group_factory):
    reviewer = user_factory()
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    url = reverse("recommendations:assign", args=[version.recommendation_id, version.pk])
    response = as_(who).post(
        url, {"reviewer": reviewer.pk, "due_on": "2031-01-01", "cadence": "once"}
    )
    assert response.status_code == status
    assert version.assignments.filter(reviewer=reviewer).exists() == (
        status == 302 and who in ("coordinator", "core_team")
    )


@expect([302, 404, 404, 403, 302, 302, 404, 404, 404])
def test_submit_for_review(as_, version, who, status):
    url = reverse("recommendations:submit", args=[version.recommendation_id])
    assert as_(who).post(url, {"name": "Review 2"}).status_code == status


@expect([302, 404, 404, 403, 302, 302, 404, 404, 404])
def test_publish_in_an_iteration(as_, version, who, status):
    url = reverse("recommendations:publish", args=[version.recommendation_id])
    # Confirmed: the step that asks first about an unfinished review is tested apart.
    response = as_(who).post(url, {"iteration": iteration().pk, "confirmed": "1"})
    assert response.status_code == status
    version.recommendation.refresh_from_db()
    assert (version.recommendation.state == "published") == (who in ("coordinator", "core_team"))


def test_only_the_author_edits_a_comment(client, thread, user, user_factory):
    comment = thread.comments.get()
    url = reverse(
        "recommendations:comment_edit", args=[thread.version.recommendation_id, comment.pk]
    )
    other = user_factory()
    MembershipFactory(user=other, working_group=thread.version.recommendation.working_group)
    client.force_login(other)
    assert client.post(url, {"body": "Hijack"}).status_code == 403
    MembershipFactory(user=user, working_group=thread.version.recommendation.working_group)
    client.force_login(user)
    assert client.post(url, {"body": "Better"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Better"


def test_only_the_reviewer_answers_an_assignment(client, version, user_factory):
    reviewer, other = user_factory(), user_factory()
    assignment = services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=None, due_on=date(2030, 1, 1)
    )
    client.force_login(other)
    url = reverse("recommendations:assignment_answer", args=[assignment.pk, "accept"])
    assert client.post(url).status_code == 404
    client.force_login(reviewer)
    assert client.post(url).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "accepted"


@expect([302, 200, 200, 200, 200, 200, 200, 200, 200])
def test_see_a_newer_version_carrying_an_open_thread_they_wrote_in(
    as_, client, version, user, who, status
):
    """Each person here has written in an open thread of the first snapshot (the service
    does not ask who may: the table's cell is about what follows from having written)."""
    signed_in = as_(who)
    thread = services.thread_start(version=version, user=user, body="Why?")
    if who != "anonymous":
        services.comment_reply(thread=thread, user=get_user(signed_in), body="Yes, why?")
    newer = services.recommendation_submit_for_review(
        recommendation=version.recommendation, user=user, name="Review 2"
    )
    assert signed_in.get(newer.get_absolute_url()).status_code == status


@expect([302, 404, 404, 403, 302, 302, 403, 404, 404])
def test_request_re_review_from_the_same_reviewers(
    as_, version, user, who, status, user_factory, working_group_factory
):
    # A snapshot before `version` (whose assignments are the columns'), with a reviewer.
    earlier = services.recommendation_submit_for_review(
        recommendation=version.recommendation, user=user, name="Review 0"
    )
    Version.objects.filter(pk=earlier.pk).update(created_at=version.created_at - timedelta(1))
    reviewer = user_factory()
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    services.assignment_create(
        version=earlier, reviewer=reviewer, assigned_by=user, due_on=date(2030, 1, 1)
    )
    url = reverse("recommendations:assign_again", args=[version.recommendation_id, version.pk])
    response = as_(who).post(url, {"rereview-due_on": "2031-01-01"})
    assert response.status_code == status
    assert version.assignments.filter(reviewer=reviewer).exists() == (
        status == 302 and who in ("coordinator", "core_team")
    )
