"""The core team's dashboard: the state of every group at a glance. A fixed number of
queries, however many groups, recommendations, reviews or notices."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from groups.models import WorkingGroup
from recommendations.models import Recommendation, ReviewAssignment, Thread
from recommendations.selectors import synthesis
from timeline.models import Milestone, MilestoneShift

from .models import Notice

OPEN = (ReviewAssignment.Status.PENDING, ReviewAssignment.Status.ACCEPTED)
DUE_SOON_DAYS = 7


@dataclass
class GroupRow:
    group: WorkingGroup
    states: dict = field(default_factory=dict)
    due: int = 0
    overdue: int = 0
    open_threads: int = 0
    next_milestone: Milestone | None = None
    next_on: object = None
    shifted: list = field(default_factory=list)


def dashboard(*, today=None) -> dict:
    today = today or timezone.localdate()
    groups = {
        group.pk: GroupRow(group) for group in WorkingGroup.objects.order_by("position", "name")
    }
    for row in (
        Recommendation.objects.order_by()
        .values("working_group", "state")
        .annotate(count=Count("pk"))
    ):
        groups[row["working_group"]].states[row["state"]] = row["count"]
    reviews = (
        ReviewAssignment.objects.filter(status__in=OPEN)
        .order_by()
        .values("version__recommendation__working_group")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            due=Count(
                "pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
            ),
        )
    )
    for row in reviews:
        entry = groups[row["version__recommendation__working_group"]]
        entry.overdue, entry.due = row["overdue"], row["due"]
    for row in (
        Thread.objects.filter(status=Thread.Status.OPEN, public=False)
        .order_by()
        .values("version__recommendation__working_group")
        .annotate(count=Count("pk"))
    ):
        groups[row["version__recommendation__working_group"]].open_threads = row["count"]
    _next_milestones(groups, today)
    notices = dict(Notice.objects.order_by().values_list("state").annotate(Count("pk")))
    coverage = synthesis.coverage_totals()
    total, reflected = coverage["total"], coverage["reflected"]
    return {
        "rows": list(groups.values()),
        "states": Recommendation.State.choices,
        "notices": notices,
        "coverage": {
            "total": total,
            "reflected": reflected,
            "percent": round(100 * reflected / total) if total else 0,
        },
        "today": today,
    }


def _next_milestones(groups: dict, today) -> None:
    """Each group's next milestone by its own dates (three queries for all groups)."""
    upcoming = list(
        Milestone.objects.filter(
            Q(starts_on__gte=today - timedelta(days=365)) | Q(ends_on__gte=today)
        )
        .prefetch_related("working_groups")
        .order_by("starts_on")
    )
    shifts = {
        (shift.milestone_id, shift.working_group_id): shift
        for shift in MilestoneShift.objects.all()
    }
    for pk, row in groups.items():
        for milestone in upcoming:
            concerned = {group.pk for group in milestone.working_groups.all()}
            if concerned and pk not in concerned:
                continue
            shift = shifts.get((milestone.pk, pk))
            on = shift.starts_on if shift else milestone.starts_on
            if shift:
                row.shifted.append((milestone, shift))
            if on >= today and (row.next_on is None or on < row.next_on):
                row.next_milestone, row.next_on = milestone, on
