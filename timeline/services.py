"""Milestone notices: to the members of the groups a milestone concerns, a few days before
it and on the day, by each group's own date. Each is recorded once under its key."""

from datetime import date, timedelta

from django.conf import settings

from groups.models import Membership, WorkingGroup
from strategy.models import Topic
from strategy.notices import NoticeFor, notices_create

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
            made += _notify(milestone, occasion, members.get(group.pk, []), group)
    return made


def _notify(milestone: Milestone, occasion: str, people: list, group) -> int:
    """Tell `people` of the milestone, together: the same words for everyone of one
    language, composed once for each (strategy.notices_create). Returns how many were
    recorded now."""
    text_key = f"{milestone.pk}:{group.pk}:{milestone.on.isoformat()}"
    made = notices_create(
        items=[
            NoticeFor(
                recipient=person,
                key=f"milestone.{occasion}:{milestone.pk}:{person.pk}:{milestone.on.isoformat()}",
                context={"milestone": milestone, "group": group},
                url=f"/timeline/?group={group.slug}",
                text_key=text_key,
            )
            for person in people
        ],
        topic=Topic.MILESTONES,
        kind=f"milestone.{occasion}",
        template=f"timeline/notices/milestone_{occasion}",
    )
    return len(made)
