"""No escalation through the user admin: the core team manages ordinary accounts; only a
superuser makes anyone staff or superuser, gives permission groups or permissions, or
touches a staff or superuser account (issue 21, item 1)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from strategy.models import AuditEvent, User
from strategy.predicates import CORE_TEAM_GROUP
from tests.factories import CoreTeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-good-password-42"
NEW_PASSWORD = "an-entirely-new-passphrase-97"


@pytest.fixture
def core(client):
    person = CoreTeamFactory()
    client.force_login(person)
    return person


def account_form(account, **fields):
    """The change form as a browser posts it, with `fields` on top."""
    return {
        "username": account.username,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "is_active": "on",
        "language": account.language,
        "date_joined_0": account.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": account.date_joined.strftime("%H:%M:%S"),
        **fields,
    }


def powers(account):
    account = User.objects.get(pk=account.pk)
    return (
        account.is_staff,
        account.is_superuser,
        sorted(account.groups.values_list("name", flat=True)),
        sorted(account.user_permissions.values_list("codename", flat=True)),
    )


def escalation(core_group):
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [core_group.pk],
        "user_permissions": [Permission.objects.get(codename="delete_user").pk],
    }


def test_the_core_team_cannot_make_an_ordinary_account_powerful(client, core):
    ordinary = UserFactory()
    group = Group.objects.get(name=CORE_TEAM_GROUP)
    response = client.post(
        reverse("admin:strategy_user_change", args=[ordinary.pk]),
        account_form(ordinary, first_name="Renamed", **escalation(group)),
    )
    # The ordinary change is taken; the powers posted with it are not.
    assert response.status_code == 302
    assert User.objects.get(pk=ordinary.pk).first_name == "Renamed"
    assert powers(ordinary) == (False, False, [], [])


@pytest.mark.parametrize("field", ["is_superuser", "is_staff", "groups", "user_permissions"])
def test_the_core_team_cannot_make_itself_powerful(client, core, field):
    before = powers(core)
    group = Group.objects.create(name="Other powers")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    data = escalation(group)
    response = client.post(
        reverse("admin:strategy_user_change", args=[core.pk]),
        account_form(core, **{field: data[field]}),
    )
    assert response.status_code == 403
    assert powers(core) == before


def test_the_core_team_cannot_edit_another_staff_account(client, core):
    colleague = CoreTeamFactory()
    response = client.post(
        reverse("admin:strategy_user_change", args=[colleague.pk]),
        account_form(colleague, email="attacker@example.org", is_superuser="on"),
    )
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.email != "attacker@example.org"
    assert not colleague.is_superuser
    # It may still see the account.
    assert client.get(reverse("admin:strategy_user_change", args=[colleague.pk])).status_code == 200


@pytest.mark.parametrize("whose", ["superuser", "staff"])
def test_the_core_team_cannot_set_a_powerful_accounts_password(client, core, whose):
    if whose == "superuser":
        account = UserFactory(is_staff=True, is_superuser=True)
    else:
        account = CoreTeamFactory()
    url = reverse("admin:auth_user_password_change", args=[account.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.check_password(PASSWORD)
    assert not account.check_password(NEW_PASSWORD)


def test_the_core_team_still_manages_ordinary_accounts(client, core):
    """Adding an account and giving an ordinary one a new password stay open."""
    added = client.post(
        reverse("admin:strategy_user_add"),
        {
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "is_superuser": "on",
        },
    )
    assert added.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert powers(newcomer) == (False, False, [], [])
    url = reverse("admin:auth_user_password_change", args=[newcomer.pk])
    other = "yet-another-passphrase-31"
    response = client.post(
        url, {"password1": other, "password2": other, "set_usable_password": "true"}
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password(other)


def test_a_superuser_grants_and_it_is_logged(admin_client, admin_user):
    person = UserFactory()
    group = Group.objects.get(name=CORE_TEAM_GROUP)
    permission = Permission.objects.get(codename="delete_user")
    response = admin_client.post(
        reverse("admin:strategy_user_change", args=[person.pk]),
        account_form(person, **escalation(group)),
    )
    assert response.status_code == 302
    assert powers(person) == (True, True, [CORE_TEAM_GROUP], ["delete_user"])
    events = {
        event.kind: event for event in AuditEvent.objects.filter(subject=person, actor=admin_user)
    }
    assert set(events) == {"superuser", "staff", "groups", "permissions"}
    assert (events["superuser"].before, events["superuser"].after) == (
        {"is_superuser": False},
        {"is_superuser": True},
    )
    assert events["groups"].after == {"groups": [CORE_TEAM_GROUP]}
    assert events["permissions"].after == {"user_permissions": [f"strategy.{permission.codename}"]}
    assert events["staff"].actor_name == admin_user.username
    assert events["staff"].subject_name == person.username


def test_a_superuser_sets_a_staff_members_password(admin_client):
    colleague = CoreTeamFactory()
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password(NEW_PASSWORD)


def test_the_core_team_assigns_a_proofreader_in_the_admin(client, core):
    """A checkbox per language to translate into (not the source language); the
    assignment saved, in the order of the site's languages; an unknown language refused
    with the form's error, nothing saved."""
    ordinary = UserFactory(translates_into=["arz", "de"])
    url = reverse("admin:strategy_user_change", args=[ordinary.pk])
    page = client.get(url).content.decode()
    # What the person volunteered for is shown by name, not offered.
    assert "Egyptian Arabic, German" in page
    assert 'name="translates_into"' not in page
    assert 'name="proofread_languages" value="zh-hans"' in page
    assert 'name="proofread_languages" value="en"' not in page
    refused = client.post(
        url, account_form(ordinary, first_name="Renamed", proofread_languages=["zh-hans", "xx"])
    )
    assert refused.status_code == 200
    assert "Select a valid choice. xx is not one of the available choices." in (
        refused.content.decode()
    )
    assert User.objects.get(pk=ordinary.pk).first_name == ordinary.first_name != "Renamed"
    assert User.objects.get(pk=ordinary.pk).proofreads == []
    response = client.post(url, account_form(ordinary, proofread_languages=["arz", "zh-hans"]))
    assert response.status_code == 302
    ordinary.refresh_from_db()
    assert ordinary.proofreads == ["zh-hans", "arz"]
    checked = re.findall(
        r'<input type="checkbox" name="proofread_languages" value="([a-z-]+)"[^>]* checked>',
        client.get(url).content.decode(),
    )
    assert checked == ["zh-hans", "arz"]
    # Saved again without them, the person proofreads nothing.
    client.post(url, account_form(ordinary))
    ordinary.refresh_from_db()
    assert ordinary.proofreads == []


def test_the_person_cannot_assign_themselves_in_the_admin(client):
    """Only who may change accounts in the admin assigns: a translator has no admin."""
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("admin:strategy_user_change", args=[person.pk]),
        account_form(person, proofread_languages=["zh-hans"]),
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    person.refresh_from_db()
    assert person.proofreads == []
