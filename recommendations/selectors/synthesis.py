"""Reads for the synthesis: coverage of every source, overlaps, inputs."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from groups.models import WorkingGroup
from recommendations.models import (
    Input,
    OverlapCluster,
    Recommendation,
    SourceFate,
    SourceLink,
    Version,
    source_field,
)
from recommendations.text.numbering import by_number

from .reading import (
    published_q,
    recommendations_readable_by,
    recommendations_working_copy_readable_by,
    with_title_for,
)

TITLE = source_field("title")

MERGED, SPLIT, UNDECIDED = "merged", "split", "undecided"


# Each group's recommendations together (the forms show one <optgroup> per group), by number.
BY_GROUP = ("working_group__position", "working_group__name", "working_group_id", *by_number())


def _in_group_order(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """`recommendations` with their group, group by group, in the order of their numbers."""
    return recommendations.select_related("working_group").order_by(*BY_GROUP)


def _as_choices(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """`recommendations` read for a choice list (number, group, `shown_title`): a
    recommendation's row holds its text in every language, which a choice does not show."""
    return recommendations.only("number", "working_group")


def synthesized_list() -> QuerySet[Recommendation]:
    """Every synthesized recommendation (the synthesis group's), in group and number order."""
    return _in_group_order(
        Recommendation.objects.filter(working_group__kind=WorkingGroup.Kind.SYNTHESIS)
    )


def synthesized_working_copy(*, user, pk: int) -> Recommendation:
    """A synthesized recommendation whose working copy `user` may read, with its group;
    404 otherwise."""
    return get_object_or_404(
        recommendations_working_copy_readable_by(user=user).select_related("working_group"),
        pk=pk,
        working_group__kind=WorkingGroup.Kind.SYNTHESIS,
    )


def sources() -> QuerySet[Recommendation]:
    """Every thematic group's published recommendation: what the synthesis must reflect."""
    return Recommendation.objects.filter(
        working_group__kind=WorkingGroup.Kind.THEMATIC, published_version__isnull=False
    ).exclude(state=Recommendation.State.WITHDRAWN)


FATE_LABELS = {
    MERGED: _("Merged"),
    SPLIT: _("Split"),
    UNDECIDED: _("Not yet decided"),
    "forwarded": _("Forwarded elsewhere"),
    "left_out": _("Left out"),
}


@dataclass
class CoverageRow:
    source: Recommendation
    reflected_in: list
    fate: str
    reason: str = ""

    @property
    def fate_label(self) -> str:
        return FATE_LABELS[self.fate]

    @property
    def decided(self) -> str:
        """The fate a writer recorded (forwarded, left out), or "" if its links decide."""
        return self.fate if self.fate in SourceFate.Fate.values else ""


@dataclass
class GroupCoverage:
    group: WorkingGroup
    rows: list = field(default_factory=list)

    def count(self, fate: str) -> int:
        return sum(row.fate == fate for row in self.rows)

    def count_merged(self) -> int:
        return self.count(MERGED)

    def count_split(self) -> int:
        return self.count(SPLIT)

    def count_forwarded(self) -> int:
        return self.count("forwarded")

    def count_left_out(self) -> int:
        return self.count("left_out")

    def count_undecided(self) -> int:
        return self.count(UNDECIDED)

    @property
    def reflected(self) -> int:
        return sum(bool(row.reflected_in) for row in self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.reflected / len(self.rows)) if self.rows else 0


def _links(*, public: bool) -> QuerySet[SourceLink]:
    """The links that count: when the report is `public`, only those to published
    synthesized recommendations; before that, the drafts' too."""
    links = SourceLink.objects.all()
    return links.filter(published_q(prefix="synthesized__")) if public else links


