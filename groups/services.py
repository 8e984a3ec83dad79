"""Writes for the groups app: invitations and memberships."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from strategy.accounts.services import email_address_mark_verified

from .models import Affiliation, Invitation, Membership, Role, WorkingGroup

INVITATION_SALT = "groups.invitation"


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


def invitation_check(*, invitation: Invitation, user=None) -> None:
    """Raise InvitationError if the invitation can no longer be used, or not by `user`."""
    if invitation.is_accepted:
        raise InvitationError("used")
    if invitation.is_expired:
        raise InvitationError("expired")
    signed_in = user is not None and user.is_authenticated
    if signed_in and user.email.casefold() != invitation.email.casefold():
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
    """Create an invitation and send its e-mail once the transaction commits."""
    from .tasks import invitation_send

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
    invitation_send.delay_on_commit(invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Accept the invitation as `user`: add the membership and mark the invitation used.

    Locks the invitation row, so two clicks on the same link create one membership.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check(invitation=invitation, user=user)
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
            affiliation=invitation.affiliation,
        )
        membership.full_clean()
        membership._change_reason = _("Accepted an invitation")
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


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
