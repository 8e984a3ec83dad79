"""Predicates about people that every app's rules share."""

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
