"""Reads for recommendations. Querysets are scoped to the person asking, so that what they
may not see does not exist for them (a 404, not a 403). Who reads what is written once, in
reading.py."""

import time

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lag, Length, RowNumber
from django.db.models.lookups import Exact

from groups.models import WorkingGroup
from groups.selectors import member_group_ids
from recommendations.models import (
    TEXT_FIELDS,
    LiveDocument,
    Recommendation,
    RevisionCoauthor,
    source_field,
)
from recommendations.selectors.reading import working_copy_readable
from recommendations.text.diffing import changed_words
from strategy.ids import MAX_ID
from strategy.predicates import is_core_team

REVISION_ORDER = [F("history_date").asc(), F("history_id").asc()]


def revision_list(*, recommendation: Recommendation):
    """Every revision, newest first, each with its number (1 = the first), the change of
    the body's length against the revision before, and its co-authors (those who wrote it
    together with its author, live); two queries whatever the count."""
    return (
        recommendation.history.select_related("history_user")
        .prefetch_related(
            Prefetch("coauthors", queryset=RevisionCoauthor.objects.select_related("user"))
        )
        .annotate(
            revision_number=Window(RowNumber(), order_by=REVISION_ORDER),
            size=Length(source_field("body")),
            previous_size=Window(Lag(Length(source_field("body"))), order_by=REVISION_ORDER),
        )
        .order_by("-history_date", "-history_id")
    )


# The triage form offers the newest revisions since the feedback, no more: an older one is
# unlikely to be the change, and each listed row costs a (bounded) diff.
OUTCOME_REVISIONS = 20
# The whole list's previews share this time, so the page stays as fast at 20 rows as at 3.
PREVIEW_SECONDS = 0.3


def outcome_revisions(*, thread, user) -> list:
    """The revisions of `thread`'s recommendation made since the feedback was given, newest
    first, at most OUTCOME_REVISIONS, each with `revision_number` and, where `user` may read
    the working copy, `preview` (the changed words against the revision before, truncated)
    and `preview_cut`. Two queries whatever the count.

    Does a preview leak the working copy? To whoever does not read it, yes: these are words
    of revisions that may never be published. Connectors triage feedback on every
    recommendation but read only the synthesized ones' working copies (reading.py); so
    the number, author and time (what an "incorporated" outcome cites anyway, and the
    public page shows nothing of until a published version carries it) are listed for
    every revision, and the summary and the preview only where the read rule allows."""
    recommendation = thread.version.recommendation
    # One row more than listed: the revision before the oldest listed one, to diff against.
    rows = list(revision_list(recommendation=recommendation)[: OUTCOME_REVISIONS + 1])
    readable = working_copy_readable(user=user, recommendation=recommendation)
    listed = [row for row in rows[:OUTCOME_REVISIONS] if row.history_date >= thread.created_at]
    deadline = time.time() + PREVIEW_SECONDS
    fields = [source_field(name) for name in TEXT_FIELDS]
    for index, row in enumerate(listed):
        row.preview, row.preview_cut = [], False
        if not readable:
            row.history_change_reason = ""
            continue
        before = rows[index + 1] if index + 1 < len(rows) else None
        old = "\n".join(getattr(before, name) or "" for name in fields) if before else ""
        new = "\n".join(getattr(row, name) or "" for name in fields)
        row.preview, row.preview_cut = changed_words(old, new, deadline=deadline)
    return listed


def revision_get(*, recommendation: Recommendation, number: int):
    """Revision `number` (1 = the first), with its co-authors, or None."""
    # Beyond MAX_ID the offset below is more than the database can count.
    if not 1 <= number <= MAX_ID:
        return None
    revision = (
        recommendation.history.select_related("history_user")
        .prefetch_related(
            Prefetch("coauthors", queryset=RevisionCoauthor.objects.select_related("user"))
        )
        .order_by(*REVISION_ORDER)[number - 1 : number]
        .first()
    )
    if revision is not None:
        revision.revision_number = number
    return revision


def _up_to_q(*, date, history_id) -> Q:
    """The revisions up to and including the one at `date` with `history_id`, in the order
    the history numbers them (REVISION_ORDER)."""
    return Q(history_date__lt=date) | Q(history_date=date, history_id__lte=history_id)


def revision_number(*, recommendation: Recommendation, revision) -> int:
    """The number of `revision` in the recommendation's history (1 = the first), as the
    history and the diff page number it."""
    up_to = _up_to_q(date=revision.history_date, history_id=revision.history_id)
    return recommendation.history.filter(up_to).count()


def revision_latest(*, recommendation: Recommendation):
    return recommendation.history.order_by("-history_date", "-history_id").first()


def live_document(*, recommendation_id: int):
    """The live editor's kept document of the recommendation, or None."""
    return LiveDocument.objects.filter(recommendation_id=recommendation_id).first()


