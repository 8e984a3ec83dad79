"""Each invitation's e-mail becomes an e-mail of the ledger (strategy.Notice), in the state
it had: one that left stays sent, one in doubt stays in doubt, one still waiting (or failed)
waits there, for the sweep to send once; one of an invitation accepted or expired since is
cancelled, as it would never have been sent. Its subject and text are written as the
invitation's e-mail is now, in its language, with the same link."""

from django.core import signing
from django.db import migrations
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

# As in groups/services.py when this was written.
INVITATION_SALT = "groups.invitation"
TEMPLATE = "groups/notices/invitation"


def _render(name: str, context: dict) -> str:
    return get_template(name).template.render(Context(context, autoescape=False))


def _name(person) -> str:
    return f"{person.first_name} {person.last_name}".strip() or person.username


def into_the_ledger(apps, schema_editor):
    Invitation = apps.get_model("groups", "Invitation")
    Notice = apps.get_model("strategy", "Notice")
    roles = dict(Invitation._meta.get_field("role").flatchoices)
    now = timezone.now()
    for invitation in Invitation.objects.select_related("working_group", "invited_by"):
        group = invitation.working_group
        state = invitation.send_state
        if state in ("pending", "failed") and (
            invitation.accepted_at is not None or invitation.expires_at <= now
        ):
            state = "cancelled"
        with translation.override(invitation.language):
            column = "name_" + invitation.language.replace("-", "_")
            context = {
                "invitation": {
                    "get_role_display": translation.gettext(roles[invitation.role]),
                    "expires_at": invitation.expires_at,
                    "invited_by": invitation.invited_by
                    and {"display_name": _name(invitation.invited_by)},
                },
                "group": {"name": getattr(group, column, None) or group.name},
            }
            token = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)
            url = reverse("groups:invitation_accept", kwargs={"token": token})
            subject = " ".join(_render(f"{TEMPLATE}_subject.txt", context).split())
            body = _render(f"{TEMPLATE}.txt", context).strip()
        notice = Notice.objects.create(
            key=f"invitation:{invitation.pk}:{invitation.expires_at.isoformat()}",
            email=invitation.email,
            kind="invitation",
            subject=subject,
            body=body,
            url=url,
            language=invitation.language,
            state=state,
            attempts=invitation.send_attempts,
            last_error=invitation.send_error,
            claimed_at=invitation.sent_at,
            sent_at=invitation.sent_at if state == "sent" else None,
        )
        Notice.objects.filter(pk=notice.pk).update(created_at=invitation.created_at)
        Invitation.objects.filter(pk=invitation.pk).update(notice=notice)


def out_of_the_ledger(apps, schema_editor):
    """The latest e-mail's state back on each invitation; the ledger's invitation e-mails
    go, so that the ledger can again hold only notices to people."""
    Invitation = apps.get_model("groups", "Invitation")
    Notice = apps.get_model("strategy", "Notice")
    for invitation in Invitation.objects.select_related("notice").exclude(notice=None):
        notice = invitation.notice
        Invitation.objects.filter(pk=invitation.pk).update(
            # A cancelled one was never sent: it waited, and was skipped, before.
            send_state="pending" if notice.state == "cancelled" else notice.state,
            send_attempts=notice.attempts,
            send_error=notice.last_error,
            sent_at=notice.claimed_at,
        )
    Invitation.objects.update(notice=None)
    Notice.objects.filter(kind="invitation", recipient__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("groups", "0005_invitation_notice"),
    ]

    operations = [
        migrations.RunPython(into_the_ledger, out_of_the_ledger),
    ]
