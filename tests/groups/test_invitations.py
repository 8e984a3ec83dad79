import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def invite(client, group, core_user, capture, **data):
    client.force_login(core_user)
    payload = {
        "email": "new.person@example.org",
        "role": Role.MEMBER,
        "affiliation": "individual",
        "language": "en",
        **data,
    }
    with capture(execute=True):
        response = client.post(reverse("groups:invite", args=[group.slug]), payload)
    client.logout()
    return response


def link_path(message) -> str:
    url = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def test_core_team_invites_and_the_email_carries_a_working_link(
    client, working_group, core_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    response = invite(
        client,
        working_group,
        core_team_user,
        django_capture_on_commit_callbacks,
        role=Role.COORDINATOR,
    )
    assert response.status_code == 302
    assert response["Location"] == working_group.get_absolute_url()
    invitation = Invitation.objects.get()
    assert invitation.invited_by == core_team_user
    assert invitation.notice.sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.subject == f"You are invited to join {working_group.name}"
    assert f"join {working_group.name} as Coordinator" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert client.get(link_path(message)).status_code == 200


def test_invitation_email_is_in_the_chosen_language(
    client, working_group, core_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        client,
        working_group,
        core_team_user,
        django_capture_on_commit_callbacks,
        language="zh-hans",
    )
    assert mailoutbox[0].subject == f"您受邀加入{working_group.name}"
    assert "/zh-hans/groups/invitations/" in mailoutbox[0].body
    html = mailoutbox[0].alternatives[0][0]
    assert '<html lang="zh-hans" dir="ltr">' in html
    assert f"<title>您受邀加入{working_group.name}</title>" in html


def test_sending_twice_sends_one_email(
    working_group, mailoutbox, django_capture_on_commit_callbacks
):
    from strategy.tasks import notice_send

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(email="a@example.org", working_group=working_group)
    assert notice_send(invitation.notice_id) == "skipped"
    assert len(mailoutbox) == 1


def test_new_person_sets_a_password_and_lands_on_the_group(
    client, working_group, core_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    invite(client, working_group, core_team_user, django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[0])
    response = client.post(
        path,
        {
            "username": "newperson",
            "first_name": "Noor",
            "last_name": "Aziz",
            "password1": "long-enough-passphrase",
            "password2": "long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == working_group.get_absolute_url()
    user = get_user_model().objects.get(username="newperson")
    assert user.email == "new.person@example.org"
    assert user.check_password("long-enough-passphrase")
    assert Membership.objects.filter(user=user, working_group=working_group).exists()
    page = client.get(response["Location"])
    assert "Noor Aziz" in page.content.decode()
    assert page.wsgi_request.user == user


def test_reused_link_says_so(client, working_group, user):
    invitation = services.invitation_create(email=user.email, working_group=working_group)
    services.invitation_accept(invitation=invitation, user=user)
    response = client.get(
        reverse("groups:invitation_accept", args=[services.invitation_token(invitation)])
    )
    assert response.status_code == 410
    assert "has been used already" in response.content.decode()
    with pytest.raises(services.InvitationError, match="used"):
        services.invitation_accept(invitation=invitation, user=user)
    assert Membership.objects.filter(user=user).count() == 1


def test_expired_link_says_so_and_creates_nobody(client, working_group):
    invitation = services.invitation_create(email="late@example.org", working_group=working_group)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    path = reverse("groups:invitation_accept", args=[services.invitation_token(invitation)])
    response = client.post(
        path, {"username": "late", "password1": "long-enough-pass", "password2": "long-enough-pass"}
    )
    assert response.status_code == 410
    assert "This invitation expired on" in response.content.decode()
    assert not get_user_model().objects.filter(username="late").exists()


def test_wrong_user_is_told_to_sign_out(client, working_group, user):
    invitation = services.invitation_create(
        email="someone.else@example.org", working_group=working_group
    )
    client.force_login(user)
    path = reverse("groups:invitation_accept", args=[services.invitation_token(invitation)])
    assert client.get(path).status_code == 403
    response = client.post(path)
    assert response.status_code == 403
    assert "another e-mail address" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(services.InvitationError, match="wrong_user"):
        services.invitation_accept(invitation=invitation, user=user)


@pytest.mark.parametrize("token", ["nonsense", "eyJpIjoxfQ:1abc:forged"])
def test_forged_or_broken_link_is_not_found(client, token):
    response = client.get(reverse("groups:invitation_accept", args=[token]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_token_of_a_deleted_invitation_is_not_found(client, working_group):
    invitation = services.invitation_create(email="gone@example.org", working_group=working_group)
    token = services.invitation_token(invitation)
    invitation.delete()
    assert client.get(reverse("groups:invitation_accept", args=[token])).status_code == 404


def test_existing_account_signs_in_then_accepts(client, working_group, user):
    invitation = services.invitation_create(
        email=user.email.upper(), working_group=working_group, role=Role.REVIEWER
    )
    path = reverse("groups:invitation_accept", args=[services.invitation_token(invitation)])
    response = client.get(path)
    assert "exists already" in response.content.decode()
    assert f"next={path}" in response.content.decode()
    client.force_login(user)
    assert "Accept the invitation" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(user=user).role == Role.REVIEWER


def test_signup_errors_keep_what_was_typed(client, working_group, user):
    invitation = services.invitation_create(email="typo@example.org", working_group=working_group)
    path = reverse("groups:invitation_accept", args=[services.invitation_token(invitation)])
    response = client.post(
        path,
        {"username": user.username, "first_name": "Kept", "password1": "123", "password2": "456"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This user name is taken" in html
    assert "The two passwords differ." in html
    assert 'value="Kept"' in html
    assert not Invitation.objects.get(pk=invitation.pk).is_accepted


def test_invalid_invitation_form_shows_errors(client, working_group, core_team_user):
    client.force_login(core_team_user)
    response = client.post(
        reverse("groups:invite", args=[working_group.slug]),
        {"email": "not an address", "role": "chief", "affiliation": "individual", "language": "en"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member", 403),
        ("coordinator", 403),
        ("staff_only", 403),
        ("core_team", 200),
        ("superuser", 200),
    ],
)
def test_who_may_invite(client, working_group, membership_factory, user_factory, who, status):
    """Only the core team (and superusers) invite people; see docs/permissions.md."""
    if who == "core_team":
        from tests.factories import CoreTeamFactory

        client.force_login(CoreTeamFactory())
    elif who in ("member", "coordinator"):
        membership = membership_factory(working_group=working_group, role=who)
        client.force_login(membership.user)
    elif who == "staff_only":
        client.force_login(user_factory(is_staff=True))
    elif who == "superuser":
        client.force_login(user_factory(is_staff=True, is_superuser=True))
    response = client.get(reverse("groups:invite", args=[working_group.slug]))
    assert response.status_code == status
    if status == 200:
        assert "Invite a person to" in response.content.decode()


def test_an_invitation_the_server_refused_stays_pending_then_fails(working_group, settings):
    """A send that surely did not leave (no connection) gives the invitation back to the
    queue with the error, and after the last attempt leaves it failed for the core team."""
    from strategy.mailer import SendFailed, notice_deliver

    settings.EMAIL_BACKEND = "tests.strategy.failing_email.Backend"
    settings.NOTICE_MAX_ATTEMPTS = 2
    invitation = services.invitation_create(email="nobody@example.org", working_group=working_group)
    with pytest.raises(SendFailed):
        notice_deliver(invitation.notice_id)
    notice = invitation.notice
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("pending", 1)
    assert "Connection refused" in notice.last_error
    assert notice_deliver(invitation.notice_id) == "failed"
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("failed", 2)
    assert notice.sent_at is None


@override_settings(LANGUAGES=[("en", "English"), ("zh-hans", "Simplified Chinese")])
def test_the_invitation_languages_are_the_languages_of_the_settings_in_force(
    client, working_group, core_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    """The language choices are read from settings.LANGUAGES when the form is used, not when
    the model is imported: a language the site no longer has is refused, and not offered."""
    response = invite(
        client, working_group, core_team_user, django_capture_on_commit_callbacks, language="de"
    )
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    assert not Invitation.objects.exists()
    assert mailoutbox == []
    client.force_login(core_team_user)
    html = client.get(reverse("groups:invite", args=[working_group.slug])).content.decode()
    assert '<option value="zh-hans"' in html
    assert '<option value="de"' not in html
    others = [field.name for field in Invitation._meta.fields if field.name != "language"]
    with pytest.raises(ValidationError) as refused:
        Invitation(language="de").clean_fields(exclude=others)
    assert list(refused.value.message_dict) == ["language"]


def test_signed_in_with_wikimedia_the_link_holder_accepts_whatever_the_address(working_group, user):
    """The address check gives way only to a Wikimedia sign-in; used once, all the same."""
    invitation = services.invitation_create(
        email="someone.else@example.org", working_group=working_group
    )
    with pytest.raises(services.InvitationError, match="wrong_user"):
        services.invitation_accept(invitation=invitation, user=user)
    membership = services.invitation_accept(invitation=invitation, user=user, via_wikimedia=True)
    assert membership.user == user
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    with pytest.raises(services.InvitationError, match="used"):
        services.invitation_accept(invitation=invitation, user=user, via_wikimedia=True)


def test_only_a_wikimedia_sign_in_of_this_session_counts(rf, user):
    """A connected Wikimedia account is not enough: the session must have signed in with it."""
    from allauth.account.internal.flows.login import record_authentication
    from django.contrib.sessions.backends.db import SessionStore

    from strategy.sessions import signed_in_with_wikimedia

    request = rf.get("/")
    request.session = SessionStore()
    request.user = user
    record_authentication(request, user, "password", username=user.username)
    assert not signed_in_with_wikimedia(request=request)
    record_authentication(request, user, "socialaccount", provider="mediawiki", uid="4711")
    assert signed_in_with_wikimedia(request=request)
    # The record is of the session's person: another signed in on it has none.
    request.user = get_user_model().objects.create(username="other", email="o@example.org")
    assert not signed_in_with_wikimedia(request=request)


def test_the_wrong_user_page_offers_a_wikimedia_sign_in(client, working_group, user):
    invitation = services.invitation_create(
        email="someone.else@example.org", working_group=working_group
    )
    client.force_login(user)
    path = reverse("groups:invitation_accept", args=[services.invitation_token(invitation)])
    page = client.get(path).content.decode()
    assert "Or sign in with your Wikimedia account instead" in page
    assert f'name="next" value="{path}"' in page


def test_the_confirmation_names_the_affiliation_to_be_recorded(client, working_group, user):
    invitation = services.invitation_create(
        email=user.email, working_group=working_group, affiliation="board"
    )
    client.force_login(user)
    path = reverse("groups:invitation_accept", args=[services.invitation_token(invitation)])
    page = client.get(path).content.decode()
    assert "Your affiliation in the group: Organized group board." in page
    assert "The invitation was sent to" not in page