def with_fate(queryset: QuerySet[Recommendation], *, public: bool) -> QuerySet[Recommendation]:
    """The sources in `queryset`, each with `coverage_fate`: the fate decided (forwarded,
    left out) if there is one, else split (reflected in several synthesized
    recommendations), merged (in one) or not yet decided. The one rule for the coverage
    report, the dashboard's figures and the admin's filter, counted by the database."""
    reflected_in = (
        _links(public=public)
        .filter(source_version__recommendation=OuterRef("pk"))
        .order_by()
        .values("source_version__recommendation")
        .annotate(count=Count("synthesized", distinct=True))
        .values("count")
    )
    return queryset.annotate(
        reflected_count=Coalesce(Subquery(reflected_in, output_field=IntegerField()), 0),
        coverage_fate=Case(
            When(fate__isnull=False, then=F("fate__fate")),
            When(reflected_count__gt=1, then=Value(SPLIT)),
            When(reflected_count=1, then=Value(MERGED)),
            default=Value(UNDECIDED),
        ),
    )


def sources_with_fate(*, fate: str) -> QuerySet[Recommendation]:
    """The sources whose fate is `fate` by the coverage report's rule (`with_fate`), which
    counts the drafts' links until the synthesis is published."""
    fated = with_fate(sources(), public=synthesis_published())
    return fated.filter(coverage_fate=fate)


@dataclass
class GroupSummary:
    """A group's line of the coverage report's table, counted by the database:
    `counts` per fate, `total` sources, `reflected` (in at least one synthesized
    recommendation), and `first_page`, the report's page where its sources begin."""

    group: WorkingGroup | None
    counts: dict = field(default_factory=dict)
    total: int = 0
    reflected: int = 0
    first_page: int = 1

    def count_merged(self) -> int:
        return self.counts.get(MERGED, 0)

    def count_split(self) -> int:
        return self.counts.get(SPLIT, 0)

    def count_forwarded(self) -> int:
        return self.counts.get("forwarded", 0)

    def count_left_out(self) -> int:
        return self.counts.get("left_out", 0)

    def count_undecided(self) -> int:
        return self.counts.get(UNDECIDED, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.reflected / self.total) if self.total else 0


def coverage_summary(*, public: bool, per_page: int) -> list[GroupSummary]:
    """The coverage report's table: a GroupSummary per group that has sources, in the
    report's order, its `first_page` for pages of `per_page` sources. Three queries, however
    many sources."""
    summaries: dict[int, GroupSummary] = {}
    for (pk, fate), count in coverage_counts(public=public).items():
        summary = summaries.setdefault(pk, GroupSummary(None))
        summary.counts[fate] = count
        summary.total += count
    reflected = (
        sources()
        .filter(_reflected(public=public))
        .order_by()
        .values("working_group")
        .annotate(count=Count("pk"))
    )
    for row in reflected:
        summaries[row["working_group"]].reflected = row["count"]
    before = 0
    ordered = []
    for group in WorkingGroup.objects.filter(pk__in=summaries).order_by("position", "name", "pk"):
        summary = summaries[group.pk]
        summary.group = group
        summary.first_page = before // per_page + 1
        before += summary.total
        ordered.append(summary)
    return ordered


def coverage_order() -> QuerySet:
    """The ids of the sources in the coverage report's order (to page through it)."""
    return sources().order_by(*BY_GROUP, "pk").values_list("pk", flat=True)


def coverage_page_of(*, source_id: int, per_page: int) -> int:
    """The page of the coverage report, in pages of `per_page`, that lists `source_id`."""
    ids = list(coverage_order())
    return ids.index(source_id) // per_page + 1 if source_id in ids else 1


