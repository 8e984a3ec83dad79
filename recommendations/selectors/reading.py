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
"""

from django.conf import settings
from django.db.models import Case, F, Q, QuerySet, When
from django.utils.translation import get_language

from groups.models import Membership
from recommendations import translating
from recommendations.models import Recommendation, source_field
from strategy.predicates import is_core_team

WITHDRAWN = Recommendation.State.WITHDRAWN
TITLE = source_field("title")


def working_copy_q(*, user, prefix: str = "") -> Q | None:
    """The recommendations (at `prefix`, e.g. "recommendation__") whose working copy `user`
    may read; None means every one (the core team). An empty Q() would not do: OR-ed with
    another condition it vanishes."""
    if is_core_team(user):
        return None
    if not user.is_authenticated:
        return Q(**{f"{prefix}pk__in": []})
    groups = Membership.objects.active().filter(user=user).values("working_group_id")
    return Q(**{f"{prefix}working_group_id__in": groups})


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
        found = translating.translated_heading(recommendation, language)
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
