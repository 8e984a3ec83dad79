"""Reads of suggested changes: a version's, by state, with everything their list and the
tracked changes show, in a fixed number of queries however many there are."""

from django.db.models import Count, Q, QuerySet

from recommendations.models import Suggestion, Version

# How many a version page lists, and marks in its text, at most.
SUGGESTIONS_SHOWN = 200
# What a version page's suggestions (the list, those carried from earlier versions, the
# counts) are read from: what the page keeps of them is kept under these models'
# generations (strategy/fragments.py; connected in apps.py). The list names the authors
# and who decided or hid.
SUGGESTION_MODELS = (
    "recommendations.Suggestion",
    "recommendations.Version",
    "strategy.User",
)


def suggestion_list(*, version: Version, state: str = "") -> QuerySet[Suggestion]:
    """The version's suggestions, oldest first; of one state when `state` is one."""
    suggestions = Suggestion.objects.filter(version=version).select_related(
        "author", "decided_by", "revision", "version", "hidden_by"
    )
    if state in Suggestion.State.values:
        suggestions = suggestions.filter(state=state)
    return suggestions.order_by("created_at", "pk")


def suggestion_counts(*, version: Version) -> dict[str, int]:
    """How many suggestions of each state the version has, and all of them ("")."""
    row = Suggestion.objects.filter(version=version).aggregate(
        all=Count("pk"),
        **{value: Count("pk", filter=Q(state=value)) for value in Suggestion.State.values},
    )
    return {"": row.pop("all"), **row}


def suggestion_get(*, recommendation_id: int, pk: int) -> Suggestion:
    return Suggestion.objects.select_related(
        "version__recommendation__working_group", "version__revision", "author"
    ).get(pk=pk, version__recommendation_id=recommendation_id)


def suggestions_in_last_hour(*, user, since) -> int:
    """How many suggestions on published iterations `user` made since `since` (the
    feedback rate limit counts them with comments)."""
    return Suggestion.objects.filter(
        author=user, version__kind=Version.Kind.ITERATION, created_at__gte=since
    ).count()


def version_suggestable_get(*, user, pk: int, recommendation_id: int) -> Version:
    """The version `user` may see the review of, or else a published iteration of a
    recommendation still public (anyone signed in suggests there); Version.DoesNotExist
    otherwise."""
    from recommendations.selectors.reading import recommendations_published
    from recommendations.selectors.review import version_visible_get

    try:
        return version_visible_get(user=user, pk=pk, recommendation_id=recommendation_id)
    except Version.DoesNotExist:
        return Version.objects.select_related(
            "recommendation__working_group", "revision", "iteration"
        ).get(
            pk=pk,
            recommendation_id=recommendation_id,
            kind=Version.Kind.ITERATION,
            recommendation__in=recommendations_published(),
        )


def public_suggestions(*, recommendation, limit: int = 50) -> list[Suggestion]:
    """The suggestions made on the recommendation's published iterations, newest first, with
    their outcomes: the public record ("you said, we did"). Review snapshots' are never
    public."""
    return list(
        Suggestion.objects.filter(
            version__recommendation=recommendation, version__kind=Version.Kind.ITERATION
        )
        .select_related("author", "version")
        .order_by("-created_at", "-pk")[:limit]
    )


def public_suggestion_rows() -> QuerySet[Suggestion]:
    """Every suggestion made on a published iteration of a recommendation not withdrawn,
    oldest first: the feedback CSV's suggestion rows."""
    from recommendations.models import Recommendation

    return (
        Suggestion.objects.filter(version__kind=Version.Kind.ITERATION)
        .exclude(version__recommendation__state=Recommendation.State.WITHDRAWN)
        .select_related("version__recommendation__working_group", "version__iteration", "author")
        .order_by("pk")
    )


def earlier_open_suggestions(
    *, version: Version, limit: int = SUGGESTIONS_SHOWN
) -> list[Suggestion]:
    """Open suggestions of the recommendation's earlier versions, to show (found again) on
    this one, as earlier_open_threads does for threads: oldest version first, at most
    `limit`, each with its version's revision (to find a new paragraph's place again).
    Those the moderators hid are not carried."""
    return list(
        Suggestion.objects.filter(
            state=Suggestion.State.OPEN,
            hidden_reason="",
            version__recommendation_id=version.recommendation_id,
            version__created_at__lt=version.created_at,
        )
        .select_related("author", "version__revision")
        .order_by("version__created_at", "created_at", "pk")[:limit]
    )


def suggestions_to_decide(*, group_ids=(), synthesis_ids=()) -> QuerySet[Suggestion]:
    """The open suggestions (none the moderators hid) on the recommendations, not
    withdrawn, of the groups `group_ids` but synthesis groups, and of the synthesis groups
    `synthesis_ids` (who decides is who edits the draft: recommendations.decide_suggestion,
    a member of the group, a writer of the synthesis), oldest first: what waits for a
    decision ("Needs me")."""
    from recommendations.models import Recommendation

    groups = Q(version__recommendation__working_group_id__in=list(group_ids)) & ~Q(
        version__recommendation__working_group__kind="synthesis"
    ) | Q(
        version__recommendation__working_group_id__in=list(synthesis_ids),
        version__recommendation__working_group__kind="synthesis",
    )
    return (
        Suggestion.objects.filter(groups, state=Suggestion.State.OPEN, hidden_reason="")
        .exclude(version__recommendation__state=Recommendation.State.WITHDRAWN)
        .select_related("version__recommendation__working_group", "version__revision")
        .order_by("created_at", "pk")
    )


def suggestions_by(*, user) -> QuerySet[Suggestion]:
    """Every suggestion `user` made, oldest first (their data, to download)."""
    return (
        Suggestion.objects.filter(author=user)
        .select_related("version__recommendation__working_group")
        .order_by("created_at", "pk")
    )
