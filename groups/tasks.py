from celery import shared_task

from strategy.notices import SendFailed

from . import services


@shared_task(
    autoretry_for=(SendFailed,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    time_limit=60,
    soft_time_limit=50,
)
def invitation_send(invitation_id: int) -> bool:
    """Send the invitation e-mail once, in the invitation's language; True when it left
    now (see services.invitation_deliver: claimed first, so a rerun sends nothing)."""
    return services.invitation_deliver(invitation_id=invitation_id) == "sent"


def invitations_requeue() -> int:
    """Queue again the invitation e-mails no worker picked up, and flag the interrupted
    ones; run by the notices' sweep (strategy.tasks.notices_sweep), on its beat entry."""
    waiting, _interrupted = services.invitations_stuck()
    for invitation_id in waiting:
        invitation_send.delay(invitation_id)
    return len(waiting)
