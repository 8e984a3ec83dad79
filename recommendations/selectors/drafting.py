"""Reads for recommendations. Querysets are scoped to the person asking, so that what they
may not see does not exist for them (a 404, not a 403). Who reads what is written once, in
reading.py."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import Lag, Length, RowNumber

from groups.models import Membership, WorkingGroup
from recommendations.models import Recommendation, source_field
from strategy.ids import MAX_ID
from strategy.predicates import is_core_team

REVISION_ORDER = [F("history_date").asc(), F("history_id").asc()]


def _member_group_ids(user):
    return Membership.objects.active().filter(user=user).values("working_group_id")


def recommendations_editable_by(*, user) -> QuerySet[Recommendation]:
    if is_core_team(user):
        return Recommendation.objects.all()
    if not user.is_authenticated:
        return Recommendation.objects.none()
    return Recommendation.objects.filter(working_group_id__in=_member_group_ids(user))


def revision_list(*, recommendation: Recommendation):
    """Every revision, newest first, each with its number (1 = the first) and the change of
    the body's length against the revision before; one query whatever the count."""
    return (
        recommendation.history.select_related("history_user")
        .annotate(
            revision_number=Window(RowNumber(), order_by=REVISION_ORDER),
            size=Length(source_field("body")),
            previous_size=Window(Lag(Length(source_field("body"))), order_by=REVISION_ORDER),
        )
        .order_by("-history_date", "-history_id")
    )


def revision_get(*, recommendation: Recommendation, number: int):
    """Revision `number` (1 = the first), or None."""
    # Beyond MAX_ID the offset below is more than the database can count.
    if not 1 <= number <= MAX_ID:
        return None
    revision = (
        recommendation.history.select_related("history_user")
        .order_by(*REVISION_ORDER)[number - 1 : number]
        .first()
    )
    if revision is not None:
        revision.revision_number = number
    return revision


def revision_latest(*, recommendation: Recommendation):
    return recommendation.history.order_by("-history_date", "-history_id").first()


def revision_count(*, recommendation: Recommendation) -> int:
    return recommendation.history.count()


WORKSPACE_PER_GROUP = 50


def _workspace_rows() -> QuerySet[Recommendation]:
    """Recommendations with only the columns the workspace shows, and who changed them."""
    return Recommendation.objects.select_related("updated_by").only(
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


def workspace_groups(*, user, group: str = "") -> QuerySet[WorkingGroup]:
    """The groups a person works in (the core team: every group), or only the one named,
    each with how many recommendations it has and its first WORKSPACE_PER_GROUP of them in
    ranking order."""
    groups = WorkingGroup.objects.annotate(recommendation_count=Count("recommendations"))
    if not is_core_team(user):
        groups = groups.filter(pk__in=_member_group_ids(user))
    if group:
        groups = groups.filter(slug=group)
    return groups.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=_workspace_rows()[:WORKSPACE_PER_GROUP],
            to_attr="workspace_recommendations",
        )
    )


def workspace_page(*, group: WorkingGroup, number) -> Page:
    """A page of all of a group's recommendations, in ranking order."""
    rows = _workspace_rows().filter(working_group=group)
    return Paginator(rows, WORKSPACE_PER_GROUP).get_page(number)
