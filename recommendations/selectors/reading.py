"""Who reads what of a recommendation: the one place the read rules are written.

There are two kinds of thing to read, and a rule for each (docs/permissions.md):

- the **working copy**: the current, possibly unpublished text of a recommendation and its
  revision history. For the owning group's people (any current role) and the core team.
  Nobody else: not the synthesis writers (they work from the published versions of the
  sources), not assigned reviewers of another group (they read the frozen snapshot they
  were given), not translators (they translate the published version).
- the **published version**: for anyone, when the recommendation has one and is not
  withdrawn.

Each rule is a `Q` built here; the querysets below filter by it, and the `rules`
predicates (recommendations/rules.py) are membership of these querysets, so the table, the
pages and the querysets cannot disagree. Public places name a recommendation by its
published version (`public_title`), never by its working copy.

Below them, the published sets the public site reads: only published versions exist there;
drafts, review snapshots and review comments are never reachable, not even by guessing an
address.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import MD5, Coalesce, Concat
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from groups.selectors import member_group_ids
from recommendations.models import TEXT_FIELDS, Iteration, Recommendation, Version, source_field
from recommendations.text import translation_units
from recommendations.text.numbering import by_number
from recommendations.text.search import search_query
from strategy.predicates import is_core_team

WITHDRAWN = Recommendation.State.WITHDRAWN
# A search ranks (ts_rank reads each row's vector) at most this many of its matches, the
# newest; the others follow them, newest first. A word in nearly every text then costs
# the ranking of a rare one.
RANKED_AT_MOST = 1000
TITLE = source_field("title")


def working_copy_q(*, user, prefix: str = "") -> Q | None:
    """The recommendations (at `prefix`, e.g. "recommendation__") whose working copy `user`
    may read; None means every one (the core team). An empty Q() would not do: OR-ed with
    another condition it vanishes."""
    if is_core_team(user):
        return None
    if not user.is_authenticated:
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}working_group_id__in": member_group_ids(user=user)})


def published_q(*, prefix: str = "") -> Q:
    """The recommendations (at `prefix`) that have a published version anyone may read."""
    return Q(**{f"{prefix}published_version__isnull": False}) & ~Q(**{f"{prefix}state": WITHDRAWN})


def recommendations_working_copy_readable_by(*, user) -> QuerySet[Recommendation]:
    """Recommendations whose working copy and history `user` may read."""
    rule = working_copy_q(user=user)
    return Recommendation.objects.all() if rule is None else Recommendation.objects.filter(rule)


def recommendations_published() -> QuerySet[Recommendation]:
    """Recommendations with a published version, which anyone may read."""
    return Recommendation.objects.filter(published_q())


def recommendations_readable_by(*, user) -> QuerySet[Recommendation]:
    """Recommendations `user` may read something of: the working copy or the published
    version. The rest does not exist for them (404)."""
    rule = working_copy_q(user=user)
    if rule is None:
        return Recommendation.objects.all()
    return Recommendation.objects.filter(rule | published_q())


def recommendation_readable(*, user, pk: int) -> Recommendation:
    """The recommendation, with its group, if `user` may read something of it (its working
    copy or its published version); 404 otherwise."""
    return get_object_or_404(
        recommendations_readable_by(user=user).select_related("working_group"), pk=pk
    )


def recommendation_working_copy(*, user, pk: int) -> Recommendation | None:
    """The recommendation, with its group, if `user` may read its working copy; else None."""
    return (
        recommendations_working_copy_readable_by(user=user)
        .select_related("working_group")
        .filter(pk=pk)
        .first()
    )


def recommendation_published(*, pk: int) -> Recommendation:
    """The recommendation, with its group, if it has a published version; 404 otherwise."""
    return get_object_or_404(recommendations_published().select_related("working_group"), pk=pk)


def working_copy_readable(*, user, recommendation: Recommendation) -> bool:
    return recommendations_working_copy_readable_by(user=user).filter(pk=recommendation.pk).exists()


def published_readable(*, recommendation: Recommendation) -> bool:
    return recommendations_published().filter(pk=recommendation.pk).exists()


def with_title_for(
    queryset: QuerySet[Recommendation], *, user, prefix: str = ""
) -> QuerySet[Recommendation]:
    """`queryset` with `shown_title`: the working copy's title where `user` may read it,
    the published version's title otherwise (a list that names recommendations of other
    groups, such as the synthesis's, shows each person only what they may read)."""
    rule = working_copy_q(user=user, prefix=prefix)
    working = F(f"{prefix}{TITLE}")
    if rule is None:
        return queryset.annotate(shown_title=working)
    published = F(f"{prefix}published_version__revision__{TITLE}")
    return queryset.annotate(shown_title=Case(When(rule, then=working), default=published))


