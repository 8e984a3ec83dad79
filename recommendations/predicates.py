"""The predicates of the recommendations' rules (rules.py is the table that uses them)."""

import rules

from groups.predicates import holds_role_in_kind, is_group_member, is_group_writer
from strategy.predicates import is_core_team


def _group_of(target):
    return getattr(target, "working_group", None) or target


@rules.predicate
def is_synthesis(user, target) -> bool:
    from groups.models import WorkingGroup

    return target is not None and _group_of(target).kind == WorkingGroup.Kind.SYNTHESIS


def _holds_synthesis_role(*roles):
    @rules.predicate
    def holds(user) -> bool:
        from groups.models import WorkingGroup

        return holds_role_in_kind(user, WorkingGroup.Kind.SYNTHESIS, roles)

    return holds


# In a thematic group every member drafts; synthesized recommendations are the writers'.
can_edit = is_core_team | (~is_synthesis & is_group_member) | (is_synthesis & is_group_writer)


# Reading. Who reads what is written once, as querysets, in selectors/reading.py and
# selectors/review.py; these predicates are membership of them.
@rules.predicate
def may_read_working_copy(user, recommendation) -> bool:
    from recommendations.selectors.reading import working_copy_readable

    return recommendation is not None and working_copy_readable(
        user=user, recommendation=recommendation
    )


@rules.predicate
def has_published_version(user, recommendation) -> bool:
    from recommendations.selectors.reading import published_readable

    return recommendation is not None and published_readable(recommendation=recommendation)


@rules.predicate
def may_see_version(user, version) -> bool:
    from recommendations.selectors.review import version_visible

    return version_visible(user=user, version=version)


@rules.predicate
def is_member_of_thread_group(user, thread) -> bool:
    return is_group_member(user, thread.version.recommendation)


@rules.predicate
def is_comment_author_in_window(user, comment) -> bool:
    return comment.author_id == user.pk and comment.editable_now()


# Roles in the synthesis group.
is_synthesis_writer = _holds_synthesis_role("writer")
is_synthesis_connector = _holds_synthesis_role("connector")
is_in_synthesis = _holds_synthesis_role(
    "writer", "connector", "reviewer", "member", "coordinator", "liaison"
)


# Translators: who translates into which language is written once, in
# selectors/translations.py (translator_languages): the core team, every language; anyone
# else signed in, the languages they volunteered for on their profile (or every language,
# for those given the `translate_recommendation` permission who chose none).
def _translator_languages(user) -> list[str]:
    from recommendations.selectors.translations import translator_languages

    return translator_languages(user=user)


@rules.predicate
def may_translate(user) -> bool:
    return bool(_translator_languages(user))


@rules.predicate
def may_translate_into(user, language) -> bool:
    return language in _translator_languages(user)


# The volunteers, counted as translators ("Needs me"); the core team translates too, but
# what waits for it is its own.
is_translator = may_translate & ~is_core_team


# Suggested changes. On a review snapshot, those who may see its review suggest (the group,
# the assigned reviewers, the core team: the rule of commenting); on a published
# iteration, anyone signed in, while the recommendation is public (community feedback's
# rule; its rate limit is the service's). Who decides is who edits the draft it changes.
@rules.predicate
def may_suggest(user, version) -> bool:
    from recommendations.models import Version
    from recommendations.selectors.reading import published_readable

    if version is None or not user.is_authenticated or not user.is_active:
        return False
    if version.kind == Version.Kind.ITERATION:
        return published_readable(recommendation=version.recommendation)
    return may_see_version(user, version)


@rules.predicate
def may_decide_suggestion(user, suggestion) -> bool:
    return suggestion is not None and can_edit(user, suggestion.version.recommendation)


# Proofreading, in two steps: a language, then a draft of it.
# - The language: the core team proofreads every one. In a language with at least one
#   assigned proofreader (the core team assigns them, `User.proofreads`), only they do;
#   in any other, every translator of it, as before assignments existed. An assigned
#   proofreader translates into the language (translator_languages), so they reach its
#   drafts. Which languages have one is read once per request (languages_with_proofreaders).
# - The draft: never its author's own (but the core team's, whose saves are public anyway).
# The selectors list by the same predicate (selectors/translations.py, drafts_to_proofread).
@rules.predicate
def may_proofread_into(user, language) -> bool:
    from recommendations.selectors.translations import languages_with_proofreaders

    if not may_translate_into(user, language):
        return False
    if is_core_team(user):
        return True
    return language not in languages_with_proofreaders() or language in (user.proofreads or [])


# The object is a translation draft.
@rules.predicate
def may_proofread(user, draft) -> bool:
    if draft is None or not may_proofread_into(user, draft.language):
        return False
    return is_core_team(user) or draft.author_id != user.pk
