"""Writes for recommendations, by subdomain: drafting (revisions) and review (versions,
assignments, comment threads)."""

from .drafting import (
    EditConflict,
    edit_conflict,
    recommendation_create,
    recommendation_rank,
    recommendation_restore,
    recommendation_update,
    source_text,
)
from .feedback import comment_hide, comment_unhide, feedback_reply, feedback_start
from .iterations import iteration_close
from .reminders import reminder_assigned, reminders_due
from .review import (
    assignment_accept,
    assignment_complete,
    assignment_create,
    assignment_decline,
    assignments_roll_over,
    comment_edit,
    comment_reply,
    recommendation_publish,
    recommendation_submit_for_review,
    recommendation_withdraw,
    thread_reopen,
    thread_resolve,
    thread_start,
    version_freeze,
)
from .synthesis import (
    input_create,
    overlap_create,
    source_fate_clear,
    source_fate_set,
    source_link,
    source_unlink,
)
from .translation import translation_save

__all__ = [
    "EditConflict",
    "assignment_accept",
    "assignment_complete",
    "assignment_create",
    "assignment_decline",
    "assignments_roll_over",
    "comment_edit",
    "comment_hide",
    "comment_reply",
    "comment_unhide",
    "edit_conflict",
    "feedback_reply",
    "feedback_start",
    "input_create",
    "iteration_close",
    "overlap_create",
    "recommendation_create",
    "recommendation_publish",
    "recommendation_rank",
    "recommendation_restore",
    "recommendation_submit_for_review",
    "recommendation_update",
    "recommendation_withdraw",
    "reminder_assigned",
    "reminders_due",
    "source_fate_clear",
    "source_fate_set",
    "source_link",
    "source_text",
    "source_unlink",
    "thread_reopen",
    "thread_resolve",
    "thread_start",
    "translation_save",
    "version_freeze",
]
