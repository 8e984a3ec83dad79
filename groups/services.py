"""Writes for the groups app: invitations and memberships."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from strategy import notices
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
    """Create an invitation, pending, and queue its e-mail once the transaction commits.
    If it cannot be queued (the broker is down), it stays pending for the sweep."""
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
    INVITATION_VALID_DAYS from now. Refused while its e-mail is waiting or being sent, so
    one click never sends it twice."""
    from .tasks import invitation_send

    invitation = _open_invitation(invitation)
    if invitation.send_state in (Invitation.SendState.PENDING, Invitation.SendState.SENDING):
        raise ValidationError(
            _("This invitation's e-mail is already on its way."), code="already_queued"
        )
    invitation.send_state = Invitation.SendState.PENDING
    invitation.send_attempts = 0
    invitation.send_error = ""
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["send_state", "send_attempts", "send_error", "expires_at"])
    invitation_send.delay_on_commit(invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user) -> Invitation:
    """Revoke an open invitation: it expires now, so its link says so and its e-mail, if
    not yet sent, is not sent (invitation_deliver skips expired ones)."""
    invitation = _open_invitation(invitation)
    invitation.expires_at = timezone.now()
    invitation.save(update_fields=["expires_at"])
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


def _invitation_message(invitation: Invitation) -> EmailMultiAlternatives:
    with translation.override(invitation.language):
        path = reverse("groups:invitation_accept", kwargs={"token": invitation_token(invitation)})
        context = {
            "invitation": invitation,
            "group": invitation.working_group,
            "url": settings.SITE_URL + path,
        }
        subject = notices.render_text("groups/email/invitation_subject.txt", context).strip()
        body = notices.render_text("groups/email/invitation.txt", context)
        html = render_to_string("groups/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    return message


def invitation_deliver(*, invitation_id: int) -> str:
    """Send the invitation e-mail at most once, as strategy.notices.notice_deliver sends a
    notice. Returns sent, skipped (not pending: sent, being sent, left for a person, or
    accepted, expired, revoked or deleted), failed (no more attempts) or in_doubt (it may
    have reached the server: the core team checks, see the admin). Raises
    notices.SendFailed when the message surely did not leave and is tried again."""
    claimed = Invitation.objects.filter(
        pk=invitation_id,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
        send_state=Invitation.SendState.PENDING,
    ).update(
        send_state=Invitation.SendState.SENDING,
        sent_at=timezone.now(),
        send_attempts=F("send_attempts") + 1,
    )
    if not claimed:
        return "skipped"
    invitation = Invitation.objects.select_related("working_group", "invited_by").get(
        pk=invitation_id
    )
    try:
        notices.email_send_at_most_once(_invitation_message(invitation))
    except notices.MaybeSent as error:
        Invitation.objects.filter(pk=invitation_id).update(
            send_state=Invitation.SendState.IN_DOUBT,
            send_error=f"{notices.IN_DOUBT_NOTE} ({error})",
        )
        return "in_doubt"
    except Exception as error:
        # Only a connection or the server's refusal is worth another try; a fault of
        # ours (a template) would fail the same way each time.
        final = invitation.send_attempts >= settings.NOTICE_MAX_ATTEMPTS or not isinstance(
            error, OSError
        )
        Invitation.objects.filter(pk=invitation_id).update(
            send_state=Invitation.SendState.FAILED if final else Invitation.SendState.PENDING,
            sent_at=None,
            send_error=f"{type(error).__name__}: {error}"[:2000],
        )
        if final:
            return "failed"
        raise notices.SendFailed(str(error)) from error
    Invitation.objects.filter(pk=invitation_id).update(send_state=Invitation.SendState.SENT)
    return "sent"


def invitations_stuck(*, now=None) -> tuple[list[int], int]:
    """Open invitations whose e-mail waits longer than a worker takes to pick it up (to
    queue again), and how many sends were interrupted half-way (left in doubt). The same
    thresholds as the notice ledger's (strategy.notices.notices_stuck)."""
    now = now or timezone.now()
    interrupted = Invitation.objects.filter(
        send_state=Invitation.SendState.SENDING, sent_at__lt=now - notices.SENDING_STUCK_AFTER
    ).update(send_state=Invitation.SendState.IN_DOUBT, send_error=notices.INTERRUPTED_NOTE)
    waiting = list(
        Invitation.objects.filter(
            send_state=Invitation.SendState.PENDING,
            accepted_at__isnull=True,
            expires_at__gt=now,
            created_at__lt=now - notices.WAITING_STUCK_AFTER,
        ).values_list("pk", flat=True)[:5000]
    )
    return waiting, interrupted


@transaction.atomic
def invitations_send_again(*, invitations) -> int:
    """Send the failed or in-doubt ones among `invitations` again (the core team checked
    that an in-doubt one did not arrive). Returns how many are queued."""
    from .tasks import invitation_send

    ids = list(
        invitations.filter(
            accepted_at__isnull=True,
            send_state__in=[Invitation.SendState.FAILED, Invitation.SendState.IN_DOUBT],
        ).values_list("pk", flat=True)
    )
    Invitation.objects.filter(pk__in=ids).update(
        send_state=Invitation.SendState.PENDING, send_attempts=0
    )
    for invitation_id in ids:
        invitation_send.delay_on_commit(invitation_id)
    return len(ids)
