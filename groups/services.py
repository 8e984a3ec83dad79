"""Writes for the groups app: invitations and memberships."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from strategy import mailer
from strategy.email_addresses import email_address_mark_verified
from strategy.models import Notice

from .models import Affiliation, Invitation, Membership, Role, WorkingGroup

INVITATION_SALT = "groups.invitation"
INVITATION_KIND = "invitation"


class InvitationError(Exception):
    """Why an invitation link cannot be used. `code` is one of: invalid, expired, used,
    wrong_user."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def invitation_token(invitation: Invitation) -> str:
    """The signed token for the invitation's link. Stable for one invitation."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a token stands for. Raises InvitationError("invalid") when the token
    was not made by this site or names no invitation."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
        return Invitation.objects.select_related("working_group").get(pk=data["i"], nonce=data["n"])
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError) as error:
        raise InvitationError("invalid") from error


def invitation_check(*, invitation: Invitation, user=None, via_wikimedia: bool = False) -> None:
    """Raise InvitationError if the invitation can no longer be used, or not by `user`.

    A signed-in person may use it if it was sent to their account's address; or, holding
    the link, if they signed in with their Wikimedia account (`via_wikimedia`): a wiki
    account's address is often another than the one the core team knows, and the wiki
    vouches for the person as the link vouches for the address.
    """
    if invitation.is_accepted:
        raise InvitationError("used")
    if invitation.is_expired:
        raise InvitationError("expired")
    signed_in = user is not None and user.is_authenticated
    if signed_in and not via_wikimedia and user.email.casefold() != invitation.email.casefold():
        raise InvitationError("wrong_user")


def account_exists(*, email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


@transaction.atomic
def invitation_create(
    *,
    email: str,
    working_group: WorkingGroup,
    role: str = Role.MEMBER,
    affiliation: str = Affiliation.INDIVIDUAL,
    language: str = "en",
    invited_by=None,
) -> Invitation:
    """Create an invitation and record its e-mail in the ledger, sent once the transaction
    commits. If it cannot be queued (the broker is down), it waits there for the sweep."""
    invitation = Invitation(
        email=email.strip(),
        working_group=working_group,
        role=role,
        affiliation=affiliation,
        language=language,
        invited_by=invited_by,
        nonce=secrets.token_hex(16),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    _invitation_email_record(invitation)
    return invitation


def _invitation_email_record(invitation: Invitation) -> None:
    """Record an e-mail of the invitation in the ledger, to its address, in its language,
    and point the invitation at it. Its key names the invitation and the end of validity
    the e-mail states, so each send (the first, each resend) is an e-mail of its own."""
    with translation.override(invitation.language):
        path = reverse("groups:invitation_accept", kwargs={"token": invitation_token(invitation)})
    invitation.notice, _created = mailer.email_record(
        key=f"invitation:{invitation.pk}:{invitation.expires_at.isoformat()}",
        email=invitation.email,
        kind=INVITATION_KIND,
        template="groups/notices/invitation",
        context={"invitation": invitation, "group": invitation.working_group},
        language=invitation.language,
        url=path,
    )
    invitation.save(update_fields=["notice"])


def _open_invitation(invitation: Invitation) -> Invitation:
    """The invitation, locked, if it can still be accepted; a ValidationError otherwise."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise ValidationError(_("This invitation was accepted."), code="accepted")
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired or was revoked."), code="expired")
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, user) -> Invitation:
    """Send an open invitation's e-mail again (the same link), valid again for
    INVITATION_VALID_DAYS from now: a new e-mail in the ledger. Refused while the last one
    is waiting or being sent, so one click never sends it twice; a last one that failed is
    cancelled, so only the new one can go out."""
    invitation = _open_invitation(invitation)
    previous = invitation.notice
    if previous is not None and previous.state in (Notice.State.PENDING, Notice.State.SENDING):
        raise ValidationError(
            _("This invitation's e-mail is already on its way."), code="already_queued"
        )
    if previous is not None:
        mailer.notice_cancel(notice_id=previous.pk)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["expires_at"])
    _invitation_email_record(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    """Revoke an open invitation: it expires now, so its link says so, and its e-mail, if
    not yet sent, is cancelled in the ledger."""
    invitation = _open_invitation(invitation)
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at"])
    if invitation.notice_id is not None:
        mailer.notice_cancel(notice_id=invitation.notice_id)
    return invitation


def invitation_affiliation(*, invitation: Invitation, user) -> str:
    """The affiliation the membership records when `user` accepts: the one the person
    states on their profile, else the one the core team gave the invitation."""
    return user.affiliation or invitation.affiliation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user, via_wikimedia: bool = False) -> Membership:
    """Accept the invitation as `user`: add the membership and mark the invitation used.
    `via_wikimedia`: the person signed in with their Wikimedia account (invitation_check).

    Locks the invitation row, so two clicks on the same link create one membership.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check(invitation=invitation, user=user, via_wikimedia=via_wikimedia)
    if not user.affiliation:
        # What the core team knew of the person stands until they say otherwise.
        user.affiliation = invitation_affiliation(invitation=invitation, user=user)
        user.save(update_fields=["affiliation"])
    membership = Membership.objects.filter(
        user=user,
        working_group_id=invitation.working_group_id,
        role=invitation.role,
        left_on__isnull=True,
    ).first()
    if membership is None:
        membership = Membership(
            user=user,
            working_group_id=invitation.working_group_id,
            role=invitation.role,
            affiliation=user.affiliation,
        )
        membership.full_clean()
        membership._change_reason = _("Accepted an invitation")
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # Accepted through an earlier e-mail's link: a later one still waiting is not sent.
    if invitation.notice_id is not None:
        mailer.notice_cancel(notice_id=invitation.notice_id)
    return membership


@transaction.atomic
def memberships_affiliation_follow(*, user) -> int:
    """Record the person's stated affiliation in each of their current memberships (those not
    ended), each change in the membership's history. A person who states none leaves their
    memberships as they are. Returns how many changed."""
    if not user.affiliation:
        return 0
    today = timezone.localdate()
    changed = 0
    for membership in (
        Membership.objects.select_for_update()
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today), user=user)
        .exclude(affiliation=user.affiliation)
    ):
        membership.affiliation = user.affiliation
        membership._change_reason = _("Affiliation changed on the profile")
        membership.save(update_fields=["affiliation"])
        changed += 1
    return changed


@transaction.atomic
def invitation_accept_as_new_user(
    *,
    invitation: Invitation,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
):
    """Create the invited person's account with the invitation's e-mail, then accept.

    Raises ValidationError when an account already has that e-mail address: that person
    signs in and accepts instead.
    """
    user_model = get_user_model()
    invitation_check(invitation=invitation)
    if user_model.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            _("An account with this e-mail address exists already: sign in to accept."),
            code="account_exists",
        )
    user = user_model(
        username=username,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        language=invitation.language,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    # The invitation link reached this address: it needs no verification e-mail.
    email_address_mark_verified(user=user)
    membership = invitation_accept(invitation=invitation, user=user)
    return user, membership


def invitation_deleted(sender, instance: Invitation, **kwargs) -> None:
    """A deleted invitation's e-mail not yet sent is cancelled: its link would lead nowhere
    (pre_delete, connected in apps.py)."""
    if instance.notice_id is not None:
        mailer.notice_cancel(notice_id=instance.notice_id)


def invitations_send_again(*, invitations) -> int:
    """Send the failed or in-doubt e-mails of the open ones among `invitations` again (the
    core team checked that an in-doubt one did not arrive). Returns how many are queued."""
    return mailer.notices_send_again(
        notices=Notice.objects.filter(invitation__in=invitations.pending())
    )
