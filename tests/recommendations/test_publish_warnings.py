"""Publishing asks first when review threads are still open or there was no review."""

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import ReviewAssignment
from tests.factories import iteration, review_version
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db

# The confirmation page: the session and person, the recommendation and its permission,
# the iteration, and one query for every figure of the warning, however many threads; and
# the header's kept count of what needs the coordinator (strategy/needs_me.py: read from
# the cache, by what the person was given); their roles and unread count are kept
# (groups/predicates.py, strategy/notices.py).
QUERIES = 8


def publish(client, recommendation, **extra):
    return client.post(
        reverse("recommendations:publish", args=[recommendation.pk]),
        {"iteration": iteration().pk, **extra},
    )


def test_a_recommendation_never_reviewed_asks_first_then_publishes(
    coordinator_client, working_group, coordinator
):
    draft = make(working_group, coordinator)
    response = publish(coordinator_client, draft)
    html = response.content.decode()
    assert response.status_code == 200
    assert "It was never submitted for review." in html
    assert 'name="confirmed" value="1"' in html
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert publish(coordinator_client, draft, confirmed="1").status_code == 302
    draft.refresh_from_db()
    assert draft.state == "published"


def test_a_snapshot_nobody_reviewed_asks_first(coordinator_client, working_group, coordinator):
    version = review_version(working_group, coordinator)
    html = publish(coordinator_client, version.recommendation).content.decode()
    assert "Nobody has reviewed it" in html


def test_open_threads_ask_first_with_a_link_to_the_snapshot(
    coordinator_client, working_group, coordinator
):
    version = review_version(working_group, coordinator)
    for body in ("One?", "Two?"):
        services.thread_start(version=version, user=coordinator, body=body)
    response = publish(coordinator_client, version.recommendation)
    html = response.content.decode()
    assert "2 review threads are still open." in html
    assert version.get_absolute_url() in html
    assert "never submitted" not in html
    assert "Nobody has reviewed it" not in html
    version.recommendation.refresh_from_db()
    assert version.recommendation.state == "in_review"


def test_a_finished_review_publishes_without_asking(
    coordinator_client, working_group, coordinator, user_factory
):
    version = review_version(working_group, coordinator)
    thread = services.thread_start(version=version, user=coordinator, body="Clear?")
    services.thread_resolve(thread=thread, user=coordinator, outcome="answered", note="Yes.")
    assert publish(coordinator_client, version.recommendation).status_code == 302
    version.recommendation.refresh_from_db()
    assert version.recommendation.state == "published"


def test_a_completed_assignment_counts_as_a_review(
    coordinator_client, working_group, coordinator, user_factory
):
    version = review_version(working_group, coordinator)
    ReviewAssignment.objects.create(
        version=version,
        reviewer=user_factory(),
        due_on="2031-01-01",
        status=ReviewAssignment.Status.COMPLETED,
    )
    assert publish(coordinator_client, version.recommendation).status_code == 302


def test_the_confirmation_costs_the_same_with_1_or_40_open_threads(
    coordinator_client, working_group, coordinator, django_assert_num_queries
):
    few = review_version(working_group, coordinator, title="Few")
    many = review_version(working_group, coordinator, title="Many")
    services.thread_start(version=few, user=coordinator, body="Open")
    for index in range(40):
        services.thread_start(version=many, user=coordinator, body=f"Open {index}")
    iteration()
    for version, count in ((few, 1), (many, 40)):
        with django_assert_num_queries(QUERIES):
            response = publish(coordinator_client, version.recommendation)
        assert f"{count} review thread" in response.content.decode()
