"""The project's own pages (strategy/views)."""

import pytest
from django.urls import reverse

from tests.factories import CoreTeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("signed_in", 302), ("staff_only", 403), ("core_team", 200)],
)
def test_who_opens_the_admin_dashboard(client, who, status):
    """The core team's dashboard: a staff account outside the core team's permission group
    gets 403; the others are sent to the admin's sign-in."""
    if who != "anonymous":
        person = {
            "signed_in": UserFactory,
            "staff_only": lambda: UserFactory(is_staff=True),
            "core_team": CoreTeamFactory,
        }[who]()
        client.force_login(person)
    response = client.get(reverse("admin-dashboard"))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("admin:login"))
