"""Reads for the timeline: every date as a given working group sees it."""

from copy import copy
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import WorkingGroup

from .models import Milestone, MilestoneShift, Phase


def _as_seen_by(milestones: QuerySet[Milestone], group) -> QuerySet[Milestone]:
    """`milestones` that concern `group` (those naming it, and those naming no group),
    annotated with `on` and `until`: the group's own dates where it shifted them. The one
    place a group's date is worked out. `group` is a working group, or OuterRef("pk") from
    a query of working groups (the dashboard's, every group at once)."""
    # One level deeper, in the subqueries of each milestone, an outer group is two out.
    inner = OuterRef(group) if isinstance(group, OuterRef) else group
    shift = MilestoneShift.objects.filter(milestone=OuterRef("pk"), working_group=inner)
    names_groups = Milestone.working_groups.through.objects.filter(milestone=OuterRef("pk"))
    concerns = Exists(names_groups.filter(workinggroup=inner)) | ~Exists(names_groups)
    return milestones.filter(concerns).annotate(
        on=Coalesce(Subquery(shift.values("starts_on")[:1]), "starts_on"),
        until=Coalesce(Subquery(shift.values("ends_on")[:1]), "ends_on"),
    )


def _not_over_q(today: date) -> Q:
    """Milestones (annotated by _as_seen_by) happening `today` or later."""
    return Q(on__gte=today) | Q(until__gte=today)


def milestones_for(
    *, group: WorkingGroup | None = None, groups_named: bool = True
) -> QuerySet[Milestone]:
    """Milestones annotated with `on` and `until`: the group's shifted dates where it has
    them. Without a group: every milestone with its own dates. With one: the milestones
    that concern it (those naming it, and those naming no group). With `groups_named`,
    the groups each names, fetched (one query more)."""
    # The groups a milestone names: on the whole process's timeline and calendar, a
    # milestone for some groups only says which.
    milestones = Milestone.objects.select_related("phase", "iteration")
    if groups_named:
        milestones = milestones.prefetch_related("working_groups")
    if group is None:
        return milestones.annotate(on=F("starts_on"), until=F("ends_on")).order_by("on", "pk")
    return _as_seen_by(milestones, group).order_by("on", "pk")


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


def timeline(
    *, group: WorkingGroup | None = None, today: date | None = None, groups_named: bool = True
) -> Timeline:
    """Phases and milestones, split into past, happening now and upcoming. Three queries;
    two without `groups_named` (the groups each milestone names, see milestones_for)."""
    today = today or timezone.localdate()
    phases = list(Phase.objects.all())
    current = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    past, now, upcoming = [], [], []
    milestones = milestones_for(group=group, groups_named=groups_named)
    for milestone in with_shift_reasons(milestones, group=group):
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
    upcoming = milestones_for(group=group).filter(_not_over_q(today))
    return list(upcoming[:count])


def translation_deadline(
    *, group: WorkingGroup, iteration=None, today: date | None = None
) -> Milestone | None:
    """The next translation deadline (not over) concerning `group`, by its dates: of
    `iteration` or of none. One query."""
    today = today or timezone.localdate()
    deadlines = _as_seen_by(
        Milestone.objects.filter(kind=Milestone.Kind.TRANSLATION_DEADLINE), group
    )
    scope = Q(iteration__isnull=True) | Q(iteration=iteration) if iteration else Q()
    return deadlines.filter(scope).filter(_not_over_q(today)).order_by("on", "pk").first()


@dataclass
class GroupMilestones:
    """What the dashboard says of a group's milestones, by the group's own dates."""

    next: Milestone | None = None  # with `on` and `until`, as next_milestones gives them
    shifted: list = field(default_factory=list)  # its shifts of milestones not over


def milestones_by_group(*, today: date | None = None) -> dict[int, GroupMilestones]:
    """For every working group, by id: its next milestone (the first next_milestones(
    group=...) gives) and its shifts of the milestones that concern it and are not over by
    its dates. Three queries, however many groups and milestones (on PostgreSQL)."""
    today = today or timezone.localdate()
    found = {}
    if connection.vendor == "sqlite":
        # SQLite cannot order a subquery by a term that names a table two queries out, as
        # the query below does: on the embedded default (a handful of groups), a query each.
        for group in WorkingGroup.objects.all():
            entry = found[group.pk] = GroupMilestones()
            entry.next = next(iter(next_milestones(group=group, today=today, count=1)), None)
    else:
        upcoming = (
            _as_seen_by(Milestone.objects.all(), OuterRef("pk"))
            .filter(_not_over_q(today))
            .order_by("on", "pk")
        )
        rows = list(
            WorkingGroup.objects.annotate(
                next_id=Subquery(upcoming.values("pk")[:1]),
                next_on=Subquery(upcoming.values("on")[:1]),
                next_until=Subquery(upcoming.values("until")[:1]),
            ).values_list("pk", "next_id", "next_on", "next_until")
        )
        milestones = Milestone.objects.in_bulk({next_id for _pk, next_id, *_dates in rows} - {None})
        for pk, next_id, on, until in rows:
            entry = found[pk] = GroupMilestones()
            if next_id is not None:
                # One object per group: two groups may see the same milestone on two dates.
                entry.next = copy(milestones[next_id])
                entry.next.on, entry.next.until = on, until
    shifted_and_not_over = _as_seen_by(
        Milestone.objects.filter(pk=OuterRef("milestone_id")), OuterRef("working_group_id")
    ).filter(_not_over_q(today))
    shifts = (
        MilestoneShift.objects.filter(Exists(shifted_and_not_over))
        .select_related("milestone")
        .order_by("starts_on", "pk")
    )
    for shift in shifts:
        if shift.working_group_id in found:
            found[shift.working_group_id].shifted.append(shift)
    return found
