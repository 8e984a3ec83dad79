"""Reads for the groups app. Each returns a queryset whose size of query does not grow with
the number of groups or members."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Role, WorkingGroup, active_membership_q


def group_list() -> QuerySet[WorkingGroup]:
    """Every working group with its area and the number of people currently in it."""
    return WorkingGroup.objects.select_related("thematic_area").annotate(
        member_count=Count(
            "memberships__user",
            filter=active_membership_q(prefix="memberships__"),
            distinct=True,
        )
    )


def groups_in_order() -> QuerySet[WorkingGroup]:
    """Every working group, by position, then in the order they were made."""
    return WorkingGroup.objects.order_by("position", "pk")


def groups_with_former_names() -> QuerySet[WorkingGroup]:
    """Every working group in order, with its area and its former names (the API's list)."""
    return groups_in_order().select_related("thematic_area").prefetch_related("former_names")


def group_detail_queryset() -> QuerySet[WorkingGroup]:
    """Groups with everything their public page shows: area, scope questions, former names
    and current members with their people."""
    members = (
        Membership.objects.active()
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name", "user__username")
    )
    return WorkingGroup.objects.select_related("thematic_area").prefetch_related(
        "guiding_questions",
        "former_names",
        Prefetch("memberships", queryset=members, to_attr="current_memberships"),
    )


def group_people(group: WorkingGroup) -> list[dict]:
    """The group's current members, one entry a person with every role they hold.
    Needs `group` from group_detail_queryset()."""
    people: dict[int, dict] = {}
    for membership in group.current_memberships:
        entry = people.setdefault(
            membership.user_id,
            {"user": membership.user, "roles": [], "affiliation": membership.affiliation_text},
        )
        entry["roles"].append(membership.get_role_display())
    return list(people.values())


def member_group_ids(*, user) -> QuerySet:
    """The ids of the groups a person belongs to now, in any role, as a subquery (none for
    an anonymous visitor): what every "their group's ..." filter asks."""
    if not user.is_authenticated:
        return Membership.objects.none().values("working_group_id")
    return Membership.objects.active().filter(user=user).values("working_group_id")


def group_invitations_pending(*, group: WorkingGroup) -> QuerySet[Invitation]:
    """The group's invitations that can still be accepted, newest first: what the core
    team may send again or revoke."""
    return (
        Invitation.objects.pending()
        .filter(working_group=group)
        .select_related("working_group", "invited_by", "notice")
        .order_by("-created_at", "pk")
    )


@dataclass(frozen=True)
class NextStep:
    text: str
    label: str
    url: str


def group_next_steps(*, group: WorkingGroup, user) -> list[NextStep]:
    """What a member of `group` does first, by the roles `user` holds in it (none for
    anyone else). Needs `group` from group_detail_queryset(): no query."""
    roles = {m.role for m in group.current_memberships if m.user_id == user.pk}
    if not roles:
        return []
    steps = [
        NextStep(
            _("Read the group's drafts and comment where you can help."),
            _("Open your group's drafts in the workspace"),
            f"{reverse('workspace')}?group={group.slug}",
        )
    ]
    if Role.COORDINATOR in roles:
        steps.append(
            NextStep(
                _("Start a draft, and submit it for review when the group agrees."),
                _("Start a draft"),
                reverse("recommendations:create", args=[group.slug]),
            )
        )
    if Role.WRITER in roles:
        steps.append(
            NextStep(
                _("Link each synthesized recommendation to the sources it reflects."),
                _("Open the synthesis"),
                reverse("synthesis:overview"),
            )
        )
    if Role.CONNECTOR in roles:
        steps.append(
            NextStep(
                _("Attach community conversations, research and assessments."),
                _("Attach inputs"),
                reverse("synthesis:inputs"),
            )
        )
    if Role.REVIEWER in roles:
        steps.append(
            NextStep(
                _("Accept or decline the reviews assigned to you."),
                _("Assigned to me"),
                reverse("reviews"),
            )
        )
    return steps


def username_taken(*, username: str) -> bool:
    """Whether an account has this user name, whatever its case: "Ana" is taken by "ana"."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(username__iexact=username).exists()


def group_members(*, groups: QuerySet[WorkingGroup]) -> QuerySet:
    """Everyone who currently belongs to any of `groups`, in any role, each person once."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        pk__in=Membership.objects.active().filter(working_group__in=groups).values("user")
    )


# A group's page lists this many of its recommendations, and links to the list for the rest.
GROUP_PAGE_RECOMMENDATIONS = 25


def group_published(*, group: WorkingGroup, language: str) -> tuple[list, int]:
    """The first of the group's published recommendations (the public site's own selector:
    published versions only, withdrawn ones left out), each with `display_title` as the
    public reads it in `language`, and how many there are. Two queries."""
    from recommendations import selectors as recommendation_selectors

    versions = recommendation_selectors.public_versions(
        group=group.slug, bodies=False, translations=False
    )
    shown = list(versions[:GROUP_PAGE_RECOMMENDATIONS])
    for version in shown:
        heading = recommendation_selectors.public_heading(
            version.recommendation, version.revision, language
        )
        version.display_title = heading["title"]
        version.title_translated = heading["translated"]
    return shown, versions.count()


def invitations_pending() -> QuerySet[Invitation]:
    """Every group's invitations that can still be accepted, the oldest first: what the
    core team follows up."""
    return Invitation.objects.pending().select_related("working_group").order_by("created_at", "pk")


def memberships_named(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """`memberships` with the person and the group that name each (Membership.__str__)."""
    return memberships.select_related("user", "working_group")
