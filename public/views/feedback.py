"""Community feedback, in the open: a thread (with its reply and moderation forms for those
who may use them), and every public comment as CSV."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from public import invalidation
from public.caching import public_page
from recommendations.forms.feedback import HideForm
from recommendations.forms.review import CommentForm
from recommendations.selectors import feedback as feedback_selectors
from recommendations.selectors.suggestions import public_suggestion_rows
from strategy import csv_export

COMMENTS_PER_PAGE = 50


@public_page(reads=("page",), shows=invalidation.thread_feedback)
def feedback_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = feedback_selectors.public_thread(pk=pk)
    can_triage = request.user.has_perm("recommendations.triage_feedback")
    page = Paginator(
        feedback_selectors.thread_page_comments(thread=thread),
        COMMENTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "public/feedback_thread.html",
        {
            "thread": thread,
            "recommendation": thread.version.recommendation,
            "page": page,
            "can_triage": can_triage,
            "reply_form": CommentForm(),
            "hide_form": HideForm(),
        },
    )


@public_page(shows=invalidation.all_feedback)
def feedback_csv(request: HttpRequest) -> HttpResponse:
    """Every public comment, for analysis (hidden ones keep their place, not their text),
    then every suggestion on a published iteration with its outcome (hidden ones, too,
    keep their place, not their words)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="feedback.csv"'
    writer = csv_export.writer(response)
    writer.writerow(
        [
            "thread",
            "group",
            "number",
            "iteration",
            "quote",
            "comment",
            "written",
            "status",
            "outcome",
            "what was done",
            "kind",
            "suggestion",
            "proposed words",
        ]
    )
    comments = feedback_selectors.public_comments()
    for comment in comments.iterator(chunk_size=1000):
        thread = comment.thread
        recommendation = thread.version.recommendation
        writer.writerow(
            [
                thread.pk,
                recommendation.working_group.source_name,
                recommendation.number,
                thread.version.iteration.source_name if thread.version.iteration else "",
                thread.quote,
                "" if comment.hidden_reason else comment.body,
                comment.created_at.isoformat(),
                thread.status,
                thread.outcome,
                thread.outcome_note,
                "comment",
                "",
                "",
            ]
        )
    # Suggested changes on published iterations, with what became of them.
    for suggestion in public_suggestion_rows().iterator(chunk_size=1000):
        version = suggestion.version
        recommendation = version.recommendation
        writer.writerow(
            [
                "",
                recommendation.working_group.source_name,
                recommendation.number,
                version.iteration.source_name if version.iteration else "",
                "" if suggestion.hidden_reason else suggestion.quote,
                "" if suggestion.hidden_reason else suggestion.reason,
                suggestion.created_at.isoformat(),
                "open" if suggestion.state == suggestion.State.OPEN else "decided",
                suggestion.state,
                suggestion.decision_reason,
                "suggestion",
                suggestion.pk,
                "" if suggestion.hidden_reason else suggestion.words,
            ]
        )
    return response
