"""Predicates about people that every app's rules share.

Membership predicates take the working group as their object, or anything with a
`working_group` attribute (a recommendation, a version...).
"""

import rules

CORE_TEAM_GROUP = "Core team"


@rules.predicate
def is_core_team(user) -> bool:
    """Staff in the core team's permission group, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and user.groups.filter(name=CORE_TEAM_GROUP).exists()


def _group_id(target):
    if target is None:
        return None
    return getattr(target, "working_group_id", None) or target.pk


def _memberships(user, target):
    from groups.models import Membership

    group_id = _group_id(target)
    if group_id is None or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user, working_group_id=group_id)


@rules.predicate
def is_group_member(user, target) -> bool:
    """Holds any current role in the group (member, coordinator, writer...)."""
    return _memberships(user, target).exists()


@rules.predicate
def is_group_coordinator(user, target) -> bool:
    from groups.models import Role

    return _memberships(user, target).filter(role=Role.COORDINATOR).exists()
