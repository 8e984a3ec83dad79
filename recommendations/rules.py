"""Who may do what with recommendations and their review: the table. It lives in
docs/permissions.md too; each cell has a test in tests/recommendations/test_permissions*.py.
The predicates it combines are in predicates.py."""

import rules

from groups.predicates import is_group_coordinator, is_group_writer
from strategy.predicates import is_core_team

from .predicates import (
    can_edit,
    has_published_version,
    is_comment_author_in_window,
    is_in_synthesis,
    is_member_of_thread_group,
    is_synthesis,
    is_synthesis_connector,
    is_synthesis_writer,
    may_decide_suggestion,
    may_proofread,
    may_proofread_into,
    may_read_working_copy,
    may_see_version,
    may_suggest,
    may_translate,
    may_translate_into,
)

# The object is a working group.
rules.add_perm("recommendations.create_in_group", can_edit)
rules.add_perm("recommendations.rank", is_core_team | is_group_coordinator)
# The object is a recommendation.
# The current text and its history, possibly unpublished; and the published version.
rules.add_perm("recommendations.read_working_copy", may_read_working_copy)
rules.add_perm("recommendations.read_published", has_published_version)
rules.add_perm("recommendations.view_history", may_read_working_copy)
rules.add_perm("recommendations.edit", can_edit)
# Freeze versions, submit for review, publish in an iteration, withdraw, assign reviewers.
rules.add_perm("recommendations.manage_review", is_core_team | is_group_coordinator)
# The object is a version.
rules.add_perm("recommendations.view_review", may_see_version)
rules.add_perm("recommendations.comment", may_see_version)
rules.add_perm("recommendations.suggest", may_suggest)
# The object is a thread.
rules.add_perm("recommendations.resolve_thread", is_core_team | is_member_of_thread_group)
# The object is a suggestion: accept (with changes or not) or decline it.
rules.add_perm("recommendations.decide_suggestion", may_decide_suggestion)
# Hide a suggestion (or show it again), with a reason: who moderates community feedback.
rules.add_perm("recommendations.hide_suggestion", is_core_team | is_synthesis_connector)
# The object is a comment.
rules.add_perm("recommendations.edit_comment", is_comment_author_in_window)

# The synthesis.
rules.add_perm("recommendations.link_sources", is_core_team | (is_synthesis & is_group_writer))
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
# Translations: the translators' home and the completeness table; the object of
# translate_into is a language code.
rules.add_perm("recommendations.see_translations", may_translate)
rules.add_perm("recommendations.translate_into", may_translate_into)
# A translator's own text: public at once for the core team; a volunteer's is a draft.
rules.add_perm("recommendations.publish_translation", is_core_team)
# The object is a translation draft: who proofreads it and marks it ready; for
# proofread_into, a language code (whether one proofreads others' drafts in it).
rules.add_perm("recommendations.proofread_translation", may_proofread)
rules.add_perm("recommendations.proofread_into", may_proofread_into)
# The object is a language code: who marks it ready for an iteration (and takes the mark
# back), the language's proofreaders.
rules.add_perm("recommendations.mark_language_ready", may_proofread_into)
