"""Staff reach the admin only with a second factor (TOTP with recovery codes, allauth.mfa)."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from tests.factories import CoreTeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.STAFF_SECOND_FACTOR_REQUIRED = True


def sign_in(client, person):
    """Through the sign-in form, then the password once more: allauth asks for it again
    before a second factor is set up."""
    response = client.post(
        reverse("login"), {"login": person.username, "password": "a-good-password-42"}
    )
    assert response.status_code == 302
    response = client.post(reverse("account_reauthenticate"), {"password": "a-good-password-42"})
    assert response.status_code == 302


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, required):
    sign_in(client, CoreTeamFactory())
    for path in (reverse("admin:index"), reverse("admin-dashboard")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")
    # The page that sets it up opens (it is not under the admin).
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_staff_with_an_authenticator_reach_the_admin(client, required):
    person = CoreTeamFactory()
    TOTP.activate(person, pyotp.random_base32())
    client.force_login(person)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_superuser_needs_one_too(client, required):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:index")).url.startswith(reverse("mfa_activate_totp"))


def test_people_who_are_not_staff_are_not_asked(client, required):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"), follow=True)
    # The admin's own answer to someone signed in who may not enter.
    assert response.status_code == 403
    assert client.get(reverse("home")).status_code == 200


def test_the_requirement_is_a_setting_off_in_the_test_settings(client):
    client.force_login(CoreTeamFactory())
    assert client.get(reverse("admin:index")).status_code == 200


def test_activating_with_a_code_from_the_secret_makes_recovery_codes(client, required):
    person = CoreTeamFactory()
    sign_in(client, person)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert set(Authenticator.objects.filter(user=person).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_activates_nothing(client, required):
    person = CoreTeamFactory()
    sign_in(client, person)
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.text
    assert not Authenticator.objects.filter(user=person).exists()
