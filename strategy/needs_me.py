"""What waits for a person ("Needs me"): one page each, by role, oldest first, each item
linking to the page where it is done; and its count, beside the notifications in the
header. It gathers every app's part, so it lives in the top layer (docs/code-map.md).

Each app answers for its own part in its selectors, and who holds which role is the
predicates' (groups/predicates.py, recommendations/predicates.py, strategy/predicates.py):
this module only asks them and says each answer as an item. The whole is worked out once
per request (strategy/memo.py): the header's count of a page that lists the items is the
length of that list; on any other page it is the count kept for each kind of item (below,
CHANGED_BY), counted again only when something it depends on has changed. The page's
sections are kept too, read and rendered, under the same generations.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from groups import selectors as group_selectors
from groups.models import Role
from groups.predicates import current_roles, group_ids_with_role
from recommendations.models import ReviewAssignment
from recommendations.predicates import (
    is_synthesis_connector,
    is_synthesis_writer,
    is_translator,
)
from recommendations.selectors import feedback, review, synthesis, translations
from recommendations.selectors.suggestions import suggestions_to_decide
from strategy import fragments, generations
from strategy.context_processors import PersonCount
from strategy.memo import memoised
from strategy.predicates import is_core_team


@dataclass(frozen=True)
class Item:
    """One thing that waits: what to do, on what, where, since when, and where it is done."""

    what: str
    title: str
    where: str
    since: datetime
    url: str
    detail: str = ""
    due_on: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Source:
    """One kind of item (a key of CHANGED_BY): its rows (a selector's queryset, or a list),
    how a row reads, and what else than the person the rows depend on (`given`: the groups
    they coordinate, the languages they translate into)."""

    kind: str
    rows: Callable[[], QuerySet | list]
    item: Callable[[object], Item]
    given: tuple = ()

    def count(self) -> int:
        rows = self.rows()
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    def read(self) -> tuple[list[Item], int]:
        """The first SHOWN items (the rows come oldest first), and how many there are: one
        query, and a count only when there are more."""
        rows = self.rows()
        if isinstance(rows, QuerySet):
            head = list(rows[: SHOWN + 1])
            total = len(head) if len(head) <= SHOWN else rows.count()
        else:
            head, total = list(rows), len(rows)
        return [self.item(row) for row in head[:SHOWN]], total


@dataclass
class Section:
    role: str
    heading: str
    sources: list[Source] = field(default_factory=list)
    # Its markup (includes/section.html), once listed.
    html: str = ""

    @property
    def changed_by(self) -> set[str]:
        """What may change the section's items: its kinds' CHANGED_BY."""
        return {label for source in self.sources for label in CHANGED_BY[source.kind]}

    @cached_property
    def read(self) -> list[tuple[list[Item], int]]:
        """Each source's first items, and how many it has."""
        return [source.read() for source in self.sources]

    @cached_property
    def items(self) -> list[Item]:
        """The items of the role shown (at most SHOWN of each kind), the oldest first."""
        found = [item for items, _total in self.read for item in items]
        return sorted(found, key=lambda item: item.since)

    @cached_property
    def total(self) -> int:
        return sum(total for _items, total in self.read)

    @property
    def more(self) -> int:
        """How many wait beyond those shown."""
        return self.total - len(self.items)


def _numbered(number: str, title: str) -> str:
    return f"{number}. {title}"


def _assignment(assignment: ReviewAssignment) -> Item:
    version = assignment.version
    recommendation = version.recommendation
    pending = assignment.status == ReviewAssignment.Status.PENDING
    return Item(
        what=_("Answer a review request") if pending else _("Review this version"),
        title=_numbered(recommendation.number, version.source_title),
        where=recommendation.working_group.name,
        since=assignment.created_at,
        # Accepting or declining is done on the list of one's assignments; the review
        # itself, on the version.
        url=f"{reverse('reviews')}#assignment-{assignment.pk}"
        if pending
        else version.get_absolute_url(),
        detail=version.name,
        due_on=assignment.due_on,
        overdue=assignment.overdue,
    )


def _unreviewed(version) -> Item:
    recommendation = version.recommendation
    return Item(
        what=_("Assign a reviewer"),
        title=_numbered(recommendation.number, version.source_title),
        where=recommendation.working_group.name,
        since=version.created_at,
        url=f"{version.get_absolute_url()}#assignments-heading",
        detail=version.name,
    )


def _waiting_thread(thread) -> Item:
    recommendation = thread.version.recommendation
    return Item(
        what=ngettext(
            "Review thread open for more than %(days)s day",
            "Review thread open for more than %(days)s days",
            review.THREAD_WAITING_DAYS,
        )
        % {"days": review.THREAD_WAITING_DAYS},
        title=_numbered(recommendation.number, recommendation.source_title),
        where=recommendation.working_group.name,
        since=thread.created_at,
        url=thread.get_absolute_url(),
        detail=thread.quote[:80] if thread.quote else thread.version.name,
    )


def _ready(recommendation) -> Item:
    return Item(
        what=_("Ready to publish"),
        title=_numbered(recommendation.number, recommendation.source_title),
        where=recommendation.working_group.name,
        since=recommendation.ready_since,
        url=f"{recommendation.get_absolute_url()}#workflow-heading",
    )


def _feedback(thread) -> Item:
    version = thread.version
    recommendation = version.recommendation
    return Item(
        what=_("Triage feedback"),
        title=_numbered(recommendation.number, version.source_title),
        where=recommendation.working_group.name,
        since=thread.created_at,
        url=reverse("feedback:triage", args=[thread.pk]),
        detail=thread.quote[:80],
    )


def _suggestion(suggestion) -> Item:
    version = suggestion.version
    recommendation = version.recommendation
    return Item(
        what=_("Decide on a suggested change"),
        title=_numbered(recommendation.number, version.source_title),
        where=recommendation.working_group.name,
        since=suggestion.created_at,
        url=suggestion.get_absolute_url(),
        detail=(suggestion.quote or suggestion.replacement)[:80],
    )


def _source(source) -> Item:
    return Item(
        what=_("Decide what becomes of a source"),
        title=_numbered(source.number, source.shown_title),
        where=source.working_group.name,
        since=source.published_version.created_at,
        url=reverse("synthesis:fate", args=[source.pk]),
    )


def _translation(row) -> Item:
    recommendation = row.recommendation
    return Item(
        what=_("Translate into %(language)s")
        % {"language": dict(settings.LANGUAGES)[row.language]},
        title=_numbered(recommendation.number, row.version.source_title),
        where=recommendation.working_group.name,
        since=row.version.created_at,
        url=reverse("translations:edit", args=[recommendation.pk, row.language]),
        detail=_("%(missing)s missing, %(outdated)s outdated of %(total)s")
        % {"missing": row.missing, "outdated": row.stale, "total": row.total},
    )


def _proofreading(row: dict) -> Item:
    """The drafts of one recommendation in one language waiting for proofreading (a row of
    translations.drafts_to_proofread)."""
    return Item(
        what=_("Proofread the translation into %(language)s")
        % {"language": dict(settings.LANGUAGES)[row["language"]]},
        title=_numbered(row["recommendation__number"], row["title"]),
        where=row["recommendation__working_group__name"],
        since=row["oldest"],
        url=reverse("translations:edit", args=[row["recommendation_id"], row["language"]]),
        detail=ngettext("%(count)s draft", "%(count)s drafts", row["drafts"])
        % {"count": row["drafts"]},
    )


def _invitation(invitation) -> Item:
    group = invitation.working_group
    return Item(
        what=_("Invitation not yet accepted"),
        title=invitation.email,
        where=group.name,
        since=invitation.created_at,
        url=f"{group.get_absolute_url()}#invitation-{invitation.pk}",
        detail=invitation.get_role_display(),
    )


# Each role's section heading, in the order sections_for lists them.
# The most items of one kind the page lists (the oldest); the count says how many more.
SHOWN = 100

HEADINGS = {
    "reviewer": gettext_lazy("As a reviewer"),
    "coordinator": gettext_lazy("As a coordinator"),
    "member": gettext_lazy("As a member of a group"),
    "connector": gettext_lazy("As a connector"),
    "writer": gettext_lazy("As a writer"),
    "translator": gettext_lazy("As a translator"),
    "core_team": gettext_lazy("As the core team"),
}


def sections_for(user) -> list[Section]:
    """The sections of the roles `user` holds, each with its sources (nothing read yet
    but the roles)."""
    if not user.is_authenticated:
        return []
    found = []
    if any(Role.REVIEWER in roles for roles in current_roles(user).values()):
        found.append(
            Section(
                "reviewer",
                HEADINGS["reviewer"],
                [Source("assignments", lambda: review.assignments_waiting(user=user), _assignment)],
            )
        )
    coordinated = group_ids_with_role(user, Role.COORDINATOR)
    if coordinated:
        given = tuple(sorted(coordinated))
        found.append(
            Section(
                "coordinator",
                HEADINGS["coordinator"],
                [
                    Source(
                        "unreviewed",
                        lambda: review.versions_without_reviewer(user=user, group_ids=coordinated),
                        _unreviewed,
                        given,
                    ),
                    Source(
                        "waiting_threads",
                        lambda: review.review_threads_waiting(user=user, group_ids=coordinated),
                        _waiting_thread,
                        given,
                    ),
                    Source(
                        "ready",
                        lambda: review.recommendations_ready_to_publish(
                            user=user, group_ids=coordinated
                        ),
                        _ready,
                        given,
                    ),
                    Source(
                        "suggestions",
                        lambda: suggestions_to_decide(group_ids=coordinated),
                        _suggestion,
                        given,
                    ),
                ],
            )
        )
    # A group's members decide on the suggestions made on its versions (those of the
    # groups one coordinates are in the coordinator's section; a synthesis writer's, in
    # the writer's). The core team may decide on any, and is not asked to; nor are a
    # group's reviewers, liaisons, connectors. (A synthesis group's members decide none:
    # their section stays empty, telling them nothing of the kind waits.)
    drafting = group_ids_with_role(user, Role.MEMBER) - coordinated
    if drafting:
        given = tuple(sorted(drafting))
        found.append(
            Section(
                "member",
                HEADINGS["member"],
                [
                    Source(
                        "suggestions",
                        lambda: suggestions_to_decide(group_ids=drafting),
                        _suggestion,
                        given,
                    )
                ],
            )
        )
    if is_synthesis_connector(user):
        found.append(
            Section(
                "connector",
                HEADINGS["connector"],
                [Source("feedback", feedback.feedback_to_triage, _feedback)],
            )
        )
    if is_synthesis_writer(user):
        found.append(
            Section(
                "writer",
                HEADINGS["writer"],
                [
                    Source("sources", synthesis.sources_undecided, _source),
                    Source(
                        "suggestions",
                        lambda: suggestions_to_decide(
                            synthesis_ids=group_ids_with_role(user, Role.WRITER)
                        ),
                        _suggestion,
                        ("synthesis", *sorted(group_ids_with_role(user, Role.WRITER))),
                    ),
                ],
            )
        )
    if is_translator(user):
        languages = translations.translator_languages(user=user)
        found.append(
            Section(
                "translator",
                HEADINGS["translator"],
                [
                    Source(
                        "translations",
                        lambda: translations.translations_waiting(languages=languages),
                        _translation,
                        tuple(sorted(languages)),
                    ),
                    Source(
                        "proofreading",
                        lambda: translations.drafts_to_proofread(user=user, languages=languages),
                        _proofreading,
                        tuple(sorted(languages)),
                    ),
                ],
            )
        )
    if is_core_team(user):
        found.append(
            Section(
                "core_team",
                HEADINGS["core_team"],
                [Source("invitations", group_selectors.invitations_pending, _invitation)],
            )
        )
    return found


class NeedsMe:
    """What waits for one person, worked out once: the sections of the roles they hold,
    and how many items they have in all."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def sections(self) -> list[Section]:
        return sections_for(self.user)

    def listed(self) -> list[Section]:
        """The sections with their items read and rendered (before the header asks for the
        count, which is then their number). Each section is kept for its person in this
        process (strategy/fragments.py) under the generations of what changes it
        (CHANGED_BY) and the language and time zone it was rendered in; what a section
        counted when worked out is kept for the header's count too."""
        language, zone = get_language(), timezone.get_current_timezone_name()
        for section in self.sections:

            def compute(section=section):
                section.read  # noqa: B018
                _keep(self.user, section.sources, [total for _items, total in section.read])
                html = render_to_string("needs_me/includes/section.html", {"section": section})
                return {"read": section.read, "html": html}

            found = fragments.kept(
                "needs-me-section",
                (
                    self.user.pk,
                    section.role,
                    tuple(source.given for source in section.sources),
                    language,
                    zone,
                ),
                compute,
                models=section.changed_by,
            )
            section.__dict__["read"] = found["read"]
            section.html = mark_safe(found["html"])  # noqa: S308 (rendered by a template)
        return self.sections

    @cached_property
    def count(self) -> int:
        """How many items: those listed, once they are; else the counts kept, each kind
        counted by the database when it has none."""
        if all("read" in section.__dict__ for section in self.sections):
            return sum(section.total for section in self.sections)
        return sum(_counts(self.user, [s for section in self.sections for s in section.sources]))


# What may change each kind of item for anyone: a row of these models saved or deleted.
# Each kind's count is kept per person, under the generations of its models (a change
# moves its models' generation once the transaction commits), so a count made before a
# change is never read after it. Who holds which role is read on every request (the
# sections), and memberships change what a person reads, so they are among every kind's.
# What time alone changes (a review thread's week passing, an invitation expiring, a
# membership's last day) shows within COUNT_SECONDS. The page's sections are kept per
# person under the same generations (NeedsMe.listed), and what time alone changes shows
# there within fragments.RENEWED_SECONDS.
CHANGED_BY = {
    "assignments": (
        "recommendations.ReviewAssignment",
        "recommendations.Version",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
    "unreviewed": (
        "recommendations.ReviewAssignment",
        "recommendations.Version",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
    "waiting_threads": (
        "recommendations.Thread",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
    "ready": (
        "recommendations.ReviewAssignment",
        "recommendations.Thread",
        "recommendations.Version",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
    "feedback": (
        "recommendations.Thread",
        "recommendations.Version",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
    "sources": (
        "recommendations.SourceFate",
        "recommendations.SourceLink",
        "recommendations.Version",
        "recommendations.Recommendation",
        "groups.WorkingGroup",
        "groups.Membership",
    ),
    # The stored counts are written in bulk (no signal), with the recommendation whose
    # translation or published version changed.
    "translations": (
        "recommendations.TranslationProgress",
        "recommendations.Version",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
    # Others' drafts in one's languages, of the published recommendations; and who is
    # assigned to proofread which language (PROOFREADERS).
    "proofreading": (
        "recommendations.TranslationDraft",
        "proofreaders",
        "recommendations.Version",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
    "invitations": ("groups.Invitation", "groups.Membership"),
    "suggestions": (
        "recommendations.Suggestion",
        "recommendations.Recommendation",
        "groups.Membership",
    ),
}
COUNT_SECONDS = 5 * 60
# A change that is no model's row saved or deleted, said by the service that makes it
# (strategy.generations.model_changed): the assignment of proofreaders to languages (a
# person's row is saved at every sign-in, which changes nothing that waits).
PROOFREADERS = "proofreaders"
SAID_BY_SERVICES = {PROOFREADERS}


def _count_keys(user, sources: list[Source]) -> list[str]:
    """Where each source's count is kept: the person, the kind, what it was given, and the
    generations of what changes it."""
    labels = sorted({label for source in sources for label in CHANGED_BY[source.kind]})
    current = {
        label: "unknown" if value is None else value
        for label, value in generations.generations(labels).items()
    }
    found = []
    for source in sources:
        stamp = [current[label] for label in CHANGED_BY[source.kind]]
        digest = hashlib.md5(repr((source.given, stamp)).encode(), usedforsecurity=False)
        found.append(f"needs-me:count:{user.pk}:{source.kind}:{digest.hexdigest()}")
    return found


def _keep(user, sources: list[Source], counts: list[int]) -> None:
    if sources:
        keys = _count_keys(user, sources)
        cache.set_many(dict(zip(keys, counts, strict=True)), timeout=COUNT_SECONDS)


def _counts(user, sources: list[Source]) -> list[int]:
    """Each source's count: the one kept, else counted now (and kept)."""
    if not sources:
        return []
    keys = _count_keys(user, sources)
    kept = cache.get_many(keys)
    counted = {}
    for source, key in zip(sources, keys, strict=True):
        if key not in kept:
            counted[key] = kept[key] = source.count()
    if counted:
        cache.set_many(counted, timeout=COUNT_SECONDS)
    return [kept[key] for key in keys]


def connect() -> None:
    """Listen to the models of CHANGED_BY (once all apps are loaded)."""
    generations.connect(
        label for labels in CHANGED_BY.values() for label in labels if label not in SAID_BY_SERVICES
    )


def needs_me(user) -> NeedsMe:
    """What waits for `user`, once per request."""
    return memoised(("needs-me", user.pk), lambda: NeedsMe(user))


@login_required
def needs_me_page(request: HttpRequest) -> HttpResponse:
    """What waits for the signed-in person, by role, the oldest first."""
    waiting = needs_me(request.user)
    sections = waiting.listed()
    return render(request, "needs_me/needs_me.html", {"sections": sections, "count": waiting.count})


def waiting(request) -> dict:
    """The number of things that wait for the signed-in person, for the header (a context
    processor). A page rendered before the authentication middleware ran has no
    request.user: it counts none."""
    return {
        "needs_me_waiting": PersonCount(
            getattr(request, "user", None), lambda user: needs_me(user).count
        )
    }
