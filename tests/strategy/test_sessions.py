"""Sessions end after a time without activity: two hours for staff, two weeks for others."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from strategy.sessions import SessionIdleTimeoutMiddleware
from tests.factories import MembershipFactory, UserFactory, recommendation

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return client.get(reverse("notices:list")).wsgi_request.user.is_authenticated


def test_the_limits_default_to_two_hours_for_staff_and_two_weeks_for_others():
    assert settings.SESSION_IDLE_SECONDS_STAFF == 2 * 60 * 60
    assert settings.SESSION_IDLE_SECONDS == 14 * 24 * 60 * 60


def test_a_staff_session_idle_longer_than_its_limit_is_signed_out(client, core_team_user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(core_team_user)
        assert signed_in(client)
        traveller.shift(timedelta(hours=2, minutes=1))
        assert not signed_in(client)


def test_an_active_staff_session_is_renewed_by_each_visit(client, core_team_user):
    """Visits every 50 minutes keep a staff session for longer than two hours."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(core_team_user)
        for _ in range(6):
            assert signed_in(client)
            traveller.shift(timedelta(minutes=50))
        assert signed_in(client)


def test_a_session_that_is_not_staff_lasts_two_weeks_idle(client, user):
    """Far longer than a staff session, and renewed too: a visit every 13 days keeps it."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(user)
        for _ in range(3):
            assert signed_in(client)
            traveller.shift(timedelta(days=13))
        assert signed_in(client)
        traveller.shift(timedelta(days=14, minutes=1))
        assert not signed_in(client)


def test_signing_in_gives_a_staff_session_its_limit_at_once(rf, core_team_user):
    """The answer to the sign-in itself carries the limit, whatever view signs the person in
    (the middleware acts after the view)."""

    def sign_in(request):
        login(request, core_team_user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponse()

    handler = SessionMiddleware(AuthenticationMiddleware(SessionIdleTimeoutMiddleware(sign_in)))
    response = handler(rf.get("/"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 2 * 60 * 60


def test_pages_without_a_session_cookie_set_none(client):
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_editor_left_open_does_not_keep_a_staff_session(client, working_group):
    """The editor's sign of life every minute is the page's, not the person's: two hours
    of it alone sign a staff member out."""
    staff = UserFactory(is_staff=True)
    MembershipFactory(user=staff, working_group=working_group)
    draft = recommendation(working_group, staff)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(staff)
        assert signed_in(client)
        for _ in range(11):
            traveller.shift(timedelta(minutes=10))
            assert (
                client.post(reverse("recommendations:editing", args=[draft.pk])).status_code == 200
            )
        traveller.shift(timedelta(minutes=11))
        assert not signed_in(client)


def test_a_sign_in_view_that_sets_its_own_expiry_gets_the_limit_all_the_same(rf, core_team_user):
    """allauth's "remember me" sets two weeks; a staff session still ends after two hours,
    even when the same person signs in again a moment after the last renewal."""

    def sign_in(request):
        login(request, core_team_user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.set_expiry(14 * 24 * 60 * 60)
        return HttpResponse()

    handler = SessionMiddleware(AuthenticationMiddleware(SessionIdleTimeoutMiddleware(sign_in)))
    first = handler(rf.get("/"))
    again = rf.get("/")
    again.COOKIES[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    response = handler(again)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 2 * 60 * 60
