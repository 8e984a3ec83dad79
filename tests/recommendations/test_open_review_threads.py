"""An open review thread is one rule (selectors.review.open_review_thread_q): community
feedback, open as it may be, is never counted as one, wherever open threads are counted."""

import pytest
from django.urls import reverse

from groups.models import Role
from recommendations import selectors, services
from recommendations.models import Thread
from recommendations.selectors.review import OPEN_REVIEW_THREAD_Q
from tests.factories import CoreTeamFactory, MembershipFactory, iteration, review_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(working_group, user_factory):
    person = user_factory()
    MembershipFactory(user=person, working_group=working_group, role=Role.COORDINATOR)
    return person


@pytest.fixture
def threads(working_group, coordinator, user_factory):
    """A snapshot with a review thread open and one resolved; then the published version
    with a review thread open and two open threads of community feedback."""
    snapshot = review_version(working_group, coordinator)
    services.thread_start(version=snapshot, user=coordinator, body="Open on the snapshot")
    resolved = services.thread_start(version=snapshot, user=coordinator, body="Settled")
    services.thread_resolve(thread=resolved, user=coordinator, outcome="declined", note="No")
    published = services.recommendation_publish(
        recommendation=snapshot.recommendation, user=coordinator, iteration=iteration()
    )
    services.thread_start(version=published, user=coordinator, body="Open on the iteration")
    for index in range(2):
        services.feedback_start(version=published, user=user_factory(), body=f"Public {index}")
    assert Thread.objects.filter(status=Thread.Status.OPEN).count() == 4
    return {"snapshot": snapshot, "published": published}


def test_every_count_of_open_threads_counts_review_threads_only(
    client, working_group, coordinator, threads
):
    recommendation = threads["snapshot"].recommendation
    assert Thread.objects.filter(OPEN_REVIEW_THREAD_Q).count() == 2
    listed = {
        version.pk: version.open_threads
        for version in selectors.version_list(recommendation=recommendation)
    }
    assert listed == {threads["snapshot"].pk: 1, threads["published"].pk: 1}
    assert selectors.publish_warnings(recommendation=recommendation)["open_threads"] == 1
    mine = selectors.open_threads_for_member(user=coordinator)
    assert sorted(thread.version_id for thread in mine) == sorted(listed)
    client.force_login(CoreTeamFactory())
    rows = client.get(reverse("admin-dashboard")).context["rows"]
    (row,) = [row for row in rows if row.group == working_group]
    assert row.open_threads == 2


def test_a_newer_version_carries_open_review_threads_only(coordinator, threads):
    """The next snapshot shows the earlier open review threads, not the public's."""
    newer = services.recommendation_submit_for_review(
        recommendation=threads["snapshot"].recommendation, user=coordinator, name="Review 2"
    )
    carried = selectors.earlier_open_threads(version=newer)
    assert sorted(thread.comments.first().body for thread in carried) == [
        "Open on the iteration",
        "Open on the snapshot",
    ]
