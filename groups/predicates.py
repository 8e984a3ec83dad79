"""Predicates about a person's place in working groups, shared by every app's rules.

They take the working group as their object, or anything with a `working_group`
attribute (a recommendation, a version...). A person's current roles are read once per
request (strategy/memo.py): a page that asks several of these asks the database once, if
at all (current_roles keeps them).
"""

import rules
from django.utils import timezone

from strategy import fragments, memo
from strategy.memo import memoised


def _group_id(target):
    if target is None:
        return None
    return getattr(target, "working_group_id", None) or target.pk


# What a person's roles are read from. Kept for them in this process (strategy/fragments.py)
# under its generation and the day (a membership begins and ends on a date): a change
# that commits is read at once. A request that changes a membership itself reads the
# database from then on (ROLES_CHANGED, set by the membership signals in apps.py), and
# outside a request nothing is kept.
ROLE_MODELS = ("groups.Membership",)
ROLES_CHANGED = "roles-changed"


def current_roles(user) -> dict[int, frozenset[str]]:
    """The roles the person holds now, by working group id."""
    if not user.is_authenticated:
        return {}

    def load():
        from groups.models import Membership

        roles: dict[int, set[str]] = {}
        for group_id, role in (
            Membership.objects.active().filter(user=user).values_list("working_group_id", "role")
        ):
            roles.setdefault(group_id, set()).add(role)
        return {group_id: frozenset(found) for group_id, found in roles.items()}

    def read():
        if not memo.active() or memoised(ROLES_CHANGED, bool):
            return load()
        return fragments.kept(
            "current-roles", (user.pk, timezone.localdate()), load, models=ROLE_MODELS
        )

    return memoised(("roles", user.pk), read)


def roles_in(user, target) -> frozenset[str]:
    group_id = _group_id(target)
    if group_id is None:
        return frozenset()
    return current_roles(user).get(group_id, frozenset())


def group_ids_with_role(user, role: str) -> set[int]:
    """The ids of the groups in which the person holds `role` now (from current_roles: no
    query of its own)."""
    return {group_id for group_id, roles in current_roles(user).items() if role in roles}


@rules.predicate
def is_group_member(user, target) -> bool:
    """Holds any current role in the group (member, coordinator, writer...)."""
    return bool(roles_in(user, target))


@rules.predicate
def is_group_coordinator(user, target) -> bool:
    from groups.models import Role

    return Role.COORDINATOR in roles_in(user, target)


@rules.predicate
def is_group_writer(user, target) -> bool:
    from groups.models import Role

    return Role.WRITER in roles_in(user, target)


def holds_role_in_kind(user, kind: str, roles) -> bool:
    """Holds one of `roles` in some group of this kind (a synthesis group, say)."""
    if not user.is_authenticated:
        return False
    # Only the groups where one of `roles` is held: most people hold none of them anywhere,
    # and then the groups of the kind need not be read.
    groups = {pk for pk, found in current_roles(user).items() if found & set(roles)}
    if not groups:
        return False

    def load():
        from groups.models import WorkingGroup

        return set(WorkingGroup.objects.filter(kind=kind).values_list("pk", flat=True))

    of_kind = memoised(("groups-of-kind", kind), load)
    return bool(groups & of_kind)