def public_heading(recommendation: Recommendation, revision, language: str) -> dict:
    """The title and summary the public reads of `revision` (a published version's) in
    `language`: the translation where there is one, the published source text otherwise,
    never the working copy's. `translated` says whether the title is a translation."""
    found = {}
    if language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        # Translators translate the published version, so a translation is public. In the
        # source language, the recommendation's own columns are the working copy.
        found = translation_units.translated_heading(recommendation, language)
    return {
        "title": found.get("title") or getattr(revision, TITLE),
        "summary": found.get("summary") or getattr(revision, source_field("summary")),
        "translated": "title" in found,
    }


def public_title(recommendation: Recommendation) -> str:
    """The title the public reads, in the active language: its published version's, or ""
    when there is none. Select `published_version__revision` with the recommendation."""
    version = recommendation.published_version
    if version is None:
        return ""
    return public_heading(recommendation, version.revision, get_language())["title"]


# A recommendation once published stays readable while a new version is reviewed; only
# withdrawing it takes it off the public side.
PUBLIC_FILTER_STATES = (
    Recommendation.State.PUBLISHED,
    Recommendation.State.IN_REVIEW,
    Recommendation.State.MERGED,
)


def _unread_columns(*, bodies: bool, translations: bool) -> list[str]:
    """What a public page never reads from a version's rows: the group's scope, and the
    revision's copies of the translations (readers get translations from the
    recommendation, and the source text from the revision's source-language columns).
    Without `bodies`, the source body too; without `translations`, the recommendation's
    translated bodies and their sources."""
    languages = [code.replace("-", "_") for code, _name in settings.LANGUAGES]
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    columns = ["revision__translation_sources"]
    columns += [f"recommendation__working_group__scope_{language}" for language in languages]
    columns.append("recommendation__working_group__scope")
    columns += [f"revision__{field}" for field in TEXT_FIELDS]
    columns += [
        f"revision__{field}_{language}"
        for field in TEXT_FIELDS
        for language in languages
        if language != source
    ]
    if not bodies:
        columns.append(f"revision__{source_field('body')}")
    if not translations:
        columns += ["recommendation__translation_sources", "recommendation__body"]
        columns += [f"recommendation__body_{language}" for language in languages]
    return columns


def in_iteration_set_q() -> Q:
    """Which versions published in an iteration are of its set: those of recommendations
    not withdrawn, and those of a closed set (in_closed_set_q)."""
    return ~Q(recommendation__state=WITHDRAWN) | in_closed_set_q()


def iteration_sets(*, iterations) -> QuerySet[Version]:
    """The versions of the sets of `iterations` (iteration_set for many at once), as rows
    to count over, unordered."""
    return (
        Version.objects.filter(kind=Version.Kind.ITERATION, iteration__in=iterations)
        .filter(in_iteration_set_q())
        .order_by()
    )


def in_closed_set_q() -> Q:
    """Versions that belong to their iteration's set because it was closed before their
    recommendation was withdrawn: a closed iteration's set is a citable release, so
    withdrawing afterwards marks the recommendation there ("withdrawn since") rather than
    taking it out. Withdrawing is final, so "withdrawn before closing" is a revision in that
    state older than the closing."""
    withdrawn_before = Recommendation.history.model.objects.filter(
        id=OuterRef("recommendation_id"),
        state=WITHDRAWN,
        history_date__lt=OuterRef("iteration__closed_at"),
    )
    return Q(iteration__state=Iteration.State.CLOSED) & ~Q(Exists(withdrawn_before))


def public_versions(
    *,
    group: str = "",
    area: str = "",
    iteration: str = "",
    state: str = "",
    q: str = "",
    bodies: bool = True,
    translations: bool = True,
) -> QuerySet[Version]:
    """The published versions readers see: each public recommendation's latest, or, with
    `iteration`, the version it had in that iteration. Filters take slugs and a state;
    `q` searches the text (PostgreSQL full-text search; plain matching elsewhere).

    Lists that show titles and summaries ask for no `bodies` and no `translations` (of the
    bodies): their rows are then a tenth as wide."""
    versions = (
        Version.objects.filter(kind=Version.Kind.ITERATION)
        .select_related("recommendation__working_group", "revision", "iteration")
        .defer(*_unread_columns(bodies=bodies, translations=translations))
    )
    if iteration:
        versions = versions.filter(iteration__slug=iteration).filter(in_iteration_set_q())
    else:
        # Asked as a semi-join rather than as a join condition, PostgreSQL estimates it
        # well, and finds "the latest N" by walking the version_latest_published index.
        versions = versions.filter(
            pk__in=Recommendation.objects.exclude(state=WITHDRAWN).values("published_version_id")
        )
    versions = versions.filter(_filters_q("recommendation__", group=group, area=area, state=state))
    order = _public_order("recommendation__")
    if q.strip():
        if connection.vendor == "postgresql":
            return _ranked(versions, search_query(q), ranked_at_most=RANKED_AT_MOST)
        words = Q()
        for field in ("title", "summary", "body"):
            words |= Q(**{f"revision__{source_field(field)}__icontains": q.strip()})
        versions = versions.filter(words)
    return versions.order_by(*order)


