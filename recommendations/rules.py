"""Who may do what with recommendations and their review. The table lives in
docs/permissions.md; each cell has a test in tests/recommendations/test_permissions*.py."""

import rules
from django.conf import settings
from django.utils import timezone

from strategy.predicates import is_core_team, is_group_coordinator, is_group_member


def _group_of(target):
    return getattr(target, "working_group", None) or target


@rules.predicate
def is_synthesis(user, target) -> bool:
    from groups.models import WorkingGroup

    return target is not None and _group_of(target).kind == WorkingGroup.Kind.SYNTHESIS


@rules.predicate
def is_writer_in_group(user, target) -> bool:
    from groups.models import Membership, Role

    group = _group_of(target)
    return (
        user.is_authenticated
        and Membership.objects.active()
        .filter(user=user, working_group=group, role=Role.WRITER)
        .exists()
    )


def _holds_synthesis_role(*roles):
    @rules.predicate
    def holds(user) -> bool:
        from groups.models import Membership, WorkingGroup

        return (
            user.is_authenticated
            and Membership.objects.active()
            .filter(user=user, working_group__kind=WorkingGroup.Kind.SYNTHESIS, role__in=roles)
            .exists()
        )

    return holds


# In a thematic group every member drafts; synthesized recommendations are the writers'.
can_edit = is_core_team | (~is_synthesis & is_group_member) | (is_synthesis & is_writer_in_group)


@rules.predicate
def is_public(user, recommendation) -> bool:
    return recommendation is not None and recommendation.is_public


def _version_group(version):
    return version.recommendation


@rules.predicate
def is_member_of_version_group(user, version) -> bool:
    return is_group_member(user, _version_group(version))


@rules.predicate
def is_assigned_to_version(user, version) -> bool:
    from .models import ReviewAssignment

    return (
        user.is_authenticated
        and ReviewAssignment.objects.filter(version=version, reviewer=user)
        .exclude(status=ReviewAssignment.Status.DECLINED)
        .exists()
    )


@rules.predicate
def is_reviewer_on_open_version(user, version) -> bool:
    from groups.models import Membership, Role

    return (
        version.open_to_all_reviewers
        and user.is_authenticated
        and Membership.objects.active().filter(user=user, role=Role.REVIEWER).exists()
    )


@rules.predicate
def is_member_of_thread_group(user, thread) -> bool:
    return is_group_member(user, thread.version.recommendation)


@rules.predicate
def is_comment_author_in_window(user, comment) -> bool:
    window = timezone.timedelta(minutes=settings.COMMENT_EDIT_MINUTES)
    return comment.author_id == user.pk and timezone.now() - comment.created_at <= window


@rules.predicate
def is_the_reviewer(user, assignment) -> bool:
    return assignment.reviewer_id == user.pk


# The object is a working group.
rules.add_perm("recommendations.create_in_group", can_edit)
rules.add_perm("recommendations.rank", is_core_team | is_group_coordinator)
# The object is a recommendation.
rules.add_perm("recommendations.read", is_public | can_edit)
rules.add_perm("recommendations.edit", can_edit)
rules.add_perm("recommendations.view_history", can_edit)
# Freeze versions, submit for review, publish in an iteration, withdraw, assign reviewers.
rules.add_perm("recommendations.manage_review", is_core_team | is_group_coordinator)
# The object is a version.
can_review = (
    is_core_team | is_member_of_version_group | is_assigned_to_version | is_reviewer_on_open_version
)
rules.add_perm("recommendations.view_review", can_review)
rules.add_perm("recommendations.comment", can_review)
# The object is a thread.
rules.add_perm("recommendations.resolve_thread", is_core_team | is_member_of_thread_group)
# The object is a comment.
rules.add_perm("recommendations.edit_comment", is_comment_author_in_window)
# The object is a review assignment.
rules.add_perm("recommendations.answer_assignment", is_the_reviewer)

# The synthesis.
is_synthesis_writer = _holds_synthesis_role("writer")
is_synthesis_connector = _holds_synthesis_role("connector")
is_in_synthesis = _holds_synthesis_role(
    "writer", "connector", "reviewer", "member", "coordinator", "liaison"
)
rules.add_perm("recommendations.link_sources", is_core_team | (is_synthesis & is_writer_in_group))
rules.add_perm("recommendations.decide_fate", is_core_team | is_synthesis_writer)
rules.add_perm(
    "recommendations.map_overlaps", is_core_team | is_synthesis_writer | is_synthesis_connector
)
rules.add_perm("recommendations.add_inputs", is_core_team | is_synthesis_connector)
rules.add_perm("recommendations.see_synthesis", is_core_team | is_in_synthesis)
# Community feedback: anyone signed in writes; connectors and the core team moderate and
# triage.
rules.add_perm("recommendations.give_feedback", rules.is_authenticated & rules.is_active)
rules.add_perm("recommendations.triage_feedback", is_core_team | is_synthesis_connector)
