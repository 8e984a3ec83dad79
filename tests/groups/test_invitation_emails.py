"""An invitation's e-mail is an e-mail of the ledger (strategy/mailer.py), to an address with
no account: sent once, each resend an e-mail of its own, stopped by a revoke or an accept,
its state shown on the group's page and in the admin."""

import re

import pytest
from django.urls import reverse

from groups import services
from groups.models import Invitation
from strategy import mailer
from strategy.models import Notice
from tests.factories import CoreTeamFactory

pytestmark = pytest.mark.django_db

EMAIL = "invited.person@example.org"


def test_the_invitation_email_is_a_ledger_row_to_the_address_without_unsubscribing(
    working_group, core_team_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            email=EMAIL, working_group=working_group, invited_by=core_team_user, language="arz"
        )
    notice = Notice.objects.get()
    assert invitation.notice == notice
    assert (notice.recipient, notice.email, notice.kind, notice.topic) == (
        None,
        EMAIL,
        "invitation",
        "",
    )
    assert (notice.language, notice.state, notice.attempts) == ("arz", "sent", 1)
    assert notice.key == f"invitation:{invitation.pk}:{invitation.expires_at.isoformat()}"
    [message] = mailoutbox
    headers = message.message()
    assert message.to == [EMAIL]
    assert message.subject == notice.subject
    assert headers["Message-ID"] == mailer.message_id(notice)
    assert headers["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in headers
    assert "/unsubscribe/" not in message.body
    token = re.search(r"http://testserver/arz/groups/invitations/(\S+)/", message.body).group(1)
    assert services.invitation_from_token(token) == invitation
    assert 'dir="rtl"' in message.alternatives[0][0]
    # The person has no account: the invitation is in nobody's list of notifications.
    assert not Notice.objects.filter(recipient__isnull=False).exists()


def test_accepting_through_an_earlier_email_stops_a_later_one_still_waiting(
    working_group, user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(email=user.email, working_group=working_group)
    # The core team sends it again; the broker does not have the e-mail yet.
    invitation = services.invitation_resend(invitation=invitation, user=None)
    later = invitation.notice
    services.invitation_accept(invitation=invitation, user=user)
    later.refresh_from_db()
    assert later.state == Notice.State.CANCELLED
    assert mailer.notice_deliver(later.pk) == "skipped"
    assert len(mailoutbox) == 1


def test_a_resend_after_a_failed_email_cancels_the_failed_one(
    working_group, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Only the new e-mail can go out: the failed one, if queued again from the ledger's
    admin, sends nothing."""
    settings.EMAIL_BACKEND = "tests.strategy.failing_email.Backend"
    settings.NOTICE_MAX_ATTEMPTS = 1
    invitation = services.invitation_create(email=EMAIL, working_group=working_group)
    failed = invitation.notice
    assert mailer.notice_deliver(failed.pk) == "failed"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_resend(invitation=invitation, user=None)
    failed.refresh_from_db()
    assert failed.state == Notice.State.CANCELLED
    assert invitation.notice.key != failed.key
    assert Notice.objects.get(pk=invitation.notice_id).state == Notice.State.SENT
    assert mailer.notices_send_again(notices=Notice.objects.all()) == 0
    assert [message.to for message in mailoutbox] == [[EMAIL]]


def test_the_admin_sends_again_only_the_emails_of_open_invitations(
    admin_client, working_group, mailoutbox, django_capture_on_commit_callbacks
):
    open_one = services.invitation_create(email="open@example.org", working_group=working_group)
    revoked = services.invitation_create(email="revoked@example.org", working_group=working_group)
    Notice.objects.update(state=Notice.State.IN_DOUBT)
    services.invitation_revoke(invitation=revoked, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:groups_invitation_changelist"),
            {"action": "send_again", "_selected_action": [open_one.pk, revoked.pk]},
            follow=True,
        )
    assert "1 invitation queued again." in response.content.decode()
    assert [message.to for message in mailoutbox] == [["open@example.org"]]
    assert Notice.objects.get(pk=revoked.notice_id).state == Notice.State.IN_DOUBT


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (Notice.State.PENDING, "Queued"),
        (Notice.State.FAILED, "Failed"),
        (Notice.State.IN_DOUBT, "In doubt: may have been sent"),
    ],
)
def test_the_group_page_and_the_admin_show_the_state_of_the_ledger(
    client, admin_client, working_group, state, shown
):
    invitation = services.invitation_create(email=EMAIL, working_group=working_group)
    Notice.objects.filter(pk=invitation.notice_id).update(state=state, last_error="Refused")
    client.force_login(CoreTeamFactory())
    page = client.get(working_group.get_absolute_url()).content.decode()
    row = page[page.index(f'<tr id="invitation-{invitation.pk}">') :].split("</tr>")[0]
    assert shown in row
    changelist = admin_client.get(
        reverse("admin:groups_invitation_changelist"), {"notice__state__exact": state}
    ).content.decode()
    assert EMAIL in changelist
    assert shown in changelist
    change = admin_client.get(
        reverse("admin:groups_invitation_change", args=[invitation.pk])
    ).content.decode()
    assert shown in change
    assert "Refused" in change


def test_an_invitation_whose_email_row_was_deleted_can_be_sent_again(
    client, working_group, mailoutbox, django_capture_on_commit_callbacks
):
    """A superuser may delete a ledger row; the invitation then shows no e-mail, and the
    core team may send it again."""
    invitation = services.invitation_create(email=EMAIL, working_group=working_group)
    Notice.objects.filter(pk=invitation.notice_id).delete()
    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.notice is None
    client.force_login(CoreTeamFactory())
    page = client.get(working_group.get_absolute_url()).content.decode()
    assert f'<tr id="invitation-{invitation.pk}">' in page
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, user=None)
    assert [message.to for message in mailoutbox] == [[EMAIL]]


@pytest.mark.parametrize("how", ["invitation", "group"])
def test_a_deleted_invitations_email_not_yet_sent_is_never_sent(working_group, mailoutbox, how):
    from strategy.tasks import notice_send

    invitation = services.invitation_create(email=EMAIL, working_group=working_group)
    (invitation if how == "invitation" else working_group).delete()
    notice = Notice.objects.get()
    assert notice.state == Notice.State.CANCELLED
    assert notice_send(notice.pk) == "skipped"
    assert mailoutbox == []