def coverage(*, public: bool, source_ids: list[int] | None = None) -> list[GroupCoverage]:
    """What became of every source, per working group: merged (into one synthesized
    recommendation), split (into several), forwarded, left out, or not yet decided. Two
    queries, however many sources.

    Each source and each synthesized recommendation has a `shown_title`. Sources are named
    by their published version. When the report is `public`, only published synthesized
    recommendations count, named by their published version; before that (a page for the
    synthesis group and the core team) the drafts count too, by their working titles.

    With `source_ids`, those sources only (a page of the report)."""
    # Only the columns the report shows: a recommendation's row holds its text in every
    # language, which the report does not need.
    links = (
        _links(public=public)
        .select_related("synthesized__working_group")
        .only("synthesized__number", "synthesized__working_group")
    )
    links = links.annotate(source_id=F("source_version__recommendation_id"))
    rows = sources()
    if source_ids is not None:
        links = links.filter(source_version__recommendation__in=source_ids)
        rows = rows.filter(pk__in=source_ids)
    if public:
        links = links.annotate(shown_title=F(f"synthesized__published_version__revision__{TITLE}"))
    else:
        links = links.annotate(shown_title=F(f"synthesized__{TITLE}"))
    reflected: dict[int, dict[int, Recommendation]] = {}
    for link in links.order_by(*by_number("synthesized__number")):
        link.synthesized.shown_title = link.shown_title
        reflected.setdefault(link.source_id, {})[link.synthesized_id] = link.synthesized
    rows = (
        with_fate(rows, public=public)
        .select_related("working_group", "fate")
        .only("number", "working_group", "fate")
        .annotate(shown_title=F(f"published_version__revision__{TITLE}"))
        .order_by(*BY_GROUP)
    )
    groups: dict[int, GroupCoverage] = {}
    for source in rows:
        explicit = getattr(source, "fate", None)
        reason = explicit.reason if explicit is not None else ""
        entry = groups.setdefault(source.working_group_id, GroupCoverage(source.working_group))
        entry.rows.append(
            CoverageRow(
                source, list(reflected.get(source.pk, {}).values()), source.coverage_fate, reason
            )
        )
    return list(groups.values())


def coverage_totals(*, public: bool) -> dict[str, int]:
    """How many sources there are, and how many of them a synthesized recommendation
    reflects: coverage() in two numbers, counted by the database."""
    return sources().aggregate(
        total=Count("pk"), reflected=Count("pk", filter=_reflected(public=public))
    )


def _reflected(*, public: bool) -> Q:
    """A source reflected in at least one synthesized recommendation (see _links)."""
    linked = _links(public=public).filter(source_version__recommendation=OuterRef("pk"))
    return Q(Exists(linked))


def coverage_counts(*, public: bool) -> dict[tuple[int, str], int]:
    """How many sources of each group have each fate, keyed by (group id, fate): the
    coverage report's per-group counts, in one query."""
    rows = (
        with_fate(sources(), public=public)
        .order_by()
        .values("working_group", "coverage_fate")
        .annotate(count=Count("pk"))
    )
    return {(row["working_group"], row["coverage_fate"]): row["count"] for row in rows}


def synthesis_published() -> bool:
    return (
        Recommendation.objects.filter(
            working_group__kind=WorkingGroup.Kind.SYNTHESIS, published_version__isnull=False
        )
        .exclude(state=Recommendation.State.WITHDRAWN)
        .exists()
    )


def source_links(*, synthesized: Recommendation | None = None) -> QuerySet[SourceLink]:
    """Links with what their pages name: the source's group, number, published title and
    iteration, and the synthesized recommendation. Those of `synthesized` if given."""
    links = SourceLink.objects.select_related(
        "synthesized__working_group",
        "source_version__recommendation__working_group",
        "source_version__revision",
        "source_version__iteration",
    )
    return links.filter(synthesized=synthesized) if synthesized is not None else links


def sources_with_their_fate(*, public: bool = False) -> QuerySet[Recommendation]:
    """The sources, each with its `coverage_fate`, its decided fate (`fate`, if any) and its
    published title (`shown_title`): what the page that sets one source's fate shows."""
    return (
        with_fate(sources(), public=public)
        .select_related("working_group", "published_version__revision", "fate")
        .annotate(shown_title=F(f"published_version__revision__{TITLE}"))
    )


def sources_undecided() -> QuerySet[Recommendation]:
    """The sources whose fate is not yet decided by the coverage report's rule (the page
    that sets one source's fate reads them alike), the longest published first: what the
    writers decide."""
    return (
        sources_with_their_fate(public=synthesis_published())
        .filter(coverage_fate=UNDECIDED)
        .order_by("published_version__created_at", "pk")
    )


