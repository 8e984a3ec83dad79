"""Who watches what: the one place the rule is written.

- A person watches a **working group** (the synthesis is the group of kind synthesis) if
  they said so; else if they are an active member of it (groups.models.active_membership_q).
- A person watches a **recommendation** if they said so; else if they watch its group.

What a person said is a `Watch` row; a "no" overrides the default. Inactive accounts watch
nothing. Watching says nothing of reading: whoever tells watchers of something that is not
public must still keep to the read rules (reading.py).
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from groups.models import Membership, WorkingGroup, active_membership_q
from recommendations.models import Recommendation, Watch
from strategy.memo import memoised

from .reading import recommendations_readable_by, with_title_for

User = get_user_model()

# The rule is written once, for a pair (person, target) each side of which is a value or an
# OuterRef: OuterRef("pk") on the people's side gives the watchers of a target, on the
# target's side what a person watches.


def _said(*, user, watching: bool, **target) -> Exists:
    """`user` said `watching` (yes or no) of the target (`recommendation_id=` or
    `working_group_id=`)."""
    return Exists(Watch.objects.filter(user_id=user, watching=watching, **target))


def watching_group_q(*, user, group) -> Q:
    """`user` watches `group` (ids or OuterRefs): said so, or an active member who did not
    say no."""
    member = Exists(
        Membership.objects.filter(active_membership_q(), user_id=user, working_group_id=group)
    )
    said_no = _said(user=user, watching=False, working_group_id=group)
    return Q(_said(user=user, watching=True, working_group_id=group)) | (Q(member) & ~Q(said_no))


def watching_recommendation_q(*, user, recommendation, group) -> Q:
    """`user` watches `recommendation` of `group` (ids or OuterRefs): said so, or watches
    the group and did not say no of the recommendation."""
    said_no = _said(user=user, watching=False, recommendation_id=recommendation)
    by_group = watching_group_q(user=user, group=group) & ~Q(said_no)
    return Q(_said(user=user, watching=True, recommendation_id=recommendation)) | by_group


def watchers_of_group(*, group: WorkingGroup) -> QuerySet:
    """Everyone who watches `group`, active accounts only: one query."""
    rule = watching_group_q(user=OuterRef("pk"), group=group.pk)
    return User.objects.filter(rule, is_active=True)


def watchers_of_recommendation(*, recommendation: Recommendation) -> QuerySet:
    """Everyone who watches `recommendation` (themselves, or through its group), active
    accounts only: one query. Those to tell when it is published in an iteration or merged
    into the synthesis."""
    rule = watching_recommendation_q(
        user=OuterRef("pk"),
        recommendation=recommendation.pk,
        group=recommendation.working_group_id,
    )
    return User.objects.filter(rule, is_active=True)


def watches(*, user, target: Recommendation | WorkingGroup) -> bool:
    """Whether `user` watches `target` (a recommendation or a working group), by the rule
    above: one query, asked once per request (strategy/memo.py). Nobody signed out, and no
    inactive account, watches anything."""
    if not user.is_authenticated:
        return False
    if isinstance(target, Recommendation):
        key = ("watches", user.pk, "recommendation", target.pk)
        found = lambda: watchers_of_recommendation(recommendation=target)  # noqa: E731
    else:
        key = ("watches", user.pk, "group", target.pk)
        found = lambda: watchers_of_group(group=target)  # noqa: E731
    return memoised(key, lambda: found().filter(pk=user.pk).exists())


def watched_groups(*, user) -> QuerySet[WorkingGroup]:
    """The groups `user` watches, in the groups' order, each with `member`: whether they
    are an active member of it (and so watch it unless they say no)."""
    member = Exists(
        Membership.objects.filter(
            active_membership_q(), user_id=user.pk, working_group=OuterRef("pk")
        )
    )
    return (
        WorkingGroup.objects.filter(watching_group_q(user=user.pk, group=OuterRef("pk")))
        .annotate(member=member)
        .order_by("position", "name")
    )


def watch_records(*, user, watching: bool) -> QuerySet[Recommendation]:
    """The recommendations of which `user` said `watching` (yes: they watch it whatever its
    group; no: they stopped watching it though they may watch its group), among those they
    may still read, with their group and the title they may read (`shown_title`)."""
    said = Watch.objects.filter(user=user, watching=watching, recommendation__isnull=False)
    readable = recommendations_readable_by(user=user).filter(
        pk__in=said.values("recommendation_id")
    )
    return (
        with_title_for(readable, user=user)
        .select_related("working_group")
        .order_by("working_group__position", "working_group__name", "number")
    )


def group_to_watch(*, slug: str) -> WorkingGroup:
    """Any working group (their pages are public), by its slug; 404 otherwise."""
    return get_object_or_404(WorkingGroup, slug=slug)
