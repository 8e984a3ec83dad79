""" "Due soon" is one window: the dashboard's column, the admin's filter and the figure they
show all say and count DUE_SOON_DAYS, whatever it is."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.selectors import review as review_selectors
from tests.factories import CoreTeamFactory, UserFactory, review_version

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("days", [7, 3])
def test_the_window_is_said_and_counted_alike(client, monkeypatch, working_group, user, days):
    """Changed in one place, the window changes everywhere: a review due on its last day
    is counted and listed, one due the day after is not, and both labels name it."""
    monkeypatch.setattr(review_selectors, "DUE_SOON_DAYS", days)
    today = timezone.localdate()
    version = review_version(working_group, user)
    reviewer = UserFactory()
    for after in (days, days + 1):
        services.assignment_create(
            version=version,
            reviewer=reviewer,
            assigned_by=user,
            due_on=today + timedelta(days=after),
        )
    client.force_login(CoreTeamFactory())
    dashboard = client.get(reverse("admin-dashboard"))
    assert f"Reviews due ({days} days)" in dashboard.content.decode()
    (row,) = [row for row in dashboard.context["rows"] if row.group == working_group]
    assert row.due == 1
    listed = client.get(
        reverse("admin:recommendations_reviewassignment_changelist"),
        {"due": "soon", "group": working_group.pk},
    )
    assert listed.context["cl"].result_count == 1
    assert f"Due within {days} days" in listed.content.decode()
