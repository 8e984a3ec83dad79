"""What waits for a person ("Needs me"): one page each, by role, oldest first, each item
linking to the page where it is done; and its count, beside the notifications in the
header. It gathers every app's part, so it lives in the top layer (docs/code-map.md).

Each app answers for its own part in its selectors, and who holds which role is the
predicates' (groups/predicates.py, recommendations/predicates.py, strategy/predicates.py):
this module only asks them and says each answer as an item. The whole is worked out once
per request (strategy/memo.py): the header's count of a page that lists the items is the
length of that list, and on any other page a few counting queries, one per kind of item.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
    """One kind of item: its rows (a selector's queryset, or a list), and how a row reads."""

    rows: Callable[[], QuerySet | list]
    item: Callable[[object], Item]

    def count(self) -> int:
        rows = self.rows()
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    def items(self) -> list[Item]:
        return [self.item(row) for row in self.rows()]


@dataclass
class Section:
    role: str
    heading: str
    sources: list[Source] = field(default_factory=list)

    @cached_property
    def items(self) -> list[Item]:
        """Every item of the role, the oldest first."""
        found = [item for source in self.sources for item in source.items()]
        return sorted(found, key=lambda item: item.since)

    def count(self) -> int:
        """How many items: those listed, once they are; else counted by the database."""
        if "items" in self.__dict__:
            return len(self.items)
        return sum(source.count() for source in self.sources)


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
HEADINGS = {
    "reviewer": gettext_lazy("As a reviewer"),
    "coordinator": gettext_lazy("As a coordinator"),
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
                [Source(lambda: review.assignments_waiting(user=user), _assignment)],
            )
        )
    coordinated = group_ids_with_role(user, Role.COORDINATOR)
    if coordinated:
        found.append(
            Section(
                "coordinator",
                HEADINGS["coordinator"],
                [
                    Source(
                        lambda: review.versions_without_reviewer(user=user, group_ids=coordinated),
                        _unreviewed,
                    ),
                    Source(
                        lambda: review.review_threads_waiting(user=user, group_ids=coordinated),
                        _waiting_thread,
                    ),
                    Source(
                        lambda: review.recommendations_ready_to_publish(
                            user=user, group_ids=coordinated
                        ),
                        _ready,
                    ),
                ],
            )
        )
    if is_synthesis_connector(user):
        found.append(
            Section(
                "connector",
                HEADINGS["connector"],
                [Source(feedback.feedback_to_triage, _feedback)],
            )
        )
    if is_synthesis_writer(user):
        found.append(
            Section("writer", HEADINGS["writer"], [Source(synthesis.sources_undecided, _source)])
        )
    if is_translator(user):
        languages = translations.translator_languages(user=user)
        found.append(
            Section(
                "translator",
                HEADINGS["translator"],
                [
                    Source(
                        lambda: translations.translations_waiting(languages=languages),
                        _translation,
                    )
                ],
            )
        )
    if is_core_team(user):
        found.append(
            Section(
                "core_team",
                HEADINGS["core_team"],
                [Source(group_selectors.invitations_pending, _invitation)],
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
        """The sections with their items read (before the header asks for the count, which
        is then their number)."""
        for section in self.sections:
            section.items  # noqa: B018
        return self.sections

    @cached_property
    def count(self) -> int:
        return sum(section.count() for section in self.sections)


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
