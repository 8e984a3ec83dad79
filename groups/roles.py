"""Which roles a group of each kind has: the one rule behind the invite form's choices and
the invitation's validation."""

from .models import Role, WorkingGroup

# Writers draft the synthesized recommendations and connectors attach inputs to them: both
# exist only in the synthesis group. Every other role exists in every kind of group.
SYNTHESIS_ONLY = frozenset({Role.WRITER, Role.CONNECTOR})


def roles_for(*, kind: str) -> list[Role]:
    """The roles a group of `kind` has, in the order Role lists them."""
    if kind == WorkingGroup.Kind.SYNTHESIS:
        return list(Role)
    return [role for role in Role if role not in SYNTHESIS_ONLY]
