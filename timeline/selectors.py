"""Reads for the timeline: every date as a given working group sees it."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import WorkingGroup

from .models import Milestone, MilestoneShift, Phase


def milestones_for(*, group: WorkingGroup | None = None) -> QuerySet[Milestone]:
    """Milestones annotated with `on` and `until`: the group's shifted dates where it has
    them. Without a group: every milestone with its own dates. With one: the milestones
    that concern it (those naming it, and those naming no group)."""
    # The groups a milestone names: on the whole process's timeline and calendar, a
    # milestone for some groups only says which.
    milestones = Milestone.objects.select_related("phase", "iteration").prefetch_related(
        "working_groups"
    )
    if group is None:
        return milestones.annotate(on=F("starts_on"), until=F("ends_on")).order_by("on", "pk")
    shift = MilestoneShift.objects.filter(milestone=OuterRef("pk"), working_group=group)
    names_groups = Milestone.working_groups.through.objects.filter(milestone=OuterRef("pk"))
    concerns = Exists(names_groups.filter(workinggroup=group)) | ~Exists(names_groups)
    return (
        milestones.filter(concerns)
        .annotate(
            on=Coalesce(Subquery(shift.values("starts_on")[:1]), "starts_on"),
            until=Coalesce(Subquery(shift.values("ends_on")[:1]), "ends_on"),
        )
        .order_by("on", "pk")
    )


def milestone_list(*, group: str = "", kind: str = "") -> QuerySet[Milestone]:
    """The milestones of `kind` (any, if empty), with `on` and `until` by the dates of the
    group whose slug is `group` (milestones_for); none when no group has that slug."""
    found = WorkingGroup.objects.filter(slug=group).first() if group else None
    if group and found is None:
        return Milestone.objects.none()
    milestones = milestones_for(group=found)
    return milestones.filter(kind=kind) if kind else milestones


def with_shift_reasons(milestones, *, group: WorkingGroup | None) -> list[Milestone]:
    """The milestones as a list, each with `shift_reason`: why the group has its own date
    (in the reader's language), or None. One query more."""
    milestones = list(milestones)
    reasons = {}
    if group is not None:
        reasons = {
            shift.milestone_id: shift.reason
            for shift in MilestoneShift.objects.filter(working_group=group)
        }
    for milestone in milestones:
        milestone.shift_reason = reasons.get(milestone.pk)
    return milestones


@dataclass
class Timeline:
    phases: list
    current_phase: Phase | None
    past: list
    now: list
    upcoming: list
    # Outside every phase: the one that comes next, and the one that came last.
    next_phase: Phase | None = None
    last_phase: Phase | None = None


def timeline(*, group: WorkingGroup | None = None, today: date | None = None) -> Timeline:
    """Phases and milestones, split into past, happening now and upcoming. Two queries."""
    today = today or timezone.localdate()
    phases = list(Phase.objects.all())
    current = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    past, now, upcoming = [], [], []
    for milestone in with_shift_reasons(milestones_for(group=group), group=group):
        end = milestone.until or milestone.on
        if end < today:
            past.append(milestone)
        elif milestone.on <= today:
            now.append(milestone)
        else:
            upcoming.append(milestone)
    later = [phase for phase in phases if phase.starts_on > today]
    earlier = [phase for phase in phases if phase.ends_on < today]
    return Timeline(
        phases,
        current,
        past,
        now,
        upcoming,
        next_phase=min(later, key=lambda phase: phase.starts_on, default=None),
        last_phase=max(earlier, key=lambda phase: phase.ends_on, default=None),
    )


def next_milestones(
    *, group: WorkingGroup | None = None, today: date | None = None, count: int = 3
) -> list[Milestone]:
    """The next milestones (including those happening now), by the group's dates."""
    today = today or timezone.localdate()
    upcoming = milestones_for(group=group).filter(Q(on__gte=today) | Q(until__gte=today))
    return list(upcoming[:count])
