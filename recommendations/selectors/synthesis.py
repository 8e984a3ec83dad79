"""Reads for the synthesis: coverage of every source, overlaps, inputs."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from groups.models import WorkingGroup
from recommendations.models import Input, OverlapCluster, Recommendation, SourceLink

MERGED, SPLIT, UNDECIDED = "merged", "split", "undecided"


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


def coverage() -> list[GroupCoverage]:
    """What became of every source, per working group: merged (into one synthesized
    recommendation), split (into several), forwarded, left out, or not yet decided. Two
    queries, however many sources."""
    reflected: dict[int, dict[int, Recommendation]] = {}
    for link in (
        SourceLink.objects.select_related("synthesized__working_group")
        .annotate(source_id=F("source_version__recommendation_id"))
        .order_by("synthesized__number")
    ):
        reflected.setdefault(link.source_id, {})[link.synthesized_id] = link.synthesized
    rows = (
        sources()
        .select_related("working_group", "published_version__revision", "fate")
        .order_by("working_group__position", "working_group__name", "number")
    )
    groups: dict[int, GroupCoverage] = {}
    for source in rows:
        synthesized = list(reflected.get(source.pk, {}).values())
        explicit = getattr(source, "fate", None)
        if explicit is not None:
            fate, reason = explicit.fate, explicit.reason
        else:
            fate = SPLIT if len(synthesized) > 1 else MERGED if synthesized else UNDECIDED
            reason = ""
        entry = groups.setdefault(source.working_group_id, GroupCoverage(source.working_group))
        entry.rows.append(CoverageRow(source, synthesized, fate, reason))
    return list(groups.values())


def coverage_totals() -> dict[str, int]:
    """How many sources there are, and how many of them a synthesized recommendation
    reflects: coverage() in two numbers, counted by the database."""
    linked = SourceLink.objects.filter(source_version__recommendation=OuterRef("pk"))
    return sources().aggregate(total=Count("pk"), reflected=Count("pk", filter=Q(Exists(linked))))


def synthesis_published() -> bool:
    return (
        Recommendation.objects.filter(
            working_group__kind=WorkingGroup.Kind.SYNTHESIS, published_version__isnull=False
        )
        .exclude(state=Recommendation.State.WITHDRAWN)
        .exists()
    )


def source_links(*, synthesized: Recommendation) -> QuerySet[SourceLink]:
    return synthesized.source_links.select_related(
        "source_version__recommendation__working_group",
        "source_version__revision",
        "source_version__iteration",
    )


def where_it_went(*, source: Recommendation) -> QuerySet[SourceLink]:
    return SourceLink.objects.filter(source_version__recommendation=source).select_related(
        "synthesized__working_group", "synthesized__published_version"
    )


def inputs_for(*, recommendation: Recommendation) -> QuerySet[Input]:
    """Inputs attached to the recommendation, and, for a synthesized one, to its sources."""
    sources_of = SourceLink.objects.filter(synthesized=recommendation).values(
        "source_version__recommendation_id"
    )
    return (
        Input.objects.filter(Q(recommendations=recommendation) | Q(recommendations__in=sources_of))
        .distinct()
        .prefetch_related("recommendations__working_group")
        .order_by("-created_at")
    )


def overlaps() -> QuerySet[OverlapCluster]:
    return OverlapCluster.objects.prefetch_related(
        Prefetch("members", queryset=Recommendation.objects.select_related("working_group"))
    ).select_related("created_by")
