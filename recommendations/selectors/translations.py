"""Reads for translations: how complete and how current each language is."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from groups.models import WorkingGroup
from recommendations.models import (
    Recommendation,
    TranslationDraft,
    TranslationProgress,
    TranslationReadiness,
    Version,
)
from recommendations.services.drafting import source_text
from recommendations.text import translation_units
from recommendations.text.translation_units import Status
from strategy.memo import memoised
from strategy.predicates import CORE_TEAM_GROUP, is_core_team
from strategy.source_language import source_field

from .reading import iteration_sets, iterations_in_order, published_q, recommendations_published


def recommendation_to_translate(*, pk: int) -> Recommendation:
    """The recommendation with its group and its published version's revision: translators
    translate what the public reads, so one without a published version (or withdrawn) has
    nothing to translate (404)."""
    return get_object_or_404(
        recommendations_published().select_related("published_version__revision", "working_group"),
        pk=pk,
    )


def translation_statuses(
    versions: Iterable[Version], *, languages: list[str] | None = None
) -> Iterator[tuple[Version, Status]]:
    """Each published version with its translation status in each language (every
    translation language unless `languages`): the one place completeness is counted."""
    languages = translation_units.translation_languages() if languages is None else languages
    for version in versions:
        source = source_text(version.revision)
        prepared = translation_units.fingerprinted(source)
        for language in languages:
            yield (
                version,
                translation_units.status(
                    version.recommendation, source, language, source_units=prepared
                ),
            )


def translator_languages(*, user) -> list[str]:
    """The languages `user` may translate into, in the order of settings.LANGUAGES: the one
    place the rule is written (the predicates of rules.py ask it; translators_of says the
    same as a queryset).

    - the core team: every language;
    - anyone else signed in: the languages they volunteered for on their profile;
    - a person given the `translate_recommendation` permission (as before volunteering was
      possible) who has chosen none: as that permission always meant, the language they
      chose for the site if it is one to translate into, else every one;
    - besides, anyone signed in, the languages the core team assigned them to proofread
      (`User.proofreads`): a proofreader reaches the drafts through the translator's pages.
    Nobody else translates (an empty list). The languages chosen are on the person's row:
    asking costs no query (but the permissions', read once per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    languages = translation_units.translation_languages()
    if is_core_team(user):
        return languages
    assigned = set(user.proofreads or [])
    chosen = set(user.translates_into or [])
    if chosen:
        found = chosen
    elif user.has_perm("recommendations.translate_recommendation"):
        found = {user.language} if user.language in languages else set(languages)
    else:
        found = set()
    return [language for language in languages if language in found | assigned]


def languages_with_proofreaders() -> frozenset[str]:
    """The languages with at least one assigned proofreader (an open account whose
    `proofreads` names them): in those, only the assigned proofreaders and the core team
    proofread (recommendations/predicates.py, may_proofread_into). One query, asked once
    per request however many drafts or rows a page checks (strategy/memo.py)."""

    def found() -> frozenset[str]:
        rows = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(proofreads=[])
            .values_list("proofreads", flat=True)
        )
        return frozenset(code for codes in rows for code in codes or [])

    return memoised(("languages-with-proofreaders",), found)


