"""Review reminders: when assigned, a few days before due, on the day, and when overdue
(then to the group's coordinators too). Each is recorded once under its key."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from groups.models import Membership, Role
from recommendations.models import ReviewAssignment
from strategy.models import Topic
from strategy.notices import notice_create

OPEN = (ReviewAssignment.Status.PENDING, ReviewAssignment.Status.ACCEPTED)


def _assignments():
    return ReviewAssignment.objects.select_related(
        "reviewer", "version__recommendation__working_group", "version__revision", "assigned_by"
    )


def _notify(assignment, kind: str, recipient, occasion: str) -> bool:
    made = notice_create(
        key=f"review.{kind}:{assignment.pk}:{recipient.pk}:{occasion}",
        recipient=recipient,
        topic=Topic.REVIEWS,
        kind=f"review.{kind}",
        template=f"recommendations/notices/review_{kind}",
        context={
            "assignment": assignment,
            "version": assignment.version,
            "recommendation": assignment.version.recommendation,
        },
        url=assignment.version.get_absolute_url(),
    )
    return made is not None


def reminder_assigned(*, assignment_id: int) -> bool:
    assignment = _assignments().filter(pk=assignment_id, status__in=OPEN).first()
    if assignment is None:
        return False
    return _notify(assignment, "assigned", assignment.reviewer, "once")


def reminders_due(*, today: date) -> int:
    """Every reminder due `today`; safe to run again the same day, or later (a reminder
    missed on its day is not sent late, except the overdue one)."""
    soon = today + timedelta(days=settings.REVIEW_REMINDER_DAYS_BEFORE)
    made = 0
    due = (
        _assignments()
        .filter(status__in=OPEN)
        .filter(Q(due_on=soon) | Q(due_on=today) | Q(due_on__lt=today))
    )
    overdue_groups = set()
    for assignment in due:
        if assignment.due_on == soon:
            made += _notify(assignment, "due_soon", assignment.reviewer, str(assignment.due_on))
        elif assignment.due_on == today:
            made += _notify(assignment, "due_today", assignment.reviewer, str(assignment.due_on))
        else:
            made += _notify(assignment, "overdue", assignment.reviewer, str(assignment.due_on))
            overdue_groups.add(assignment.version.recommendation.working_group_id)
    if overdue_groups:
        coordinators = {}
        for membership in (
            Membership.objects.active()
            .filter(working_group_id__in=overdue_groups, role=Role.COORDINATOR)
            .select_related("user")
        ):
            coordinators.setdefault(membership.working_group_id, []).append(membership.user)
        for assignment in due:
            if assignment.due_on >= today:
                continue
            group_id = assignment.version.recommendation.working_group_id
            for coordinator in coordinators.get(group_id, []):
                made += _notify(
                    assignment, "overdue_coordinator", coordinator, str(assignment.due_on)
                )
    return made