def _ranked(versions: QuerySet[Version], query, *, ranked_at_most: int) -> QuerySet[Version]:
    """The `versions` that match `query`: the newest `ranked_at_most` of them (found by
    walking the versions newest first, stopping there) by relevance, then the others
    newest first. Each row's rank is 0 beyond them: ts_rank reads no more rows than that,
    however common the words. (public_version_ids pages through the same order without
    reading every match.)"""
    matching = versions.filter(search__vector=query)
    newest = matching.order_by("-pk").values("pk")[:ranked_at_most]
    rank = Case(
        When(pk__in=newest, then=SearchRank(F("search__vector"), query)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return matching.annotate(rank=rank).order_by("-rank", "-pk")


class SearchResults:
    """The ids of a search's results in public_versions' order, for a Paginator: the
    ranked ones (a list, read once), then the older matches newest first (`older`, a
    query read a page at a time from the versions' index). A page among the ranked reads
    no other row; counting reads each match once (not its rank)."""

    def __init__(self, *, ranked: list[int], older: QuerySet | None):
        self.ranked = ranked
        self.older = older

    def count(self) -> int:
        return len(self.ranked) + (self.older.count() if self.older is not None else 0)

    def __getitem__(self, key: slice) -> list[int]:
        start, stop = key.start or 0, key.stop
        found = self.ranked[start:stop]
        if self.older is None or (stop is not None and stop <= len(self.ranked)):
            return found
        skip = len(self.ranked)
        return found + list(
            self.older[max(0, start - skip) : None if stop is None else stop - skip]
        )


def _filters_q(prefix: str, *, group: str = "", area: str = "", state: str = "") -> Q:
    """The list's filters (slugs and a state) on the recommendation at `prefix`."""
    found = Q()
    if group:
        found &= Q(**{f"{prefix}working_group__slug": group})
    if area:
        found &= Q(**{f"{prefix}working_group__thematic_area__slug": area})
    if state in PUBLIC_FILTER_STATES:
        found &= Q(**{f"{prefix}state": state})
    return found


def _public_order(prefix: str) -> list:
    """The public order of recommendations (at `prefix`): by group, then the group's
    ranking, then number."""
    return [
        f"{prefix}working_group__position",
        f"{prefix}working_group__name",
        F(f"{prefix}rank").asc(nulls_last=True),
        *by_number(f"{prefix}number"),
    ]


def public_version_ids(**filters) -> "SearchResults | QuerySet":
    """The ids of public_versions(**filters) in its order, for a Paginator (then
    public.api.pagination.in_order). A search on PostgreSQL asks first for its newest
    RANKED_AT_MOST matches (walking the versions newest first), ranks them alone, and
    finds older matches only for pages beyond them: the first pages of a word in nearly
    every text cost what a rare word's do.

    Without a search or an iteration, the ids are read from the recommendations (each
    public one points at its published version): counting them and finding a page reads
    one narrow table, not the versions joined to it."""
    q = filters.get("q", "").strip()
    if not q and not filters.get("iteration"):
        recommendations = Recommendation.objects.exclude(state=WITHDRAWN).filter(
            _filters_q("", **{name: filters.get(name, "") for name in ("group", "area", "state")}),
            published_version__isnull=False,
        )
        return recommendations.order_by(*_public_order("")).values_list(
            "published_version_id", flat=True
        )
    if not q or connection.vendor != "postgresql":
        return public_versions(**filters, bodies=False, translations=False).values_list(
            "pk", flat=True
        )
    query = search_query(q)
    matching = public_versions(**{**filters, "q": ""}, bodies=False, translations=False).filter(
        search__vector=query
    )
    newest = list(matching.order_by("-pk").values_list("pk", flat=True)[:RANKED_AT_MOST])
    ranked = list(
        Version.objects.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search__vector"), query))
        .order_by("-rank", "-pk")
        .values_list("pk", flat=True)
    )
    older = None
    if len(newest) == RANKED_AT_MOST:
        older = matching.filter(pk__lt=newest[-1]).order_by("-pk").values_list("pk", flat=True)
    return SearchResults(ranked=ranked, older=older)


def public_recommendation(*, group: str, number: str, texts: bool = True) -> Recommendation:
    """A public recommendation with its published version, or DoesNotExist. Without `texts`,
    its texts and translations and its revision's are not read (see recommendation_texts):
    for a page that keeps what it renders of them."""
    recommendations = Recommendation.objects.select_related(
        "working_group__thematic_area",
        "published_version__revision",
        "published_version__iteration",
        "fate",
    )
    if not texts:
        recommendations = recommendations.defer(*_text_columns())
    return public_recommendations_at(group=group, number=number, rows=recommendations).get()


def public_recommendation_stamp(*, group: str, number: str) -> tuple | None:
    """The public recommendation at a group's number as (id, updated_at); None if none."""
    return (
        public_recommendations_at(group=group, number=number)
        .values_list("pk", "updated_at")
        .first()
    )


def public_recommendations_at(
    *, group: str, number: str, rows: QuerySet[Recommendation] | None = None
) -> QuerySet[Recommendation]:
    """The public recommendation (of `rows`) at a group's number: none, or one."""
    rows = Recommendation.objects.all() if rows is None else rows
    return rows.exclude(state=WITHDRAWN).filter(
        working_group__slug=group, number=number, published_version__isnull=False
    )


def _text_columns() -> list[str]:
    """A recommendation's texts and translations and its published revision's: most of
    what its row and its revision's weigh."""
    languages = [code.replace("-", "_") for code, _name in settings.LANGUAGES]
    columns = ["translation_sources", "published_version__revision__translation_sources"]
    for prefix in ("", "published_version__revision__"):
        columns += [f"{prefix}{field}" for field in TEXT_FIELDS]
        columns += [
            f"{prefix}{field}_{language}" for field in TEXT_FIELDS for language in languages
        ]
    return columns


def recommendation_texts(recommendation: Recommendation) -> None:
    """Reads what public_recommendation(texts=False) left out of `recommendation` and of
    its published revision (two queries; none when nothing was left out)."""
    for row in (recommendation, recommendation.published_version.revision):
        deferred = row.get_deferred_fields()
        if deferred:
            row.refresh_from_db(fields=sorted(deferred))


def published_iterations(*, recommendation: Recommendation) -> QuerySet[Version]:
    return (
        recommendation.versions.filter(kind=Version.Kind.ITERATION)
        .select_related("iteration", "revision")
        .order_by("iteration__position", "created_at")
    )


def iteration_set(*, iteration: Iteration) -> QuerySet[Version]:
    """Every group's recommendations as published in `iteration`, in group and rank order."""
    return public_versions(iteration=iteration.slug)


def iterations_open() -> QuerySet[Iteration]:
    """The iterations a recommendation can be published in."""
    return Iteration.objects.filter(state=Iteration.State.OPEN)


def iterations_in_order() -> QuerySet[Iteration]:
    """Every iteration, the first first (the API's list and the sitemap's)."""
    return Iteration.objects.order_by("position", "pk")


def iterations_latest(*, count: int) -> QuerySet[Iteration]:
    """The last `count` iterations, the latest first (the feed's)."""
    return Iteration.objects.order_by("-position", "-published_on")[:count]


# The models latest_published reads (app_label.ModelName): what is worked out from it is
# kept under their generations (strategy/fragments.py; connected in public/apps.py).
LATEST_PUBLISHED_MODELS = (
    "recommendations.Version",
    "recommendations.Recommendation",
    "recommendations.Iteration",
    "groups.WorkingGroup",
)


def latest_published(*, group: str = "", count: int = 6) -> list[Version]:
    """The `count` versions published last (of the group with slug `group`, if given),
    the latest first, without bodies."""
    versions = public_versions(group=group, bodies=False, translations=False)
    return list(versions.order_by("-created_at", "-pk")[:count])


def published_addresses() -> QuerySet[Version]:
    """Every public recommendation as a plain row: its group's slug, its number and when
    its version was published, the sitemap's entries. Rows rather than models: each page
    of a sitemap reads every item."""
    return (
        public_versions(bodies=False, translations=False)
        .order_by("pk")
        .values("created_at", "recommendation__working_group__slug", "recommendation__number")
    )


def iteration_fingerprints(*, iteration: Iteration) -> QuerySet:
    """The iteration's set, in its order, as rows of (recommendation id, group id, number,
    title, fingerprint): the fingerprint is made by the database from the text (title,
    summary, body), so comparing two sets reads no text, and plain rows rather than models."""
    separator = Value("\x1f")
    text = Concat(
        *(
            part
            for name in TEXT_FIELDS
            for part in (
                Coalesce(f"revision__{source_field(name)}", Value(""), output_field=TextField()),
                separator,
            )
        ),
        output_field=TextField(),
    )
    return (
        public_versions(iteration=iteration.slug, bodies=False, translations=False)
        .annotate(fingerprint=MD5(text))
        .values_list(
            "recommendation_id",
            "recommendation__working_group_id",
            "recommendation__number",
            f"revision__{TITLE}",
            "fingerprint",
        )
    )
