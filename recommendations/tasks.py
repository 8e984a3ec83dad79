from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(
    time_limit=300,
    soft_time_limit=270,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 3},
)
def review_assignments_roll_over() -> int:
    """Create the next assignment of every recurring review whose period has passed.
    Safe to run twice (see services.assignments_roll_over)."""
    return services.assignments_roll_over(today=timezone.localdate())
