"""Community feedback on published iterations, in the open: "you said, we did"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from recommendations import selectors, services
from recommendations.forms.feedback import HideForm
from recommendations.forms.review import CommentForm, ResolveForm, ThreadForm
from recommendations.models import Recommendation
from recommendations.selectors.feedback import public_comment, public_thread


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
            return redirect("public:feedback_thread", pk=thread.pk)
    return render(
        request,
        "recommendations/feedback/feedback_form.html",
        {"recommendation": recommendation, "form": form},
        status=422,
    )


@login_required
@require_POST
def feedback_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = public_thread(pk=pk)
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
                "recommendations/feedback/feedback_form.html",
                {"recommendation": thread.version.recommendation, "form": form, "thread": thread},
                status=422,
            )
        messages.success(request, _("Reply added."))
    return redirect("public:feedback_thread", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_triage(request: HttpRequest, pk: int) -> HttpResponse:
    """The triage form, under /workspace/: it lists the revisions since the feedback with
    words of the working copy (for those who read it), which no public page may show."""
    thread = public_thread(pk=pk)
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
            return redirect("public:feedback_thread", pk=pk)
    return render(
        request,
        "recommendations/feedback/feedback_triage.html",
        {"thread": thread, "recommendation": thread.version.recommendation, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if not request.user.has_perm("recommendations.triage_feedback"):
        raise PermissionDenied
    comment = public_comment(pk=pk)
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
    return redirect("public:feedback_thread", pk=comment.thread_id)
