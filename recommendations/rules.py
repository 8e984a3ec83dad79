"""Who may do what with recommendations. The table lives in docs/permissions.md."""

import rules

from strategy.predicates import is_core_team, is_group_coordinator, is_group_member

can_edit = is_core_team | is_group_member


@rules.predicate
def is_public(user, recommendation) -> bool:
    return recommendation is not None and recommendation.is_public


# The object is a working group.
rules.add_perm("recommendations.create_in_group", can_edit)
rules.add_perm("recommendations.rank", is_core_team | is_group_coordinator)
# The object is a recommendation.
rules.add_perm("recommendations.read", is_public | can_edit)
rules.add_perm("recommendations.edit", can_edit)
rules.add_perm("recommendations.view_history", can_edit)
