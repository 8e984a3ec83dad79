"""The roles an invitation may carry, the pending invitations on the group's page (seen,
sent again and revoked by the core team only), and a new member's next step."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Invitation, Role, WorkingGroup
from groups.roles import roles_for
from strategy import mailer
from strategy.models import Notice
from tests.factories import CoreTeamFactory

pytestmark = pytest.mark.django_db

EMAIL = "pending.person@example.org"


@pytest.fixture
def synthesis_group(db):
    return WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )


@pytest.fixture
def sent(working_group, core_team_user, django_capture_on_commit_callbacks):
    """An invitation whose e-mail left."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            email=EMAIL, working_group=working_group, invited_by=core_team_user
        )
    invitation.refresh_from_db()
    assert invitation.notice.state == Notice.State.SENT
    return invitation


def offered_roles(client, group) -> set[str]:
    client.force_login(CoreTeamFactory())
    response = client.get(reverse("groups:invite", args=[group.slug]))
    return {value for value, _label in response.context["form"].fields["role"].choices}


def test_a_thematic_group_is_offered_no_writer_or_connector(client, working_group):
    offered = offered_roles(client, working_group)
    assert Role.WRITER not in offered
    assert Role.CONNECTOR not in offered
    assert {Role.MEMBER, Role.COORDINATOR, Role.REVIEWER, Role.CORE_TEAM_LIAISON} <= offered
    assert offered == {role.value for role in roles_for(kind=working_group.kind)}


def test_the_synthesis_group_is_offered_writer_and_connector(client, synthesis_group):
    assert {Role.WRITER, Role.CONNECTOR} <= offered_roles(client, synthesis_group)


