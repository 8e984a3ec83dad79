"""Iterations are open or closed: a closed one accepts nothing, and its set never changes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import Role
from recommendations import services
from recommendations.models import Iteration, Version
from tests.factories import CoreTeamFactory, MembershipFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(user):
    made = iteration("second-iteration-2019-09", "Second iteration, September 2019")
    return services.iteration_close(iteration=made, user=user)


@pytest.fixture
def coordinator_client(client, working_group, user):
    MembershipFactory(user=user, working_group=working_group, role=Role.COORDINATOR)
    client.force_login(user)
    return client


def test_closing_records_when_and_refuses_a_second_closing(closed, user):
    assert closed.state == Iteration.State.CLOSED
    assert closed.closed_at is not None
    assert closed.history.first().history_change_reason == "Closed"
    with pytest.raises(ValidationError) as refused:
        services.iteration_close(iteration=closed, user=user)
    assert refused.value.code == "iteration_closed"


def test_the_service_refuses_to_publish_in_a_closed_iteration(working_group, user, closed):
    draft = make(working_group, user)
    with pytest.raises(ValidationError) as refused:
        services.recommendation_publish(recommendation=draft, user=user, iteration=closed)
    assert refused.value.code == "iteration_closed"
    assert "is closed: nothing more can be published in it" in refused.value.messages[0]
    assert not Version.objects.filter(iteration=closed).exists()
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_the_publish_form_offers_only_open_iterations(
    coordinator_client, working_group, user, closed
):
    third = iteration("third-iteration-2026", "Third iteration, 2026")
    draft = make(working_group, user)
    html = coordinator_client.get(draft.get_absolute_url()).content.decode()
    assert f'<option value="{third.pk}">Third iteration, 2026</option>' in html
    assert f'value="{closed.pk}"' not in html


def test_the_publish_view_refuses_a_closed_iteration_with_a_message(
    coordinator_client, working_group, user, closed
):
    """A form opened before the iteration closed still posts it: refused, saying why."""
    draft = make(working_group, user)
    response = coordinator_client.post(
        reverse("recommendations:publish", args=[draft.pk]),
        {"iteration": closed.pk, "confirmed": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "“Second iteration, September 2019” is closed" in response.content.decode()
    assert not Version.objects.filter(iteration=closed).exists()


def test_the_admin_publish_action_refuses_a_closed_iteration(client, working_group, user, closed):
    client.force_login(CoreTeamFactory(is_staff=True))
    draft = make(working_group, user, title="Late")
    response = client.post(
        reverse("admin:recommendations_recommendation_changelist"),
        {
            "action": "publish_in_iteration",
            "confirm": "1",
            "_selected_action": [draft.pk],
            "iteration": closed.pk,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "0 published in" in html
    assert "is closed: nothing more can be published in it" in html
    assert not Version.objects.filter(iteration=closed).exists()


def test_the_admin_closes_an_iteration_through_the_service(client):
    client.force_login(CoreTeamFactory(is_staff=True))
    made = iteration()
    response = client.post(
        reverse("admin:recommendations_iteration_changelist"),
        {"action": "close", "_selected_action": [made.pk]},
        follow=True,
    )
    assert "1 closed." in response.content.decode()
    made.refresh_from_db()
    assert made.state == "closed"


def test_a_closed_iteration_keeps_a_recommendation_withdrawn_afterwards(
    client, working_group, user
):
    """Withdrawn before closing: not in the set. Withdrawn after: still in it, marked, with
    its text as published, so the set that was cited stays the same."""
    second = iteration()
    early = make(working_group, user, title="Withdrawn early")
    late = make(working_group, user, title="Withdrawn late")
    kept = make(working_group, user, title="Kept")
    for each in (early, late, kept):
        services.recommendation_publish(recommendation=each, user=user, iteration=second)
    services.recommendation_withdraw(recommendation=early, user=user, reason="Merged")
    services.iteration_close(iteration=second, user=user)
    services.recommendation_withdraw(recommendation=late, user=user, reason="Merged")

    html = client.get(reverse("public:iteration", args=[second.slug])).content.decode()
    assert "2 recommendations" in html
    assert "Withdrawn late" in html
    assert "Kept" in html
    assert "Withdrawn early" not in html
    assert "Withdrawn since this iteration closed" in html
    # The withdrawn one's own page is gone, so the set does not link to it.
    assert late.get_public_url() not in html
    assert kept.get_public_url() in html


def test_an_open_iteration_drops_a_withdrawn_recommendation(client, working_group, user):
    second = iteration()
    gone = make(working_group, user, title="Gone")
    services.recommendation_publish(recommendation=gone, user=user, iteration=second)
    services.recommendation_withdraw(recommendation=gone, user=user, reason="Merged")
    html = client.get(reverse("public:iteration", args=[second.slug])).content.decode()
    assert "Gone" not in html
