"""Who watches what: the one place the rule is written.

- A person watches a **working group** (the synthesis is the group of kind synthesis) if
  they said so; else if they are an active member of it (groups.models.active_membership_q).
- A person watches a **recommendation** if they said so; else if they watch its group.

What a person said is a `Watch` row; a "no" overrides the default. Inactive accounts watch
nothing. Watching says nothing of reading: whoever tells watchers of something that is not
public must still keep to the read rules (reading.py).
"""

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.shortcuts import get_object_or_404

from groups.models import Membership, WorkingGroup, active_membership_q
from recommendations.models import Recommendation, Watch
from strategy.memo import memoised

from .reading import recommendations_readable_by, with_title_for

User = get_user_model()

# The rule, over the facts about a person and a target, each a Q of ids (`pk__in`): of
# people, to find the watchers of one target; of targets, to find what one person watches.
# A set rather than a test per row: the database reads the few rows that say something,
# not every account.


def _group_rule(*, said_yes: Q, said_no: Q, member: Q) -> Q:
    """A group: said so, or an active member who did not say no."""
    return said_yes | (member & ~said_no)


def _recommendation_rule(*, said_yes: Q, said_no: Q, watches_group: Q) -> Q:
    """A recommendation: said so, or watches its group and did not say no of it."""
    return said_yes | (watches_group & ~said_no)


def _people_who_said(*, watching: bool, **target) -> Q:
    """The people who said `watching` of the target (`recommendation_id=` or
    `working_group_id=`)."""
    return Q(pk__in=Watch.objects.filter(watching=watching, **target).values("user_id"))


def _watchers_of_group_q(*, group_id: int) -> Q:
    members = Membership.objects.filter(active_membership_q(), working_group_id=group_id)
    return _group_rule(
        said_yes=_people_who_said(watching=True, working_group_id=group_id),
        said_no=_people_who_said(watching=False, working_group_id=group_id),
        member=Q(pk__in=members.values("user_id")),
    )


def watchers_of_group(*, group: WorkingGroup) -> QuerySet:
    """Everyone who watches `group`, active accounts only: one query."""
    return User.objects.filter(_watchers_of_group_q(group_id=group.pk), is_active=True)


def watchers_of_recommendation(*, recommendation: Recommendation) -> QuerySet:
    """Everyone who watches `recommendation` (themselves, or through its group), active
    accounts only: one query. Those to tell when it is published in an iteration or merged
    into the synthesis."""
    rule = _recommendation_rule(
        said_yes=_people_who_said(watching=True, recommendation_id=recommendation.pk),
        said_no=_people_who_said(watching=False, recommendation_id=recommendation.pk),
        watches_group=_watchers_of_group_q(group_id=recommendation.working_group_id),
    )
    return User.objects.filter(rule, is_active=True)


def watched_groups(*, user) -> QuerySet[WorkingGroup]:
    """The groups `user` watches, in the groups' order, each with `member`: whether they
    are an active member of it (and so watch it unless they say no)."""
    said = Watch.objects.filter(user=user, working_group__isnull=False)
    memberships = Membership.objects.filter(active_membership_q(), user=user)
    member = Q(pk__in=memberships.values("working_group_id"))
    rule = _group_rule(
        said_yes=Q(pk__in=said.filter(watching=True).values("working_group_id")),
        said_no=Q(pk__in=said.filter(watching=False).values("working_group_id")),
        member=member,
    )
    return (
        WorkingGroup.objects.filter(rule)
        .annotate(member=ExpressionWrapper(member, output_field=BooleanField()))
        .order_by("position", "name")
    )


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
