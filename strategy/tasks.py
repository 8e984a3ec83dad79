from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import mailer, notices
from .audit import audit_prune
from .models import User


@shared_task(
    bind=True,
    autoretry_for=(mailer.SendFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
    time_limit=120,
    soft_time_limit=100,
    acks_late=True,
)
def notice_send(self, notice_id: int) -> str:
    """Send one e-mail of the ledger (a notice, an invitation), once (strategy/mailer.py)."""
    return mailer.notice_deliver(notice_id)


@shared_task(time_limit=300, soft_time_limit=270, acks_late=True)
def notices_send(notice_ids: list[int]) -> dict[str, int]:
    """Send a batch of e-mails of the ledger over one connection, each once
    (strategy/mailer.py: notices_deliver). What it does not reach in its time is queued
    again; what surely did not leave is retried later, with back-off."""
    return mailer.notices_deliver(notice_ids)


@shared_task(time_limit=600, soft_time_limit=570)
def notices_digest_send() -> int:
    """Each person's daily digest, once a day after NOTICE_DIGEST_HOUR."""
    today = timezone.localdate()
    made = 0
    for user in User.objects.filter(pk__in=notices.digests_due()):
        if notices.digest_create(user=user, day=today):
            made += 1
    return made


@shared_task(time_limit=120, soft_time_limit=100, acks_late=True)
def notices_gather_send(recipient_id: int, gather_key: str) -> bool:
    """Send a person's notices gathered under one key (replies in a thread) as one e-mail,
    once the first has waited its time (strategy/notices.py: notices_gather). Safe to run
    twice; run early, it does nothing, and the sweep gathers them later."""
    return notices.notices_gather(recipient_id=recipient_id, gather_key=gather_key) is not None


@shared_task(time_limit=300, soft_time_limit=270)
def notices_sweep() -> int:
    """Gather the notices that have waited their time for others (should their task never
    have arrived), queue again the e-mails of the ledger (notices, invitations) no worker
    picked up (the broker may have been down when they were queued); flag the interrupted
    ones. Returns how many were queued."""
    for recipient_id, gather_key in notices.notices_gathering_due():
        notices.notices_gather(recipient_id=recipient_id, gather_key=gather_key)
    waiting, _interrupted = mailer.notices_stuck()
    size = settings.NOTICE_SEND_BATCH
    for start in range(0, len(waiting), size):
        notices_send.delay(waiting[start : start + size])
    return len(waiting)


@shared_task(time_limit=600, soft_time_limit=570)
def audit_log_prune() -> int:
    """Delete the audit events older than AUDIT_LOG_RETENTION_DAYS (safe to run again)."""
    return audit_prune(days=settings.AUDIT_LOG_RETENTION_DAYS)
