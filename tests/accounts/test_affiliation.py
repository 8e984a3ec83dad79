"""A person's affiliation: stated on the profile, recorded by their current memberships,
shown beside their name in the groups' lists of people."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from groups import services as group_services
from groups.models import Affiliation, Membership, Role
from strategy.models import User
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def profile_form(person, **fields):
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "language": person.language,
        "affiliation": person.affiliation,
        "organization": person.organization,
        **fields,
    }


def test_the_profile_states_the_affiliation_and_current_memberships_follow(
    client, working_group, working_group_factory
):
    person = UserFactory(first_name="Ana", last_name="Lima")
    current = MembershipFactory(user=person, working_group=working_group)
    other = MembershipFactory(user=person, role=Role.COORDINATOR)
    ended = MembershipFactory(
        user=person,
        working_group=working_group_factory(),
        joined_on=timezone.localdate() - timezone.timedelta(days=400),
        left_on=timezone.localdate() - timezone.timedelta(days=30),
    )
    client.force_login(person)
    response = client.post(
        reverse("account_profile"),
        profile_form(person, affiliation="staff", organization="  Wikimedia Deutschland "),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.affiliation, person.organization) == ("staff", "Wikimedia Deutschland")
    for membership in (current, other):
        membership.refresh_from_db()
        assert membership.affiliation == Affiliation.ORGANIZED_GROUP_STAFF
        latest = membership.history.latest()
        assert latest.history_change_reason == "Affiliation changed on the profile"
    # What was, stays: a membership that ended keeps the affiliation it had.
    ended.refresh_from_db()
    assert ended.affiliation == Affiliation.INDIVIDUAL

    page = client.get(reverse("account_profile")).text
    assert 'value="Wikimedia Deutschland"' in page
    assert "(Organized group staff, Wikimedia Deutschland)" in page
    group_page = client.get(working_group.get_absolute_url()).text
    assert "(Organized group staff, Wikimedia Deutschland)" in group_page


def test_an_organized_group_named_by_an_individual_contributor_is_refused_and_kept(client):
    person = UserFactory(first_name="Ana", last_name="Lima")
    membership = MembershipFactory(user=person, affiliation=Affiliation.ORGANIZED_GROUP_BOARD)
    client.force_login(person)
    response = client.post(
        reverse("account_profile"),
        profile_form(
            person,
            first_name="Anabel",
            affiliation="individual",
            organization="Wikimedia Brasil",
        ),
    )
    assert response.status_code == 422
    page = response.text
    assert "Name an organized group only if you are on its staff or its board" in page
    # What was typed is in the form; nothing of it is saved.
    assert 'value="Wikimedia Brasil"' in page
    assert 'value="Anabel"' in page
    assert '<option value="individual" selected>' in page
    person.refresh_from_db()
    assert (person.first_name, person.affiliation, person.organization) == ("Ana", "", "")
    membership.refresh_from_db()
    assert membership.affiliation == Affiliation.ORGANIZED_GROUP_BOARD
    # The header names the person as saved, not as typed.
    assert "Sign out (Ana Lima)" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"affiliation": "chief"}, "Select a valid choice."),
        (
            {"affiliation": "staff", "organization": "W" * 201},
            "Ensure this value has at most 200 characters",
        ),
    ],
)
def test_bad_affiliation_input_is_refused_with_a_reason(client, fields, message):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("account_profile"), profile_form(person, **fields))
    assert response.status_code == 422
    assert message in response.text
    person.refresh_from_db()
    assert (person.affiliation, person.organization) == ("", "")


def test_not_stating_an_affiliation_leaves_the_memberships_as_they_are(client):
    person = UserFactory(affiliation="staff")
    membership = MembershipFactory(user=person, affiliation=Affiliation.ORGANIZED_GROUP_STAFF)
    client.force_login(person)
    response = client.post(reverse("account_profile"), profile_form(person, affiliation=""))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.affiliation == ""
    membership.refresh_from_db()
    assert membership.affiliation == Affiliation.ORGANIZED_GROUP_STAFF


def test_an_invitation_records_the_persons_stated_affiliation(working_group):
    person = UserFactory(affiliation="board", organization="Wikimedia Norge")
    invitation = group_services.invitation_create(
        email=person.email, working_group=working_group, affiliation=Affiliation.INDIVIDUAL
    )
    membership = group_services.invitation_accept(invitation=invitation, user=person)
    assert membership.affiliation == Affiliation.ORGANIZED_GROUP_BOARD
    person.refresh_from_db()
    assert person.affiliation == "board"


def test_an_invitation_gives_an_unstated_affiliation_the_invitations(working_group):
    person = UserFactory()
    invitation = group_services.invitation_create(
        email=person.email,
        working_group=working_group,
        affiliation=Affiliation.ORGANIZED_GROUP_STAFF,
    )
    membership = group_services.invitation_accept(invitation=invitation, user=person)
    assert membership.affiliation == Affiliation.ORGANIZED_GROUP_STAFF
    person.refresh_from_db()
    assert person.affiliation == "staff"


def test_a_new_account_from_an_invitation_states_the_invitations_affiliation(working_group):
    invitation = group_services.invitation_create(
        email="new.person@example.org",
        working_group=working_group,
        affiliation=Affiliation.ORGANIZED_GROUP_BOARD,
    )
    user, membership = group_services.invitation_accept_as_new_user(
        invitation=invitation, username="newperson", password="a-long-passphrase-2019"
    )
    assert (user.affiliation, membership.affiliation) == ("board", "board")


def test_the_admin_shows_the_stated_affiliation_and_changes_it_nowhere(client):
    """The person states it; a posted value is ignored, as are the memberships."""
    client.force_login(CoreTeamFactory())
    person = UserFactory(affiliation="staff", organization="Wikimedia UK")
    membership = MembershipFactory(user=person, affiliation=Affiliation.ORGANIZED_GROUP_STAFF)
    url = reverse("admin:strategy_user_change", args=[person.pk])
    assert "Wikimedia UK" in client.get(url).text
    response = client.post(
        url,
        {
            "username": person.username,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "is_active": "on",
            "language": "",
            "affiliation": "individual",
            "organization": "",
            "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.affiliation, person.organization) == ("staff", "Wikimedia UK")
    membership.refresh_from_db()
    assert membership.affiliation == Affiliation.ORGANIZED_GROUP_STAFF


def test_the_database_refuses_an_organized_group_without_its_affiliation():
    from django.db import IntegrityError

    person = UserFactory()
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=person.pk).update(affiliation="individual", organization="WMDE")


def test_the_data_download_has_the_affiliation(client):
    person = UserFactory(affiliation="staff", organization="Wikimedia Deutschland")
    client.force_login(person)
    account = client.get(reverse("account_data")).json()["account"]
    assert (account["affiliation"], account["organization"]) == ("staff", "Wikimedia Deutschland")


def test_deleting_the_account_forgets_the_affiliation(client):
    person = UserFactory(affiliation="staff", organization="Wikimedia Deutschland")
    client.force_login(person)
    client.post(reverse("account_delete"), {"confirm": "on"})
    person.refresh_from_db()
    assert (person.affiliation, person.organization) == ("", "")


BEFORE = [
    ("strategy", "0006_notice_to_an_address"),
    ("groups", "0007_remove_invitation_send_state"),
]
AFTER = [("strategy", "0007_person_affiliation")]


@pytest.mark.django_db(transaction=True)
def test_existing_accounts_start_with_the_affiliation_their_memberships_agree_on():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldUser = old.get_model("strategy", "User")
    Area = old.get_model("groups", "ThematicArea")
    Group = old.get_model("groups", "WorkingGroup")
    OldMembership = old.get_model("groups", "Membership")
    area = Area.objects.create(name="Area", slug="area")
    one = Group.objects.create(name="One", slug="one", thematic_area=area)
    two = Group.objects.create(name="Two", slug="two", thematic_area=area)
    agreed = OldUser.objects.create(username="agreed", email="agreed@example.org")
    mixed = OldUser.objects.create(username="mixed", email="mixed@example.org")
    none = OldUser.objects.create(username="none", email="none@example.org")
    today = timezone.localdate()
    for group in (one, two):
        OldMembership.objects.create(
            user=agreed, working_group=group, role="member", affiliation="board", joined_on=today
        )
    OldMembership.objects.create(
        user=mixed, working_group=one, role="member", affiliation="staff", joined_on=today
    )
    OldMembership.objects.create(
        user=mixed, working_group=two, role="member", affiliation="individual", joined_on=today
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("strategy", "User")
    assert {u.username: u.affiliation for u in new.objects.all()} == {
        agreed.username: "board",
        mixed.username: "",
        none.username: "",
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Membership.objects.count() == 4
