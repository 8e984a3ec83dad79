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


# Reading. Who reads what is written once, as querysets, in selectors/reading.py and
# selectors/review.py; these predicates are membership of them.
@rules.predicate
def may_read_working_copy(user, recommendation) -> bool:
    from .selectors.reading import working_copy_readable

    return recommendation is not None and working_copy_readable(
        user=user, recommendation=recommendation
    )


@rules.predicate
def has_published_version(user, recommendation) -> bool:
    from .selectors.reading import published_readable

    return recommendation is not None and published_readable(recommendation=recommendation)


@rules.predicate
def may_see_version(user, version) -> bool:
    from .selectors.review import versions_visible_to

    return versions_visible_to(user=user).filter(pk=version.pk).exists()


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
# The current text and its history, possibly unpublished; and the published version.
rules.add_perm("recommendations.read_working_copy", may_read_working_copy)
rules.add_perm("recommendations.read_published", has_published_version)
rules.add_perm("recommendations.read", may_read_working_copy | has_published_version)
rules.add_perm("recommendations.view_history", may_read_working_copy)
rules.add_perm("recommendations.edit", can_edit)
# Freeze versions, submit for review, publish in an iteration, withdraw, assign reviewers.
rules.add_perm("recommendations.manage_review", is_core_team | is_group_coordinator)
# The object is a version.
rules.add_perm("recommendations.view_review", may_see_version)
rules.add_perm("recommendations.comment", may_see_version)
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
