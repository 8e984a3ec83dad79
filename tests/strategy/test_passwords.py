"""Passwords: at least 12 characters, and none of the common ones Django's bundled list of
breached passwords holds."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from groups.demo import DEMO_PASSWORD
from groups.models import Invitation
from groups.services import invitation_create, invitation_token

pytestmark = pytest.mark.django_db


def refusal_codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_eleven_characters_are_too_few():
    assert refusal_codes("wq8-kz!vx3p") == {"password_too_short"}
    assert refusal_codes("wq8-kz!vx3pm") == set()


def test_a_common_password_is_refused_even_when_long_enough():
    assert refusal_codes("q1w2e3r4t5y6") == {"password_too_common"}
    assert refusal_codes("qwerty123456") == {"password_too_common"}


@pytest.mark.parametrize(
    "password",
    ["Password123!", "letmein12345", "football1234", "iloveyou2024", "passwordpassword"],
)
def test_a_common_password_padded_to_the_length_is_refused(password):
    """Digits or symbols around a listed password, or the password twice, are no longer
    passwords the list does not hold."""
    assert refusal_codes(password) == {"password_too_common"}


@pytest.mark.parametrize(
    "password", ["correct horse battery", "wikimedia2030", "a-long-passphrase-2019"]
)
def test_a_passphrase_is_not_mistaken_for_a_padded_common_password(password):
    assert refusal_codes(password) == set()


def test_the_demo_password_still_passes():
    assert refusal_codes(DEMO_PASSWORD) == set()


def test_the_invitation_form_states_the_rule_and_keeps_to_it(client, working_group):
    invitation_create(email="new.person@example.org", working_group=working_group)
    path = f"/groups/invitations/{invitation_token(Invitation.objects.get())}/"
    page = client.get(path).content.decode()
    assert "Your password must contain at least 12 characters." in page
    response = client.post(
        path,
        {"username": "newperson", "password1": "short-pass1", "password2": "short-pass1"},
    )
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in (
        response.content.decode()
    )
    assert not Invitation.objects.get().accepted_at
