from celery import shared_task
from django.utils import timezone

from . import services

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "retry_kwargs": {"max_retries": 3}}


@shared_task(time_limit=300, soft_time_limit=270, **RETRY)
def review_assignments_roll_over() -> int:
    """Create the next assignment of every recurring review whose period has passed.
    Safe to run twice (see services.assignments_roll_over)."""
    return services.assignments_roll_over(today=timezone.localdate())


@shared_task(time_limit=60, soft_time_limit=50, **RETRY)
def review_assigned_notify(assignment_id: int) -> bool:
    """Tell a reviewer about a new assignment, once. assignment_create records the notice
    itself now; this stays for the tasks queued before, and is safe to run again."""
    return services.reminder_assigned(assignment_id=assignment_id)


@shared_task(time_limit=300, soft_time_limit=270, **RETRY)
def version_diff_precompute(version_id: int) -> bool:
    """Compare a newly published version with the one before it and keep the diff.
    Safe to run twice (see version_diffs.version_diff_precompute)."""
    from .text.version_diffs import version_diff_precompute as precompute

    return precompute(version_id=version_id)


@shared_task(time_limit=600, soft_time_limit=570, **RETRY)
def review_reminders_send() -> int:
    """The review reminders due today (before, on and after the due date), each once."""
    return services.reminders_due(today=timezone.localdate())