def translators_of(*, language: str) -> QuerySet:
    """The translators of `language` (translator_languages, as a queryset), the core team
    left out unless they volunteered for it: what waits for the core team is its own.
    Open accounts only, in a stable order. One query when evaluated."""
    users = get_user_model().objects
    # A language code is letters and hyphens: quoted, it is found only as a whole element
    # of the list (the JSON text), on PostgreSQL and on SQLite alike.
    volunteers = Q(translates_into__icontains=f'"{language}"') | Q(
        proofreads__icontains=f'"{language}"'
    )
    site_language = Q(language=language) | ~Q(
        language__in=translation_units.translation_languages()
    )
    holders = (
        users.with_perm(
            "recommendations.translate_recommendation",
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .exclude(is_superuser=True)
        .exclude(is_staff=True, groups__name=CORE_TEAM_GROUP)
        .filter(translates_into=[])
        .filter(site_language)
        .values("pk")
    )
    return users.filter(volunteers | Q(pk__in=holders), is_active=True).order_by("pk")


def _progress_current() -> QuerySet[TranslationProgress]:
    """The stored counts of what the public reads: those of the public recommendations.
    Each row counts its recommendation's published version: recommendation_publish counts
    the new one in the same transaction (services/translations.py). Asking here that the
    row's version be the published one would be the same answer, and it leads PostgreSQL
    to misjudge the join (two rows expected of 40,000) and sort them all: 1.5 s instead of
    a millisecond at 10,000 recommendations."""
    return TranslationProgress.objects.filter(published_q(prefix="recommendation__"))


@dataclass
class Completeness:
    """One working group's (or all groups') counts in one language."""

    language: str
    total: int = 0
    translated: int = 0
    stale: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def percent(self) -> int:
        return translation_units.percent(self.translated, self.total)

    def add(self, other: "Completeness") -> None:
        self.total += other.total
        self.translated += other.translated
        self.stale += other.stale


def translation_completeness(*, languages: list[str]) -> list[tuple[WorkingGroup, list]]:
    """How complete each language is, per working group: [(group, [Completeness per
    language of `languages`])], the groups in their order. Read from the stored counts in
    two queries, however many recommendations there are."""
    sums = (
        _progress_current()
        .filter(language__in=languages)
        .values("recommendation__working_group_id", "language")
        .annotate(total_=Sum("total"), translated_=Sum("translated"), stale_=Sum("stale"))
        .order_by()
    )
    found: dict[int, dict[str, Completeness]] = {}
    for row in sums:
        found.setdefault(row["recommendation__working_group_id"], {})[row["language"]] = (
            Completeness(row["language"], row["total_"], row["translated_"], row["stale_"])
        )
    groups = WorkingGroup.objects.filter(pk__in=found).order_by("position", "name")
    return [
        (
            group,
            [found[group.pk].get(language, Completeness(language)) for language in languages],
        )
        for group in groups
    ]


def completeness_by_language(
    table: list[tuple[WorkingGroup, list]], *, languages: list[str]
) -> list[Completeness]:
    """The table's columns summed: each language's progress over every group."""
    totals = {language: Completeness(language) for language in languages}
    for _group, cells in table:
        for cell in cells:
            totals[cell.language].add(cell)
    return list(totals.values())


def translations_waiting(
    *,
    languages: list[str],
    stale: bool | None = None,
    group: str = "",
    iteration: str = "",
    newest_first: bool = False,
) -> QuerySet[TranslationProgress]:
    """What waits in `languages`: each public recommendation's published version, per
    language, with a unit missing or stale (only stale ones with `stale`, only those with a
    unit missing with `stale=False`), from the stored counts; the longest published first
    (the newest with `newest_first`). In the working group of slug
    `group`, or published in the iteration of slug `iteration`, when given. One query."""
    rows = _progress_current().filter(language__in=languages)
    if stale is True:
        rows = rows.filter(stale__gt=0)
    elif stale is False:
        rows = rows.filter(translated__lt=F("total"))
    else:
        rows = rows.filter(Q(translated__lt=F("total")) | Q(stale__gt=0))
    if group:
        rows = rows.filter(recommendation__working_group__slug=group)
    if iteration:
        rows = rows.filter(version__iteration__slug=iteration)
    order = ["-published_at", "-pk"] if newest_first else ["published_at", "pk"]
    return rows.select_related("recommendation__working_group", "version__revision").order_by(
        *order
    )


def translation_drafts(*, recommendation: Recommendation, language: str) -> dict:
    """The drafts waiting for proofreading in `recommendation`'s translation into
    `language`, by unit key, with their authors. One query."""
    drafts = TranslationDraft.objects.filter(
        recommendation=recommendation, language=language
    ).select_related("author")
    return {draft.unit: draft for draft in drafts}


def translation_drafts_of(*, recommendations: list[int], language: str) -> dict[int, dict]:
    """translation_drafts for many recommendations (by pk) at once: by recommendation pk,
    its drafts in `language` by unit key. One query."""
    found: dict[int, dict] = {}
    for draft in TranslationDraft.objects.filter(
        recommendation_id__in=recommendations, language=language
    ).select_related("author"):
        found.setdefault(draft.recommendation_id, {})[draft.unit] = draft
    return found


def recommendations_to_translate(*, pks) -> dict[int, Recommendation]:
    """recommendation_to_translate for many: by pk, those of `pks` that are published (the
    others are left out)."""
    return (
        recommendations_published()
        .select_related("published_version__revision", "working_group")
        .in_bulk(list(pks))
    )


def drafts_to_proofread(*, user, languages: list[str]) -> QuerySet:
    """What `user` may proofread in `languages`: per public recommendation and language,
    the drafts of others (the core team's: every draft), counted, the newest first, with
    `recommendation__working_group`, the number and the published title. Only the
    languages of `languages` that `user` proofreads (may_proofread_into: in a language with
    assigned proofreaders, theirs only): the rule of may_proofread, as a queryset. One
    query (and languages_with_proofreaders, once per request); none when no language is
    left."""
    from recommendations.predicates import may_proofread_into

    proofread = [language for language in languages if may_proofread_into(user, language)]
    drafts = TranslationDraft.objects.filter(
        language__in=proofread, recommendation__in=recommendations_published()
    )
    if not is_core_team(user):
        drafts = drafts.exclude(author=user)
    return (
        drafts.values(
            "recommendation_id",
            "language",
            "recommendation__number",
            "recommendation__working_group__name",
            title=F("recommendation__published_version__revision__" + source_field("title")),
        )
        .annotate(drafts=Count("pk"), newest=Max("updated_at"), oldest=Min("updated_at"))
        .order_by("-newest", "recommendation_id", "language")
    )


def iteration_set_version_ids(*, iteration) -> list[int]:
    """The ids of the versions of an iteration's set, in the set's order (a file of the
    whole iteration reads them a chunk at a time). One query."""
    from recommendations.selectors.reading import iteration_set

    return list(iteration_set(iteration=iteration).values_list("pk", flat=True))


def iteration_set_recommendation_ids(*, iteration, among) -> set[int]:
    """Which of the recommendations `among` (ids) are in an iteration's set. One query."""
    from recommendations.selectors.reading import iteration_set

    return set(
        iteration_set(iteration=iteration)
        .filter(recommendation_id__in=list(among))
        .values_list("recommendation_id", flat=True)
    )


def recommendations_named(*, pks) -> dict:
    """Recommendations by id, with their group (to name them in a report). One query."""
    return Recommendation.objects.select_related("working_group").in_bulk(list(pks))


@dataclass
class LanguageProgress:
    """One language's translation of some units (a recommendation's, an iteration's set):
    its units in all, translated, stale (the stored counts of the published versions,
    TranslationProgress, which is what translators translate), and the drafts waiting
    for proofreading."""

    language: str
    total: int = 0
    translated: int = 0
    stale: int = 0
    drafts: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def current(self) -> int:
        return self.translated - self.stale

    @property
    def changed(self) -> int:
        """The units missing or stale."""
        return self.missing + self.stale


def recommendation_languages(*, recommendation, languages: list[str]) -> list[LanguageProgress]:
    """The recommendation's published version in each of `languages` (LanguageProgress),
    in their order. Two queries: the stored counts, the drafts counted by language."""
    found = {language: LanguageProgress(language) for language in languages}
    counts = TranslationProgress.objects.filter(
        recommendation=recommendation, language__in=languages
    ).values_list("language", "total", "translated", "stale")
    for language, total, translated, stale in counts:
        found[language].total, found[language].translated = total, translated
        found[language].stale = stale
    drafts = (
        TranslationDraft.objects.filter(recommendation=recommendation, language__in=languages)
        .values("language")
        .annotate(drafts_=Count("pk"))
        .order_by()
    )
    for row in drafts:
        found[row["language"]].drafts = row["drafts_"]
    return list(found.values())


@dataclass
class IterationLanguage(LanguageProgress):
    """One language's translation of one iteration's set, and its ready mark.

    The rule of a ready mark, written once: the mark holds while no unit of the set is
    missing or stale; once one is, the mark is shown "changed since" with their number,
    never as ready. (Drafts waiting change nothing the public reads, so they do not undo a
    mark; they only keep a language from being marked.)"""

    iteration_id: int = 0
    mark: TranslationReadiness | None = None

    @property
    def ready(self) -> bool:
        return self.mark is not None and not self.changed

    @property
    def changed_since(self) -> bool:
        return self.mark is not None and bool(self.changed)

    @property
    def may_be_marked(self) -> bool:
        return not self.refusals

    @property
    def refusals(self) -> list[tuple[str, int]]:
        """Why the language may not be marked ready now, as (code, count): a set with
        nothing in it; untranslated units, stale units, drafts waiting for proofreading;
        none when it may be."""
        if not self.total:
            return [("empty", 0)]
        found = [("untranslated", self.missing), ("stale", self.stale), ("drafts", self.drafts)]
        return [(code, count) for code, count in found if count]


def iteration_languages(
    *, iterations: list, languages: list[str], marked_only: bool = False
) -> dict[tuple[int, str], IterationLanguage]:
    """Each of `languages` in each of `iterations`' sets (IterationLanguage), by
    (iteration pk, language). Three grouped queries, however many recommendations,
    iterations and languages: the marks, the stored counts, the drafts. With
    `marked_only`, only the pairs with a mark, and one query when there is none (the
    public iteration page)."""
    marks = TranslationReadiness.objects.filter(iteration__in=iterations, language__in=languages)
    found = {
        (iteration.pk, language): IterationLanguage(language, iteration_id=iteration.pk)
        for iteration in iterations
        for language in languages
    }
    for mark in marks:
        found[(mark.iteration_id, mark.language)].mark = mark
    if marked_only:
        found = {key: state for key, state in found.items() if state.mark is not None}
        if not found:
            return found
    versions = iteration_sets(iterations=iterations)
    counts = (
        versions.filter(recommendation__translation_progress__language__in=languages)
        .values("iteration_id", code=F("recommendation__translation_progress__language"))
        .annotate(
            total_=Sum("recommendation__translation_progress__total"),
            translated_=Sum("recommendation__translation_progress__translated"),
            stale_=Sum("recommendation__translation_progress__stale"),
        )
    )
    for row in counts:
        state = found.get((row["iteration_id"], row["code"]))
        if state is not None:
            state.total, state.translated = row["total_"], row["translated_"]
            state.stale = row["stale_"]
    drafts = (
        versions.filter(recommendation__translation_drafts__language__in=languages)
        .values("iteration_id", code=F("recommendation__translation_drafts__language"))
        .annotate(drafts_=Count("recommendation__translation_drafts"))
    )
    for row in drafts:
        state = found.get((row["iteration_id"], row["code"]))
        if state is not None:
            state.drafts = row["drafts_"]
    return found


def iteration_language(*, iteration, language: str) -> IterationLanguage:
    """One language's translation of one iteration's set (iteration_languages)."""
    return iteration_languages(iterations=[iteration], languages=[language])[
        (iteration.pk, language)
    ]


def iteration_marked_languages(*, iteration) -> list[IterationLanguage]:
    """The languages marked ready for `iteration`, in the order of the site's languages,
    each ready or changed since (IterationLanguage). One query when none is marked, three
    otherwise."""
    languages = translation_units.translation_languages()
    found = iteration_languages(iterations=[iteration], languages=languages, marked_only=True)
    return [found[key] for key in sorted(found, key=lambda key: languages.index(key[1]))]


# What the translators' home works out from many rows, kept (strategy/fragments.py) under
# the generations of the models whose rows change it (connected in apps.py; the stored
# counts, written in bulk, move theirs in translation_progress_record).
COMPLETENESS_MODELS = (
    "recommendations.TranslationProgress",
    "recommendations.Recommendation",
    "groups.WorkingGroup",
)
WAITING_MODELS = (
    *COMPLETENESS_MODELS,
    "recommendations.Version",
    "recommendations.Iteration",
    "recommendations.TranslationReadiness",
    "recommendations.TranslationDraft",
)
# Who proofreads which language is said by the service that assigns them
# (strategy/accounts/services.py, needs_me.PROOFREADERS).
PROOFREADING_MODELS = (
    "recommendations.TranslationDraft",
    "proofreaders",
    "recommendations.Recommendation",
    "groups.WorkingGroup",
)
TRANSLATORS_HOME_MODELS = tuple(
    sorted({*COMPLETENESS_MODELS, *WAITING_MODELS, *PROOFREADING_MODELS} - {"proofreaders"})
)


def translators_home_lists(
    *, languages: list[str], shown: int, group: str = "", iteration: str = ""
) -> dict:
    """What waits in `languages` for every translator of them (translations_waiting: the
    newest `shown` of the missing and of the stale, and how many there are), and each
    iteration with its ready marks in them (IterationLanguage by (iteration pk,
    language)). Four to eight queries: what the translators' home keeps of it
    (WAITING_MODELS) is kept in the view."""
    found = {}
    for name, stale in (("missing", False), ("stale", True)):
        rows = translations_waiting(
            languages=languages, stale=stale, newest_first=True, group=group, iteration=iteration
        )
        head = list(rows[: shown + 1])
        found[name] = {
            "rows": head[:shown],
            "count": len(head) if len(head) <= shown else rows.count(),
        }
    found["iterations"] = list(iterations_in_order())
    found["marks"] = iteration_languages(
        iterations=found["iterations"], languages=languages, marked_only=True
    )
    return found


def proofreading_head(*, user, languages: list[str], shown: int) -> dict:
    """drafts_to_proofread for `user`: the newest `shown` and how many (their own drafts
    are left out, the core team's are not; PROOFREADING_MODELS change it). One or two
    queries, and languages_with_proofreaders."""
    rows = drafts_to_proofread(user=user, languages=languages)
    head = list(rows[: shown + 1])
    return {"rows": head[:shown], "count": len(head) if len(head) <= shown else rows.count()}
