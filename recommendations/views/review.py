"""Versions, the workflow moves, reviewer assignments and comment threads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations import selectors, services
from recommendations.forms.fields import errors_text
from recommendations.forms.review import (
    AssignmentForm,
    CommentForm,
    DeclineForm,
    PublishForm,
    RereviewForm,
    ResolveForm,
    SubmitForReviewForm,
    ThreadForm,
    WithdrawForm,
)
from recommendations.models import Comment, Thread, Version
from recommendations.selectors.review import (
    PASSAGES_MARKED,
    REVIEW_THREAD_MODELS,
    previous_snapshot,
    thread_passages,
)
from recommendations.services.review import assignments_request_again
from recommendations.text.anchoring import Passage, find_again, highlight, plain_text
from recommendations.text.lines import number_lines
from recommendations.text.markdown import render_markdown
from recommendations.views.suggestions import suggestions_context
from strategy import fragments

THREADS_PER_PAGE = 20
COMMENTS_PER_PAGE = 50
# A username is at most 150 characters (Django's): a longer search is cut there.
MENTION_QUERY_MAX = 150
# How many earlier replies "show N earlier replies" brings at a time.
REPLIES_PER_FETCH = 50


def _get_version(request, pk, version_pk):
    try:
        return selectors.version_visible_get(user=request.user, pk=version_pk, recommendation_id=pk)
    except Version.DoesNotExist:
        raise Http404 from None


def _get_thread(request, pk, thread_pk) -> Thread:
    thread = selectors.thread_get(recommendation_id=pk, pk=thread_pk)
    if not request.user.has_perm("recommendations.view_review", thread.version):
        raise Http404
    return thread


def _with_latest(threads):
    threads = selectors.threads_with_comments(threads)
    for thread in threads:
        thread.latest = list(reversed(thread.latest_reversed))
        thread.hidden = max(0, thread.comment_count - 1 - len(thread.latest))
        if thread.opening and thread.opening[0] in thread.latest:
            thread.latest.remove(thread.opening[0])
        # Without script, "N earlier replies" opens the thread's page where they end.
        thread.hidden_page = thread.hidden // COMMENTS_PER_PAGE + 1
    return threads


def _card_parts(thread) -> tuple:
    """All a thread's card shows: the thread, where it is found again (an earlier
    version's), each comment shown (its words, whether hidden, its author's name) and how
    many are not, in the active language. Nothing in it depends on who reads it."""
    found = getattr(thread, "found", None)
    return (
        thread.pk,
        thread.version.recommendation_id,
        thread.status,
        thread.outcome,
        thread.quote,
        found.state if found else None,
        thread.hidden,
        thread.hidden_page,
        tuple(
            (c.pk, c.body, c.hidden_reason, c.author.display_name, c.created_at)
            for c in [*thread.opening, *thread.latest]
        ),
        get_language(),
    )


def _with_cards(threads):
    """`threads` (from _with_latest) each with its rendered card (`card`), kept under
    _card_parts: a comment written, edited or hidden, a thread resolved, makes a new key."""

    def render_cards(missing):
        return {
            thread: render_to_string(
                "recommendations/review/includes/thread_card.html",
                {"thread": thread, "found": getattr(thread, "found", None)},
            )
            for thread in missing
        }

    cards = fragments.kept_many(
        "review-thread-card", {thread: _card_parts(thread) for thread in threads}, render_cards
    )
    for thread in threads:
        thread.card = cards[thread]
    return threads


def _thread_form(
    request, *, version, form, thread=None, status: int = 422, **context
) -> HttpResponse:
    """The page of one comment form (a new thread, a reply, a resolution, an edit): shown
    again with what was typed, and why it was refused, when it was."""
    return render(
        request,
        "recommendations/review/thread_form.html",
        {
            "recommendation": version.recommendation,
            "version": version,
            "thread": thread,
            "form": form,
            **context,
        },
        status=status,
    )


@login_required
def version_detail(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """The frozen text, its threads (open first), open threads of earlier versions found
    again in this text, and the forms to comment and to assign reviewers."""
    version = _get_version(request, pk, version)
    recommendation = version.recommendation
    text = services.source_text(version.revision)
    threads = _threads_page(version, request.GET.get("page"))
    earlier = _earlier_threads(version, text)
    can_manage = request.user.has_perm(
        "recommendations.manage_review", recommendation.working_group
    )
    numbered, more_passages = _numbered(version, text)
    return render(
        request,
        "recommendations/review/version_detail.html",
        {
            "recommendation": recommendation,
            "version": version,
            "text": text,
            "more_passages": more_passages,
            "passages_marked": PASSAGES_MARKED,
            "threads": threads,
            "earlier": earlier,
            "can_comment": request.user.has_perm("recommendations.comment", version),
            "can_manage": can_manage,
            "thread_form": ThreadForm(),
            "assignment_form": AssignmentForm() if can_manage else None,
            # Only those who may assign are offered to ask the last snapshot's reviewers.
            "rereview_form": RereviewForm(prefix="rereview")
            if can_manage and previous_snapshot(version=version)
            else None,
            "assignments": selectors.version_assignments(version=version),
            **suggestions_context(request, version=version, text=text, numbered=numbered),
        },
    )


def _numbered(version, text) -> tuple[str, bool]:
    """The version's text numbered by lines, its commented passages marked (the first
    PASSAGES_MARKED), each a link to its thread; and whether more are commented."""

    def compute():
        passages = thread_passages(version=version, limit=PASSAGES_MARKED)
        # Numbered first (recommendations.text.lines adds tags only, so the offsets of the
        # passages still count the same characters), then the commented passages marked:
        # on the server, so that it works without JavaScript.
        numbered = highlight(
            number_lines(render_markdown(text["body"]))[0],
            [
                Passage(
                    start=thread.quote_start,
                    length=len(thread.quote),
                    href=thread.get_absolute_url(),
                    label=_("Comment thread on this passage"),
                )
                for thread in passages[:PASSAGES_MARKED]
            ],
        )
        return numbered, len(passages) > PASSAGES_MARKED

    # A version's revision never changes; its threads do (REVIEW_THREAD_MODELS).
    return fragments.kept(
        "review-version-numbered",
        (version.pk, version.revision_id, get_language()),
        compute,
        models=REVIEW_THREAD_MODELS,
    )


def _earlier_threads(version, text) -> list[dict]:
    """The open threads of earlier versions (the first 50), each found again in this
    version's text: the name of its version and its card."""

    def compute():
        body_text = plain_text(text["body"])
        earlier = _with_latest(selectors.earlier_open_threads(version=version)[:50])
        for thread in earlier:
            thread.found = find_again(
                body_text,
                thread.quote,
                thread.quote_prefix,
                thread.quote_suffix,
                thread.quote_start,
            )
        return [
            {"version_name": thread.version.name, "card": thread.card}
            for thread in _with_cards(earlier)
        ]

    return fragments.kept(
        "review-earlier-threads",
        (version.pk, version.revision_id, get_language()),
        compute,
        models=REVIEW_THREAD_MODELS,
    )