def where_it_went(*, source: Recommendation) -> QuerySet[SourceLink]:
    """The published synthesized recommendations that reflect `source` (a public list:
    each names its published version, `public_title`)."""
    return (
        SourceLink.objects.filter(source_version__recommendation=source)
        .filter(published_q(prefix="synthesized__"))
        .select_related("synthesized__working_group", "synthesized__published_version__revision")
    )


def _readable(*, user) -> Prefetch:
    """A many-to-many's recommendations as `user` may read them, each with `shown_title`."""
    return Prefetch(
        "recommendations",
        queryset=with_title_for(_in_group_order(recommendations_readable_by(user=user)), user=user),
    )


def inputs_for(*, recommendation: Recommendation, user) -> QuerySet[Input]:
    """Inputs attached to the recommendation, and, for a synthesized one, to its sources;
    each lists the recommendations it concerns that `user` may read."""
    sources_of = SourceLink.objects.filter(synthesized=recommendation).values(
        "source_version__recommendation_id"
    )
    return (
        Input.objects.filter(Q(recommendations=recommendation) | Q(recommendations__in=sources_of))
        .distinct()
        .prefetch_related(_readable(user=user))
        .order_by("-created_at")
    )


def inputs(*, user) -> QuerySet[Input]:
    """Every input, each listing the recommendations it concerns that `user` may read."""
    return Input.objects.prefetch_related(_readable(user=user)).select_related("created_by")


def input_targets(*, user) -> QuerySet[Recommendation]:
    """What a connector may attach an input to: the thematic and synthesized recommendations
    they may read (published, or their own group's), not withdrawn, with `shown_title`."""
    targets = (
        recommendations_readable_by(user=user)
        .filter(working_group__kind__in=[WorkingGroup.Kind.THEMATIC, WorkingGroup.Kind.SYNTHESIS])
        .exclude(state=Recommendation.State.WITHDRAWN)
    )
    return _as_choices(with_title_for(_in_group_order(targets), user=user))


def overlaps(*, user) -> QuerySet[OverlapCluster]:
    """Every overlap, each with the members `user` may read, named as they may read them."""
    members = with_title_for(_in_group_order(recommendations_readable_by(user=user)), user=user)
    return OverlapCluster.objects.prefetch_related(
        Prefetch("members", queryset=members)
    ).select_related("created_by")


def overlap_candidates(*, user) -> QuerySet[Recommendation]:
    """What may be recorded as overlapping: the sources, each with `shown_title` as `user`
    may read it."""
    return _as_choices(with_title_for(_in_group_order(sources()), user=user))


def published_sources(*, search: str = "") -> QuerySet[Version]:
    """Every published iteration of a thematic recommendation not withdrawn: what a
    synthesized recommendation may name as its source. With `search`, those whose group,
    number or published title holds every word of it (case aside)."""
    found = Q()
    for word in search.split():
        found &= (
            Q(recommendation__working_group__name__icontains=word)
            | Q(recommendation__number__iexact=word)
            | Q(**{f"revision__{TITLE}__icontains": word})
        )
    return (
        Version.objects.filter(
            found,
            kind=Version.Kind.ITERATION,
            recommendation__working_group__kind=WorkingGroup.Kind.THEMATIC,
        )
        .exclude(recommendation__state=Recommendation.State.WITHDRAWN)
        .select_related("recommendation__working_group", "revision", "iteration")
        .order_by(
            "recommendation__working_group__position",
            *by_number("recommendation__number"),
            "iteration__position",
        )
    )


def published_sources_listed(
    *, search: str = "", limit: int, chosen: int | None = None
) -> tuple[list[Version], bool]:
    """The first `limit` of published_sources(search=search), with the one numbered
    `chosen` first if it is a published source outside them (what a form posted), and
    whether more match. Two queries at most, however many sources there are."""
    listed = list(published_sources(search=search)[: limit + 1])
    more = len(listed) > limit
    listed = listed[:limit]
    if chosen is not None and all(version.pk != chosen for version in listed):
        listed = [*published_sources().filter(pk=chosen), *listed]
    return listed, more
