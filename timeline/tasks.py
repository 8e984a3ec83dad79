from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(
    time_limit=600,
    soft_time_limit=570,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 3},
)
def milestone_notices_send() -> int:
    """The milestone notices due today, each once."""
    return services.milestone_notices_due(today=timezone.localdate())
