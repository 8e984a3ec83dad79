import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from strategy.notices import MaybeSent, email_send_at_most_once, render_text

from .models import Invitation
from .services import invitation_token

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    time_limit=60,
    soft_time_limit=50,
)
def invitation_send(invitation_id: int) -> bool:
    """Send the invitation e-mail once, in the invitation's language.

    The send is claimed in the database before the message leaves, so a rerun sends
    nothing; a failed send gives the claim back and is retried, one that may have reached
    the server keeps it and is not (strategy.notices.email_send_at_most_once). Does nothing
    for an invitation that was accepted, deleted or already sent.
    """
    claimed = Invitation.objects.filter(
        pk=invitation_id, accepted_at__isnull=True, sent_at__isnull=True
    ).update(sent_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("working_group", "invited_by").get(
        pk=invitation_id
    )
    try:
        _send(invitation)
    except MaybeSent:
        # It may have arrived: a retry could send a second copy. The claim stays; if the
        # person says nothing came, the core team sends a new invitation.
        logger.warning("Invitation %s may or may not have left", invitation_id, exc_info=True)
        return False
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(sent_at=None)
        raise
    return True


def _send(invitation: Invitation) -> None:
    with translation.override(invitation.language):
        path = reverse("groups:invitation_accept", kwargs={"token": invitation_token(invitation)})
        context = {
            "invitation": invitation,
            "group": invitation.working_group,
            "url": settings.SITE_URL + path,
        }
        subject = render_text("groups/email/invitation_subject.txt", context).strip()
        body = render_text("groups/email/invitation.txt", context)
        html = render_to_string("groups/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    email_send_at_most_once(message)