def revision_count(*, recommendation: Recommendation) -> int:
    return recommendation.history.count()


def with_published_changes(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """`queryset` with `changed_since_published` (the working copy's title, summary or body
    is not the published version's: publishing itself adds a revision, of the state only,
    so comparing revisions would not do) and `published_revision_number`, the published
    version's revision in the numbering of the history and the diff page."""
    same = Q(
        *(
            Exact(
                Coalesce(F(source_field(name)), Value(""), output_field=TextField()),
                Coalesce(
                    F(f"published_version__revision__{source_field(name)}"),
                    Value(""),
                    output_field=TextField(),
                ),
            )
            for name in TEXT_FIELDS
        )
    )
    earlier = Recommendation.history.model.objects.filter(id=OuterRef("pk")).filter(
        _up_to_q(
            date=OuterRef("published_version__revision__history_date"),
            history_id=OuterRef("published_version__revision_id"),
        )
    )
    return queryset.annotate(
        changed_since_published=Case(
            When(published_version__isnull=True, then=Value(False)),
            When(same, then=Value(False)),
            default=Value(True),
        ),
        published_revision_number=Subquery(
            earlier.annotate(count=Func(F("history_id"), function="COUNT"))
            .values("count")
            .order_by()[:1]
        ),
    )


def published_changes(*, recommendation: Recommendation) -> dict | None:
    """For a published recommendation, whether its working copy changed since and the
    published version's revision number (`with_published_changes`); None otherwise."""
    if recommendation.state != Recommendation.State.PUBLISHED:
        return None
    return (
        with_published_changes(Recommendation.objects.filter(pk=recommendation.pk))
        .values("changed_since_published", "published_revision_number")
        .first()
    )


def ranking_list(*, group: WorkingGroup) -> QuerySet[Recommendation]:
    """The group's recommendations that its ranking orders: all but the withdrawn ones."""
    return group.recommendations.exclude(state=Recommendation.State.WITHDRAWN)


def state_counts() -> dict[tuple[int, str], int]:
    """How many recommendations each group has in each state, keyed by (group id, state)."""
    rows = (
        Recommendation.objects.order_by()
        .values("working_group", "state")
        .annotate(count=Count("pk"))
    )
    return {(row["working_group"], row["state"]): row["count"] for row in rows}


WORKSPACE_PER_GROUP = 50
# What the workspace's groups are read from: kept rendered under these models'
# generations (recommendations/views/drafting.py; connected in apps.py). The names of who
# changed a recommendation last show within fragments.RENEWED_SECONDS (a person's row is
# saved at every sign-in: its generation would keep nothing).
WORKSPACE_MODELS = ("recommendations.Recommendation", "groups.WorkingGroup")


def _workspace_rows() -> QuerySet[Recommendation]:
    """Recommendations with only the columns the workspace shows, and who changed them."""
    return with_published_changes(Recommendation.objects.select_related("updated_by")).only(
        "working_group_id",
        "number",
        source_field("title"),
        "state",
        "rank",
        "updated_at",
        "updated_by__username",
        "updated_by__first_name",
        "updated_by__last_name",
        "updated_by__is_active",
    )


def _workspace_firsts(groups: QuerySet[WorkingGroup]) -> QuerySet[Recommendation]:
    """The ids of the first WORKSPACE_PER_GROUP recommendations of each of `groups` in
    ranking order (Recommendation.Meta.ordering within a group), picked on the
    recommendations' own columns: the published-changes annotations are then worked out
    for those rows only, not for every recommendation of the groups (a sliced prefetch
    numbers the rows after annotating them all)."""
    return (
        Recommendation.objects.filter(working_group__in=groups.values("pk"))
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("working_group_id"),
                order_by=[F("rank").asc(nulls_last=True), F("pk").asc()],
            )
        )
        .filter(place__lte=WORKSPACE_PER_GROUP)
        .values("pk")
    )


def workspace_groups(*, user, group: str = "") -> QuerySet[WorkingGroup]:
    """The groups a person works in (the core team: every group), or only the one named,
    each with how many recommendations it has and its first WORKSPACE_PER_GROUP of them in
    ranking order. Two queries."""
    groups = WorkingGroup.objects.all()
    if not is_core_team(user):
        groups = groups.filter(pk__in=member_group_ids(user=user))
    if group:
        groups = groups.filter(slug=group)
    return groups.annotate(recommendation_count=Count("recommendations")).prefetch_related(
        Prefetch(
            "recommendations",
            queryset=_workspace_rows().filter(pk__in=_workspace_firsts(groups)),
            to_attr="workspace_recommendations",
        )
    )


def workspace_page(*, group: WorkingGroup, number) -> Page:
    """A page of all of a group's recommendations, in ranking order."""
    rows = _workspace_rows().filter(working_group=group)
    return Paginator(rows, WORKSPACE_PER_GROUP).get_page(number)