def _page_number(number) -> int:
    try:
        return int(number)
    except (TypeError, ValueError):
        return 1


def _threads_page(version, number) -> dict:
    """A page of the version's threads (thread_list's order), each with its first and
    latest comments, rendered (includes/thread_page.html, `html`), with how many threads
    there are (`count`), whether the page is `empty`, and the number of the one before
    (`previous`, None on the first)."""

    def compute():
        page = Paginator(selectors.thread_list(version=version), THREADS_PER_PAGE).get_page(number)
        page.object_list = _with_cards(_with_latest(page.object_list))
        html = render_to_string(
            "recommendations/review/includes/thread_page.html",
            {"recommendation": version.recommendation, "version": version, "page": page},
        )
        return {
            "html": html,
            "count": page.paginator.count,
            "empty": not page.object_list,
            "previous": page.previous_page_number() if page.has_previous() else None,
        }

    return fragments.kept(
        "review-threads-page",
        (version.pk, _page_number(number), get_language()),
        compute,
        models=REVIEW_THREAD_MODELS,
    )


@login_required
def version_threads(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """A further page of a version's threads, as the version page shows them: the fragment
    its "More threads" inserts in place (the link itself opens the version page at that
    page). Whoever may see the version page may see this (the same lookup)."""
    version = _get_version(request, pk, version)
    return HttpResponse(_threads_page(version, request.GET.get("page"))["html"])


@login_required
def thread_replies(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    """The replies just before one of the thread's comments (`before`; without it, the
    latest), at most REPLIES_PER_FETCH: the fragment "show N earlier replies" inserts in
    place on the version page, with its own link to the ones before them. Whoever may see
    the thread may see this (the same lookup); its link without script is the thread's
    page."""
    thread = _get_thread(request, pk, thread)
    before = None
    if "before" in request.GET:
        try:
            before = selectors.thread_comment_get(thread=thread, pk=int(request.GET["before"]))
        except (ValueError, Comment.DoesNotExist):
            raise Http404 from None
    earlier = selectors.thread_earlier_replies(
        thread=thread, before=before, limit=REPLIES_PER_FETCH
    )
    remaining = earlier["remaining"]
    return render(
        request,
        "recommendations/review/includes/replies.html",
        {
            "thread": thread,
            "replies": earlier["replies"],
            "remaining": remaining,
            # Without script, the page of the thread where the remaining replies end (the
            # opening comment is the first of its comments).
            "remaining_page": (remaining // COMMENTS_PER_PAGE) + 1,
            "first": earlier["replies"][0] if earlier["replies"] else None,
        },
    )


@login_required
@require_GET
def mention_people(request: HttpRequest, pk: int, version: int) -> JsonResponse:
    """The completion of an @mention in a comment box on the version (static/js/mentions.js):
    who matches `q` among the people who may read the version's review, for those who
    may read it themselves. Usernames and names only."""
    version = _get_version(request, pk, version)
    query = request.GET.get("q", "")[:MENTION_QUERY_MAX]
    people = selectors.mention_choices(version=version, query=query)
    return JsonResponse(
        {"people": [{"username": p.username, "name": p.display_name} for p in people]}
    )


@login_required
@require_POST
def thread_create(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    version = _get_version(request, pk, version)
    if not request.user.has_perm("recommendations.comment", version):
        raise PermissionDenied
    form = ThreadForm(request.POST)
    if form.is_valid():
        try:
            thread = services.thread_start(
                version=version,
                user=request.user,
                body=form.cleaned_data["body"],
                quote=form.cleaned_data["quote"],
                near=form.cleaned_data["near"],
            )
        except ValidationError as error:
            form.add_error("quote", error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(thread)
    return _thread_form(request, version=version, form=form)


@login_required
def thread_detail(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    thread = _get_thread(request, pk, thread)
    page = Paginator(selectors.thread_comments(thread=thread), COMMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for comment in page:
        comment.can_edit = request.user.has_perm("recommendations.edit_comment", comment)
    incorporated_number = None
    if thread.outcome_revision_id:
        incorporated_number = selectors.revision_number(
            recommendation=thread.version.recommendation, revision=thread.outcome_revision
        )
    return render(
        request,
        "recommendations/review/thread_detail.html",
        {
            "recommendation": thread.version.recommendation,
            "version": thread.version,
            "thread": thread,
            "page": page,
            "can_comment": request.user.has_perm("recommendations.comment", thread.version),
            "can_resolve": request.user.has_perm("recommendations.resolve_thread", thread),
            "reply_form": CommentForm(),
            "incorporated_number": incorporated_number,
            "resolve_form": ResolveForm(),
        },
    )


@login_required
@require_POST
def thread_reply(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    thread = _get_thread(request, pk, thread)
    if not request.user.has_perm("recommendations.comment", thread.version):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_reply(thread=thread, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Reply added."))
        last_page = Paginator(selectors.thread_comments(thread=thread), COMMENTS_PER_PAGE).num_pages
        return redirect(f"{thread.get_absolute_url()}?page={last_page}#reply")
    return _thread_form(request, version=thread.version, form=form, thread=thread)


@login_required
@require_POST
def thread_resolve(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    thread = _get_thread(request, pk, thread)
    if not request.user.has_perm("recommendations.resolve_thread", thread):
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.thread_resolve(
                thread=thread,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                revision_number=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            form.add_error("revision", error)
        else:
            messages.success(request, _("Thread resolved."))
            return redirect(thread)
    return _thread_form(request, version=thread.version, form=form, thread=thread, resolving=True)


@login_required
@require_POST
def thread_reopen(request: HttpRequest, pk: int, thread: int) -> HttpResponse:
    thread = _get_thread(request, pk, thread)
    if not request.user.has_perm("recommendations.resolve_thread", thread):
        raise PermissionDenied
    services.thread_reopen(thread=thread, user=request.user)
    messages.success(request, _("Thread reopened."))
    return redirect(thread)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int, comment: int) -> HttpResponse:
    comment = selectors.comment_get(recommendation_id=pk, pk=comment)
    if not request.user.has_perm("recommendations.view_review", comment.thread.version):
        raise Http404
    if not request.user.has_perm("recommendations.edit_comment", comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Comment changed."))
            return redirect(comment.thread)
    return _thread_form(
        request,
        version=comment.thread.version,
        form=form,
        thread=comment.thread,
        editing=comment,
        status=200,
    )


@login_required
def version_outcomes(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """What reviewers said on this version, and what was done with it."""
    version = _get_version(request, pk, version)
    threads = selectors.thread_list(version=version)
    return render(
        request,
        "recommendations/review/version_outcomes.html",
        {
            "recommendation": version.recommendation,
            "version": version,
            "threads": _with_latest(list(threads)),
        },
    )


def _manage(request, pk):
    recommendation = selectors.recommendation_readable(user=request.user, pk=pk)
    if not request.user.has_perm("recommendations.manage_review", recommendation.working_group):
        raise PermissionDenied
    return recommendation


def _version_to_manage(request, pk, version_pk):
    """The version, if the person may see it (404) and manage its group's review (403)."""
    version = _get_version(request, pk, version_pk)
    if not request.user.has_perm(
        "recommendations.manage_review", version.recommendation.working_group
    ):
        raise PermissionDenied
    return version


def _workflow(request, pk, form_class, act, success):
    recommendation = _manage(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = act(recommendation, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
            return redirect(result.get_absolute_url())
    else:
        messages.error(request, errors_text(form))
    return redirect(recommendation)


@login_required
@require_POST
def recommendation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        SubmitForReviewForm,
        lambda recommendation, data: services.recommendation_submit_for_review(
            recommendation=recommendation,
            user=request.user,
            name=data["name"],
            open_to_all_reviewers=data["open_to_all_reviewers"],
        ),
        _("Submitted for review: the snapshot is frozen."),
    )


@login_required
@require_POST
def recommendation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish; when review threads are still open, or there was no review at all, ask
    first (a confirmation step, not a refusal)."""
    recommendation = _manage(request, pk)
    form = PublishForm(request.POST)
    if form.is_valid() and not form.cleaned_data["confirmed"]:
        warnings = selectors.publish_warnings(recommendation=recommendation)
        if warnings["warn"]:
            return render(
                request,
                "recommendations/review/recommendation_publish_confirm.html",
                {
                    "recommendation": recommendation,
                    "iteration": form.cleaned_data["iteration"],
                    "warnings": warnings,
                },
            )
    return _workflow(
        request,
        pk,
        PublishForm,
        lambda recommendation, data: services.recommendation_publish(
            recommendation=recommendation, user=request.user, iteration=data["iteration"]
        ),
        _("Published."),
    )


@login_required
@require_POST
def recommendation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        WithdrawForm,
        lambda recommendation, data: services.recommendation_withdraw(
            recommendation=recommendation, user=request.user, reason=data["reason"]
        ),
        _("Withdrawn."),
    )


@login_required
@require_POST
def assignment_create(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    version = _version_to_manage(request, pk, version)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        assignment = services.assignment_create(
            version=version, assigned_by=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            _("%(name)s is asked to review by %(date)s.")
            % {
                "name": assignment.reviewer.display_name,
                "date": date_format(assignment.due_on),
            },
        )
    else:
        messages.error(request, errors_text(form))
    return redirect(version)


@login_required
@require_POST
def assignment_request_again(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """Ask the reviewers of the snapshot before this one, who did not decline, again."""
    version = _version_to_manage(request, pk, version)
    previous = previous_snapshot(version=version)
    if previous is None:
        raise Http404
    form = RereviewForm(request.POST, prefix="rereview")
    if form.is_valid():
        asked = assignments_request_again(
            version=version,
            previous=previous,
            assigned_by=request.user,
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(
            request,
            ngettext(
                "%(count)d reviewer of %(name)s is asked to review this snapshot.",
                "%(count)d reviewers of %(name)s are asked to review this snapshot.",
                len(asked),
            )
            % {"count": len(asked), "name": previous.name},
        )
    else:
        messages.error(request, errors_text(form))
    return redirect(version)


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """Assigned to me: open ones first (overdue first), then answered ones."""
    assignments = list(selectors.assignments_for_reviewer(user=request.user)[:200])
    return render(
        request,
        "recommendations/review/reviews.html",
        {"assignments": assignments, "decline_form": DeclineForm()},
    )


@login_required
@require_POST
def assignment_answer(request: HttpRequest, assignment: int, action: str) -> HttpResponse:
    assignment = selectors.assignment_get(reviewer=request.user, pk=assignment)
    try:
        if action == "accept":
            services.assignment_accept(assignment=assignment, user=request.user)
            messages.success(request, _("Accepted."))
        elif action == "complete":
            following = services.assignment_complete(assignment=assignment, user=request.user)
            messages.success(request, _("Marked as done."))
            if following:
                messages.info(
                    request,
                    _("The next review is due on %(date)s.")
                    % {"date": date_format(following.due_on)},
                )
        elif action == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why you decline."), code="reason_required")
            services.assignment_decline(
                assignment=assignment, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Declined."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reviews")
