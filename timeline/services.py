"""Milestone notices: to the members of the groups a milestone concerns, a few days before
it and on the day, by each group's own date. Each is recorded once under its key."""

from datetime import date, timedelta

from django.conf import settings

from groups.models import Membership, WorkingGroup
from strategy.models import Topic
from strategy.notices import notice_create

from . import selectors
from .models import Milestone


def milestone_notices_due(*, today: date) -> int:
    soon = today + timedelta(days=settings.MILESTONE_NOTICE_DAYS_BEFORE)
    made = 0
    groups = list(WorkingGroup.objects.all())
    members: dict[int, list] = {}
    for membership in Membership.objects.active().select_related("user"):
        people = members.setdefault(membership.working_group_id, [])
        if membership.user not in people:
            people.append(membership.user)
    for group in groups:
        due = selectors.milestones_for(group=group).filter(notify=True, on__in=[soon, today])
        for milestone in selectors.with_shift_reasons(due, group=group):
            occasion = "today" if milestone.on == today else "soon"
            for person in members.get(group.pk, []):
                made += _notify(milestone, occasion, person, group)
    return made


def _notify(milestone: Milestone, occasion: str, person, group) -> bool:
    made = notice_create(
        key=f"milestone.{occasion}:{milestone.pk}:{person.pk}:{milestone.on.isoformat()}",
        recipient=person,
        topic=Topic.MILESTONES,
        kind=f"milestone.{occasion}",
        template=f"timeline/notices/milestone_{occasion}",
        context={"milestone": milestone, "group": group},
        url=f"/timeline/?group={group.slug}",
    )
    return made is not None
