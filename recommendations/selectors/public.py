"""Reads for the public site. Only published versions exist here: drafts, review snapshots
and review comments are never reachable, not even by guessing an address."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from recommendations.models import Iteration, Recommendation, Version, source_field

# A recommendation once published stays readable while a new version is reviewed; only
# withdrawing it takes it off the public side.
WITHDRAWN = Recommendation.State.WITHDRAWN
PUBLIC_FILTER_STATES = (
    Recommendation.State.PUBLISHED,
    Recommendation.State.IN_REVIEW,
    Recommendation.State.MERGED,
)


def public_versions(
    *, group: str = "", area: str = "", iteration: str = "", state: str = "", q: str = ""
) -> QuerySet[Version]:
    """The published versions readers see: each public recommendation's latest, or, with
    `iteration`, the version it had in that iteration. Filters take slugs and a state;
    `q` searches the text (PostgreSQL full-text search; plain matching elsewhere)."""
    versions = (
        Version.objects.filter(kind=Version.Kind.ITERATION)
        .exclude(recommendation__state=WITHDRAWN)
        .select_related("recommendation__working_group__thematic_area", "revision", "iteration")
    )
    if iteration:
        versions = versions.filter(iteration__slug=iteration)
    else:
        versions = versions.filter(recommendation__published_version=F("pk"))
    if group:
        versions = versions.filter(recommendation__working_group__slug=group)
    if area:
        versions = versions.filter(recommendation__working_group__thematic_area__slug=area)
    if state in PUBLIC_FILTER_STATES:
        versions = versions.filter(recommendation__state=state)
    order = [
        "recommendation__working_group__position",
        "recommendation__working_group__name",
        F("recommendation__rank").asc(nulls_last=True),
        "recommendation__number",
    ]
    if q.strip():
        if connection.vendor == "postgresql":
            query = SearchQuery(q, config="english", search_type="websearch")
            return (
                versions.filter(search_vector=query)
                .annotate(rank=SearchRank(F("search_vector"), query))
                .order_by("-rank", *order)
            )
        words = Q()
        for field in ("title", "summary", "body"):
            words |= Q(**{f"revision__{source_field(field)}__icontains": q.strip()})
        versions = versions.filter(words)
    return versions.order_by(*order)


def public_recommendation(*, group: str, number: str) -> Recommendation:
    """A public recommendation with its published version, or DoesNotExist."""
    return (
        Recommendation.objects.select_related(
            "working_group__thematic_area",
            "published_version__revision",
            "published_version__iteration",
            "fate",
        )
        .exclude(state=WITHDRAWN)
        .get(working_group__slug=group, number=number, published_version__isnull=False)
    )


def published_iterations(*, recommendation: Recommendation) -> QuerySet[Version]:
    return (
        recommendation.versions.filter(kind=Version.Kind.ITERATION)
        .select_related("iteration", "revision")
        .order_by("iteration__position", "created_at")
    )


def iteration_set(*, iteration: Iteration) -> QuerySet[Version]:
    """Every group's recommendations as published in `iteration`, in group and rank order."""
    return public_versions(iteration=iteration.slug)


def iterations_public() -> QuerySet[Iteration]:
    return (
        Iteration.objects.filter(versions__isnull=False)
        .exclude(versions__recommendation__state=WITHDRAWN)
        .distinct()
        .order_by("position", "published_on")
    )


def latest_published(*, count: int = 6) -> list[Version]:
    return list(public_versions().order_by("-created_at", "-pk")[:count])
