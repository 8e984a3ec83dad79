"""A person's e-mail addresses as allauth records them (verified, primary)."""

from allauth.account.models import EmailAddress
from django.db import transaction


@transaction.atomic
def email_address_mark_verified(*, user) -> EmailAddress | None:
    """Record the person's e-mail address as verified (and primary if they have none).

    For accounts whose address was proven another way than allauth's verification e-mail:
    an invitation link sent to it, the demo's accounts. Safe to call again.
    """
    if not user.email:
        return None
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        return EmailAddress.objects.create(
            user=user, email=user.email.lower(), verified=True, primary=not has_primary
        )
    if not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return address
