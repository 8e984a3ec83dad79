"""Sessions end after a time without activity: two hours for staff, two weeks for others."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def signed_in(client) -> bool:
    return client.get(reverse("notices:list")).wsgi_request.user.is_authenticated


def test_the_limits_default_to_two_hours_for_staff_and_two_weeks_for_others():
    assert settings.SESSION_IDLE_SECONDS_STAFF == 2 * 60 * 60
    assert settings.SESSION_IDLE_SECONDS == 14 * 24 * 60 * 60


def test_a_staff_session_idle_longer_than_its_limit_is_signed_out(client, core_team_user):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(core_team_user)
        assert signed_in(client)
        traveller.shift(timedelta(hours=2, minutes=1))
        assert not signed_in(client)


def test_an_active_staff_session_is_renewed_by_each_visit(client, core_team_user):
    """Visits every 50 minutes keep a staff session for longer than two hours."""
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(core_team_user)
        for _ in range(6):
            assert signed_in(client)
            traveller.shift(timedelta(minutes=50))
        assert signed_in(client)


def test_a_session_that_is_not_staff_lasts_two_weeks_idle(client, user):
    """Far longer than a staff session, and renewed too: a visit every 13 days keeps it."""
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(user)
        for _ in range(3):
            assert signed_in(client)
            traveller.shift(timedelta(days=13))
        assert signed_in(client)
        traveller.shift(timedelta(days=14, minutes=1))
        assert not signed_in(client)


def test_signing_in_gives_a_staff_session_its_limit_at_once(client, core_team_user):
    """Even if the person does nothing after signing in: the sign-in answer has the limit."""
    core_team_user.set_password("a-long-passphrase-2019")
    core_team_user.save()
    with time_machine.travel(START, tick=False) as traveller:
        response = client.post(
            reverse("login"),
            {"login": core_team_user.username, "password": "a-long-passphrase-2019"},
        )
        assert response.status_code == 302
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 2 * 60 * 60
        traveller.shift(timedelta(hours=2, minutes=1))
        assert not signed_in(client)


def test_pages_without_a_session_cookie_set_none(client):
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
