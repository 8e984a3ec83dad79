"""Reads for recommendations, by subdomain: drafting (revisions) and review."""

from .drafting import (
    recommendations_editable_by,
    recommendations_visible_to,
    revision_count,
    revision_get,
    revision_latest,
    revision_list,
    workspace_groups,
    workspace_page,
)
from .public import (
    iteration_set,
    iterations_public,
    latest_published,
    public_recommendation,
    public_versions,
    published_iterations,
)
from .review import (
    assignments_for_reviewer,
    earlier_open_threads,
    open_threads_for_member,
    public_feedback,
    thread_comments,
    thread_list,
    version_list,
    versions_visible_to,
)

__all__ = [
    "assignments_for_reviewer",
    "earlier_open_threads",
    "iteration_set",
    "iterations_public",
    "latest_published",
    "open_threads_for_member",
    "public_feedback",
    "public_recommendation",
    "public_versions",
    "published_iterations",
    "recommendations_editable_by",
    "recommendations_visible_to",
    "revision_count",
    "revision_get",
    "revision_latest",
    "revision_list",
    "thread_comments",
    "thread_list",
    "version_list",
    "versions_visible_to",
    "workspace_groups",
    "workspace_page",
]
