"""The beat schedule in the database, where the core team edits it (admin: Periodic tasks).

settings.PERIODIC_TASKS holds the entries the project starts with. They are written once
each, by `manage.py sync_beat_schedule` at deploy, never over an entry that exists: an
interval the core team changed stays changed across deploys and beat restarts. (Given as
CELERY_BEAT_SCHEDULE instead, django-celery-beat would write them again each time beat
starts.)
"""

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask


@transaction.atomic
def beat_schedule_sync() -> tuple[list[str], list[str]]:
    """Add each entry of settings.PERIODIC_TASKS that the database lacks, by name.
    Returns the names added and the names left as they were. Safe to run as often as
    you like."""
    created, kept = [], []
    existing = set(
        PeriodicTask.objects.filter(name__in=settings.PERIODIC_TASKS).values_list("name", flat=True)
    )
    for name, entry in settings.PERIODIC_TASKS.items():
        if name in existing:
            kept.append(name)
            continue
        every = {"every": int(entry["schedule"]), "period": IntervalSchedule.SECONDS}
        # Intervals are not unique in django-celery-beat: the admin may hold two alike.
        interval = IntervalSchedule.objects.filter(**every).order_by(
            "pk"
        ).first() or IntervalSchedule.objects.create(**every)
        # get_or_create: two deploys running this at once add each entry once (the name
        # is unique), and the later one leaves it alone.
        _task, made = PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": entry["task"], "interval": interval}
        )
        (created if made else kept).append(name)
    return created, kept
