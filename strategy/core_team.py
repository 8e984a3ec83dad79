"""The core team's permission group: the model permissions of the project's own apps and
of the beat schedule, so that daily work needs no superuser."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .predicates import CORE_TEAM_GROUP

APPS = ["groups", "recommendations", "timeline", "strategy", "django_celery_beat"]


def core_team_group() -> Group:
    """Create or bring up to date the core team's group (safe to run again)."""
    group, _ = Group.objects.get_or_create(name=CORE_TEAM_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=APPS).exclude(
        Q(content_type__app_label="strategy", codename__in=["delete_user"])
        # The audit log is for superusers: it records what the core team does too.
        | Q(content_type__app_label="strategy", content_type__model="auditevent")
    )
    group.permissions.set(permissions)
    return group


def sync_after_migrate(sender, **kwargs):
    # Permissions exist only once each app has migrated; syncing after every app keeps
    # the group complete on a fresh database and after new models.
    if sender.label in APPS:
        core_team_group()
