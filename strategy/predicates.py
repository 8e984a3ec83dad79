"""The predicate every app's rules share: the core team. (Membership predicates are the
groups app's: groups/predicates.py.)"""

import rules

from strategy.memo import memoised

CORE_TEAM_GROUP = "Core team"


@rules.predicate
def is_core_team(user) -> bool:
    """Staff in the core team's permission group, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_staff and memoised(
        ("core-team", user.pk), lambda: user.groups.filter(name=CORE_TEAM_GROUP).exists()
    )
