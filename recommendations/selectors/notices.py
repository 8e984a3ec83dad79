"""Reads for notices: who may be told of what happens to a recommendation.

These are the candidates, each found in one query; whether each may read what the notice
is about is the read rules' to say (the predicates of recommendations/rules.py, written
in selectors/reading.py and selectors/review.py), and services/notices.py asks them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from groups.models import Membership, Role, WorkingGroup
from recommendations.models import Thread
from strategy.predicates import CORE_TEAM_GROUP

from . import translations


def _people(pks) -> QuerySet:
    """Open accounts among `pks` (a subquery or a list), in a stable order."""
    return get_user_model().objects.filter(pk__in=pks, is_active=True).order_by("pk")


def group_people(*, group_id: int, roles: tuple[str, ...] = ()) -> QuerySet:
    """The people who hold a current role in the group (one of `roles`, when given)."""
    memberships = Membership.objects.active().filter(working_group_id=group_id)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return _people(memberships.values("user_id"))


def thread_participants(*, thread: Thread) -> QuerySet:
    """Who wrote in the thread: who started it and who replied."""
    return _people(thread.comments.values("author_id"))


def mentioned_people(*, usernames: list[str]) -> QuerySet:
    """The open accounts whose username is one of `usernames`, whatever its case."""
    if not usernames:
        return get_user_model().objects.none()
    wanted = [username.lower() for username in usernames]
    return _people(
        get_user_model()
        .objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=wanted)
        .values("pk")
    )


def feedback_triagers() -> QuerySet:
    """Who triages community feedback (recommendations.triage_feedback): the core team
    and the synthesis group's connectors."""
    connectors = Membership.objects.active().filter(
        role=Role.CONNECTOR, working_group__kind=WorkingGroup.Kind.SYNTHESIS
    )
    core_team = Q(is_superuser=True) | Q(is_staff=True, groups__name=CORE_TEAM_GROUP)
    return _people(
        get_user_model()
        .objects.filter(core_team | Q(pk__in=connectors.values("user_id")))
        .values("pk")
    )


def translators_of(*, language: str) -> QuerySet:
    """The translators of `language`: the rule is the translations' (selectors/
    translations.py), written there once."""
    return translations.translators_of(language=language)
