"""The account pages of docs/permissions.md, one case per cell: the public and a signed-in
community member."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("login")

# name: (the public's answer, a signed-in person's answer); "sign in" is a redirect to the
# sign-in page, "home" a redirect to the home page (already signed in).
CELLS = {
    "account_signup": (200, "home"),
    "login": (200, "home"),
    "account_reset_password": (200, 200),
    "account_email": ("sign in", 200),
    "account_change_password": ("sign in", 200),
    "socialaccount_connections": ("sign in", 200),
    "mfa_index": ("sign in", 200),
    "usersessions_list": ("sign in", 200),
}


def answer(response):
    if response.status_code == 302:
        if response.url.startswith(SIGN_IN):
            return "sign in"
        if response.url == reverse("home"):
            return "home"
        return response.url
    return response.status_code


@pytest.mark.parametrize("name", CELLS)
def test_the_public(client, name):
    assert answer(client.get(reverse(name))) == CELLS[name][0]


@pytest.mark.parametrize("name", CELLS)
def test_a_signed_in_community_member(client, name):
    client.force_login(UserFactory())
    assert answer(client.get(reverse(name))) == CELLS[name][1]
