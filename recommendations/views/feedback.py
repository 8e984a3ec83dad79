"""Community feedback on published iterations, in the open: "you said, we did"."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from recommendations import selectors, services
from recommendations.forms import CommentForm, ResolveForm, ThreadForm
from recommendations.models import Comment, Recommendation, Thread
from strategy import csv_export
from strategy.caching import public_page

COMMENTS_PER_PAGE = 50


class HideForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why it is hidden"), max_length=1000)


def _thread(pk) -> Thread:
    return get_object_or_404(
        selectors.with_carrying_iteration(Thread.objects.all())
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


@login_required
@require_POST
def feedback_create(request: HttpRequest, group: str, number: str) -> HttpResponse:
    try:
        recommendation = selectors.public_recommendation(group=group, number=number)
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm("recommendations.give_feedback"):
        raise PermissionDenied
    form = ThreadForm(request.POST)
    if form.is_valid():
        try:
            thread = services.feedback_start(
                version=recommendation.published_version,
                user=request.user,
                body=form.cleaned_data["body"],
                quote=form.cleaned_data["quote"],
                near=form.cleaned_data["near"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your comment is published."))
            return redirect("feedback:thread", pk=thread.pk)
    return render(
        request,
        "public/feedback_form.html",
        {"recommendation": recommendation, "form": form},
        status=422,
    )


@public_page(reads=("page",))
def feedback_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(pk)
    can_triage = request.user.has_perm("recommendations.triage_feedback")
    page = Paginator(
        thread.comments.select_related("author", "hidden_by").order_by("created_at", "pk"),
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


@login_required
@require_POST
def feedback_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_reply(
                thread=thread, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return render(
                request,
                "public/feedback_form.html",
                {"recommendation": thread.version.recommendation, "form": form, "thread": thread},
                status=422,
            )
        messages.success(request, _("Reply added."))
    return redirect("feedback:thread", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_triage(request: HttpRequest, pk: int) -> HttpResponse:
    """The triage form, under /workspace/: it lists the revisions since the feedback with
    words of the working copy (for those who read it), which no public page may show."""
    thread = _thread(pk)
    if not request.user.has_perm("recommendations.triage_feedback"):
        raise PermissionDenied
    revisions = selectors.outcome_revisions(thread=thread, user=request.user)
    form = ResolveForm(request.POST or None, revisions=revisions)
    if request.method == "POST" and form.is_valid():
        revision = form.cleaned_data["revision"]
        try:
            services.thread_resolve(
                thread=thread,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                revision_number=revision.revision_number if revision else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("feedback:thread", pk=pk)
    return render(
        request,
        "recommendations/feedback_triage.html",
        {"thread": thread, "recommendation": thread.version.recommendation, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not request.user.has_perm("recommendations.triage_feedback"):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=pk, thread__public=True)
    if action == "hide":
        form = HideForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why it is hidden."))
        else:
            services.comment_hide(
                comment=comment, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Comment hidden."))
    elif action == "show":
        services.comment_unhide(comment=comment, user=request.user)
        messages.success(request, _("Comment shown again."))
    else:
        raise Http404
    return redirect("feedback:thread", pk=comment.thread_id)


@public_page
def feedback_csv(request: HttpRequest) -> HttpResponse:
    """Every public comment, for analysis; hidden ones keep their place, not their text."""
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
        ]
    )
    comments = (
        Comment.objects.filter(thread__public=True)
        .exclude(thread__version__recommendation__state=Recommendation.State.WITHDRAWN)
        .select_related(
            "thread__version__recommendation__working_group", "thread__version__iteration"
        )
        .order_by("thread_id", "created_at")
    )
    for comment in comments.iterator(chunk_size=1000):
        thread = comment.thread
        recommendation = thread.version.recommendation
        writer.writerow(
            [
                thread.pk,
                recommendation.working_group.name_en,
                recommendation.number,
                thread.version.iteration.name_en if thread.version.iteration else "",
                thread.quote,
                "" if comment.hidden_reason else comment.body,
                comment.created_at.isoformat(),
                thread.status,
                thread.outcome,
                thread.outcome_note,
            ]
        )
    return response
