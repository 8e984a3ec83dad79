"""Reads for community feedback: a public thread, and every public comment for export."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from recommendations.models import Comment, Recommendation, Thread

from .review import with_carrying_iteration


def public_thread(*, pk: int) -> Thread:
    """A feedback thread on a recommendation not withdrawn (404 for anything else)."""
    return get_object_or_404(
        with_carrying_iteration(Thread.objects.all())
        .select_related(
            "version__recommendation__working_group",
            "version__iteration",
            "version__revision",
            "outcome_revision",
            "resolved_by",
        )
        .exclude(version__recommendation__state=Recommendation.State.WITHDRAWN),
        pk=pk,
        public=True,
    )


def public_comment(*, pk: int) -> Comment:
    """A comment on a feedback thread (what moderators hide and show); 404 otherwise."""
    return get_object_or_404(Comment, pk=pk, thread__public=True)


def thread_page_comments(*, thread: Thread) -> QuerySet[Comment]:
    return thread.comments.select_related("author", "hidden_by").order_by("created_at", "pk")


def public_comments() -> QuerySet[Comment]:
    """Every public comment, thread by thread: the feedback CSV."""
    return (
        Comment.objects.filter(thread__public=True)
        .exclude(thread__version__recommendation__state=Recommendation.State.WITHDRAWN)
        .select_related(
            "thread__version__recommendation__working_group", "thread__version__iteration"
        )
        .order_by("thread_id", "created_at")
    )


def feedback_to_triage() -> QuerySet[Thread]:
    """Community feedback still open, on recommendations not withdrawn: what connectors
    triage to an outcome, the oldest first. Each names the published version it is on."""
    return (
        Thread.objects.filter(public=True, status=Thread.Status.OPEN)
        .exclude(version__recommendation__state=Recommendation.State.WITHDRAWN)
        .select_related("version__recommendation__working_group", "version__revision")
        .order_by("created_at", "pk")
    )