def test_a_role_the_group_lacks_is_refused_by_the_form_and_the_service(
    client, working_group, core_team_user
):
    client.force_login(core_team_user)
    response = client.post(
        reverse("groups:invite", args=[working_group.slug]),
        {"email": EMAIL, "role": Role.WRITER, "affiliation": "individual", "language": "en"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("role")
    with pytest.raises(ValidationError) as caught:
        services.invitation_create(email=EMAIL, working_group=working_group, role=Role.CONNECTOR)
    assert caught.value.error_dict["role"][0].code == "role_not_in_group"
    assert not Invitation.objects.exists()


WHO = ["anonymous", "signed_in", "member", "coordinator", "staff_only", "core_team"]


def sign_in(client, who, working_group, membership_factory, user_factory):
    if who == "core_team":
        client.force_login(CoreTeamFactory())
    elif who in ("member", "coordinator"):
        client.force_login(membership_factory(working_group=working_group, role=who).user)
    elif who == "signed_in":
        client.force_login(user_factory())
    elif who == "staff_only":
        client.force_login(user_factory(is_staff=True))


@pytest.mark.parametrize("who", WHO)
def test_who_sees_the_pending_invitations(
    client, working_group, sent, membership_factory, user_factory, who
):
    sign_in(client, who, working_group, membership_factory, user_factory)
    page = client.get(working_group.get_absolute_url()).content.decode()
    assert (EMAIL in page) == (who == "core_team")
    assert ("Pending invitations" in page) == (who == "core_team")


@pytest.mark.parametrize("who", ["signed_in", "member", "coordinator", "staff_only"])
@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_nobody_but_the_core_team_sends_again_or_revokes(
    client, working_group, sent, membership_factory, user_factory, mailoutbox, who, action
):
    sign_in(client, who, working_group, membership_factory, user_factory)
    response = client.post(reverse(f"groups:{action}", args=[working_group.slug, sent.pk]))
    assert response.status_code == 403
    sent.refresh_from_db()
    assert not sent.is_expired
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_anonymous_is_sent_to_sign_in(client, working_group, sent, action):
    response = client.post(reverse(f"groups:{action}", args=[working_group.slug, sent.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_the_actions_answer_only_post_and_only_the_groups_own_invitations(
    client, working_group, working_group_factory, sent, action
):
    client.force_login(CoreTeamFactory())
    url = reverse(f"groups:{action}", args=[working_group.slug, sent.pk])
    assert client.get(url).status_code == 405
    other = working_group_factory()
    assert client.post(reverse(f"groups:{action}", args=[other.slug, sent.pk])).status_code == 404


def test_the_core_team_sends_one_again(
    client, working_group, sent, mailoutbox, django_capture_on_commit_callbacks
):
    """The same link, again valid for the full period, one e-mail per click."""
    sent.expires_at = timezone.now() + timezone.timedelta(hours=1)
    sent.save(update_fields=["expires_at"])
    client.force_login(CoreTeamFactory())
    url = reverse("groups:invitation_resend", args=[working_group.slug, sent.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Invitation sent again to pending.person@example.org." in response.content.decode()
    assert len(mailoutbox) == 2
    # The same invitation: the links differ only by when they were signed, and both open it.
    links = [re.search(r"https?://\S+/groups/invitations/[^/\s]+/", m.body)[0] for m in mailoutbox]
    token = re.compile(r"/groups/invitations/[^/]+/")
    assert token.sub("/groups/invitations/-/", mailoutbox[0].body) == token.sub(
        "/groups/invitations/-/", mailoutbox[1].body
    )
    client.logout()
    for link in links:
        assert client.get(urlsplit(link).path).status_code == 200
    first = sent.notice
    sent.refresh_from_db()
    assert sent.notice.state == Notice.State.SENT
    assert sent.expires_at > timezone.now() + timezone.timedelta(days=1)
    # A new e-mail of the ledger, with a key and a Message-ID of its own; the first stays.
    assert sent.notice != first
    first.refresh_from_db()
    assert first.state == Notice.State.SENT
    ids = [message.extra_headers["Message-ID"] for message in mailoutbox]
    assert ids == [mailer.message_id(first), mailer.message_id(sent.notice)]
    assert ids[0] != ids[1]


def test_an_invitation_still_waiting_to_be_sent_is_not_queued_twice(
    client, working_group, core_team_user, mailoutbox
):
    # Created outside a commit callback: its e-mail is queued, not yet sent.
    invitation = services.invitation_create(email=EMAIL, working_group=working_group)
    client.force_login(core_team_user)
    url = reverse("groups:invitation_resend", args=[working_group.slug, invitation.pk])
    response = client.post(url, follow=True)
    assert "already on its way" in response.content.decode()
    with pytest.raises(ValidationError) as caught:
        services.invitation_resend(invitation=invitation, user=core_team_user)
    assert caught.value.code == "already_queued"


def test_a_revoked_invitation_leaves_the_list_and_its_link_says_so(
    client, working_group, sent, mailoutbox
):
    from tests.groups.test_invitations import link_path

    client.force_login(CoreTeamFactory())
    url = reverse("groups:invitation_revoke", args=[working_group.slug, sent.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Invitation to pending.person@example.org revoked." in page
    assert f'id="invitation-{sent.pk}"' not in page
    client.logout()
    assert client.get(link_path(mailoutbox[0])).status_code == 410
    with pytest.raises(ValidationError) as caught:
        services.invitation_resend(invitation=sent, user=None)
    assert caught.value.code == "expired"


def test_a_revoked_invitation_not_yet_sent_is_never_sent(working_group, mailoutbox):
    """Revoked while its e-mail waits in the ledger (queued, or the broker was down): the
    e-mail is cancelled, so neither the queued task nor the sweep sends it."""
    from datetime import timedelta

    from strategy.tasks import notice_send, notices_sweep

    invitation = services.invitation_create(email=EMAIL, working_group=working_group)
    services.invitation_revoke(invitation=invitation, user=None)
    notice = Notice.objects.get(pk=invitation.notice_id)
    assert notice.state == Notice.State.CANCELLED
    assert notice_send(notice.pk) == "skipped"
    Notice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert notices_sweep() == 0
    assert mailoutbox == []


def test_an_accepted_invitation_cannot_be_revoked(working_group, sent, user):
    services.invitation_accept(invitation=sent, user=_with_email(user))
    with pytest.raises(ValidationError) as caught:
        services.invitation_revoke(invitation=sent, user=None)
    assert caught.value.code == "accepted"


def _with_email(user):
    user.email = EMAIL
    user.save(update_fields=["email"])
    return user


def test_the_group_page_with_invitations_runs_a_fixed_number_of_queries(
    client, working_group, core_team_user, django_assert_num_queries
):
    client.force_login(core_team_user)
    services.invitation_create(email="first@example.org", working_group=working_group)
    client.get(working_group.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        client.get(working_group.get_absolute_url())
    for index in range(6):
        services.invitation_create(
            email=f"person{index}@example.org",
            working_group=working_group,
            invited_by=core_team_user,
        )
    with django_assert_num_queries(len(small)):
        page = client.get(working_group.get_absolute_url()).content.decode()
    assert page.count('<tr id="invitation-') == 7


@pytest.mark.parametrize(
    ("role", "kind", "label", "url"),
    [
        (Role.MEMBER, "thematic", "Open your group's drafts in the workspace", "workspace"),
        (Role.COORDINATOR, "thematic", "Start a draft", "recommendations:create"),
        (Role.WRITER, "synthesis", "Open the synthesis", "synthesis:overview"),
        (Role.CONNECTOR, "synthesis", "Attach inputs", "synthesis:inputs"),
        (Role.REVIEWER, "thematic", "Assigned to me", "reviews"),
    ],
)
def test_a_member_is_shown_the_next_step_and_it_opens(
    client, working_group, synthesis_group, membership_factory, role, kind, label, url
):
    group = synthesis_group if kind == "synthesis" else working_group
    person = membership_factory(working_group=group, role=role).user
    client.force_login(person)
    response = client.get(group.get_absolute_url())
    steps = {step.label: step.url for step in response.context["next_steps"]}
    assert steps["Open your group's drafts in the workspace"] == (
        f"{reverse('workspace')}?group={group.slug}"
    )
    assert label in steps
    assert steps[label].split("?")[0] == (
        reverse(url, args=[group.slug]) if url == "recommendations:create" else reverse(url)
    )
    assert client.get(steps[label]).status_code == 200
    assert "Your next step" in response.content.decode()


def test_no_next_step_for_someone_outside_the_group(client, working_group, user):
    client.force_login(user)
    response = client.get(working_group.get_absolute_url())
    assert response.context["next_steps"] == []
    assert "Your next step" not in response.content.decode()


def test_a_new_member_lands_on_the_group_page_with_a_next_step(
    client, working_group, core_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.groups.test_invitations import invite, link_path

    invite(client, working_group, core_team_user, django_capture_on_commit_callbacks)
    password = "long-enough-passphrase"
    response = client.post(
        link_path(mailoutbox[0]),
        {"username": "newperson", "password1": password, "password2": password},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == working_group.get_absolute_url()
    page = response.content.decode()
    assert "Your next step" in page
    assert f'href="/workspace/?group={working_group.slug}"' in page
