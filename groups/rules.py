"""Who may do what with groups. The table lives in docs/permissions.md."""

import rules

from strategy.predicates import is_core_team

rules.add_perm("groups.invite_member", is_core_team)
# See a group's pending invitations, send one again, revoke one.
rules.add_perm("groups.manage_invitations", is_core_team)
