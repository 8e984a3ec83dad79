from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from groups.models import WorkingGroup
from groups.predicates import current_roles
from recommendations import presence, selectors, services
from recommendations.forms.drafting import (
    ConflictSidesForm,
    PreviewForm,
    RankingForm,
    RecommendationForm,
)
from recommendations.forms.review import PublishForm, SubmitForReviewForm, WithdrawForm
from recommendations.live.people import person_colour
from recommendations.models import TEXT_FIELDS, Recommendation
from recommendations.text.diffing import compare
from recommendations.text.markdown import render_markdown
from recommendations.validators import conflict_count
from recommendations.views.watching import watch_box
from strategy import fragments
from strategy.predicates import is_core_team
from strategy.sessions import not_activity

REVISIONS_PER_PAGE = 50


def _get_editable(request, pk) -> Recommendation:
    """The recommendation, if the person may edit it: 404 if they may not even see it,
    403 if they may only read it."""
    recommendation = selectors.recommendation_readable(user=request.user, pk=pk)
    if not request.user.has_perm("recommendations.edit", recommendation):
        raise PermissionDenied
    return recommendation


def working_copy_page(view):
    """For the pages of a working copy (its text, its history, diffs and revisions): the
    view gets the recommendation if the person may read its working copy; anyone else is
    sent to the public page of its published version, or gets 404 when it has none."""

    @wraps(view)
    def page(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        recommendation = selectors.recommendation_working_copy(user=request.user, pk=pk)
        if recommendation is None:
            published = selectors.recommendation_published(pk=pk)
            return redirect(published.get_public_url())
        return view(request, recommendation, **kwargs)

    return page


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """My groups, each with its first recommendations, their state and their last change;
    or, with ?group=, every recommendation of one of them, page by page."""
    slug = request.GET.get("group", "")
    if not slug:
        return _workspace_overview(request)
    groups = list(selectors.workspace_groups(user=request.user, group=slug))
    if not groups:
        raise Http404
    page = selectors.workspace_page(group=groups[0], number=request.GET.get("page"))
    groups[0].workspace_recommendations = page.object_list
    return render(
        request,
        "recommendations/drafting/workspace.html",
        {"groups": groups, "page": page, "one_group": True},
    )


def _workspace_overview(request: HttpRequest) -> HttpResponse:
    """Every group of the person, and the open threads on their drafts: the same for
    everyone in the same groups (the core team: every group), so kept rendered per set of
    groups and language, under the generations of what they are read from (no form, no
    CSRF token in them; whoever may see the workspace sees the same rows)."""
    mine = tuple(sorted(current_roles(request.user)))
    language = get_language()
    groups_html = fragments.kept(
        "workspace:groups",
        ("all" if is_core_team(request.user) else mine, language),
        lambda: render_to_string(
            "recommendations/drafting/includes/workspace_groups.html",
            {"groups": list(selectors.workspace_groups(user=request.user))},
        ),
        models=selectors.WORKSPACE_MODELS,
    )
    threads_html = fragments.kept(
        "workspace:threads",
        (mine, language),
        lambda: render_to_string(
            "recommendations/drafting/includes/workspace_threads.html",
            {"open_threads": selectors.open_threads_for_member(user=request.user)},
        ),
        models=selectors.WORKSPACE_THREAD_MODELS,
    )
    return render(
        request,
        "recommendations/drafting/workspace.html",
        {"groups_html": groups_html, "threads_html": threads_html, "one_group": False},
    )


@working_copy_page
def recommendation_detail(request: HttpRequest, recommendation: Recommendation) -> HttpResponse:
    pk = recommendation.pk
    can_edit = request.user.has_perm("recommendations.edit", recommendation)
    can_manage = request.user.has_perm(
        "recommendations.manage_review", recommendation.working_group
    )
    text = services.source_text(recommendation)
    return render(
        request,
        "recommendations/drafting/recommendation_detail.html",
        {
            "versions": selectors.version_list(recommendation=recommendation) if can_edit else [],
            "can_manage": can_manage,
            "submit_form": SubmitForReviewForm() if can_manage else None,
            "publish_form": PublishForm() if can_manage else None,
            "withdraw_form": WithdrawForm() if can_manage else None,
            "recommendation": recommendation,
            "published_changes": selectors.published_changes(recommendation=recommendation),
            "text": text,
            "body_html": render_markdown(text["body"]),
            "can_edit": can_edit,
            "editing": presence.editing_others(recommendation_id=pk, user=request.user)
            if can_edit
            else [],
            "watch": watch_box(request, recommendation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not request.user.has_perm("recommendations.create_in_group", group):
        raise PermissionDenied
    form = RecommendationForm(request.POST or None)
    del form.fields["minor"]  # a new draft has no translations
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            data = form.cleaned_data
            recommendation = services.recommendation_create(
                working_group=group,
                user=request.user,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                edit_summary=data["edit_summary"],
            )
            messages.success(request, _("Draft created."))
            return redirect(recommendation)
    return render(
        request,
        "recommendations/drafting/recommendation_form.html",
        {"form": form, "group": group, "preview": preview},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _get_editable(request, pk)
    context = {"recommendation": recommendation, "group": recommendation.working_group}
    if request.method == "GET":
        latest = selectors.revision_latest(recommendation=recommendation)
        form = RecommendationForm(
            initial={
                **services.source_text(recommendation),
                "base_revision": latest.history_id if latest else None,
            }
        )
        context["editing"] = presence.editing_others(recommendation_id=pk, user=request.user)
        presence.editing_open(recommendation_id=pk, user=request.user)
        # The live editor takes over the form where script runs (docs/live-editing.md); a
        # form sent back (a preview, an error) keeps the person's own text in the plain form.
        context["live"] = True
        context["live_colour"] = person_colour(request.user)
        return render(
            request, "recommendations/drafting/recommendation_form.html", {**context, "form": form}
        )

    form = RecommendationForm(request.POST)
    sides = ConflictSidesForm(request.POST)
    if not form.is_valid():
        if sides.is_valid() and sides.cleaned_data["resolving"]:
            # A merge saved with its markers left (or too long): the conflict screen again,
            # with their text as saved now and the person's own, so that neither is lost.
            yours = {name: sides.cleaned_data[f"yours_{name}"] for name in TEXT_FIELDS}
            return conflict_page(
                request,
                context,
                form=form,
                latest=selectors.revision_latest(recommendation=recommendation),
                theirs=services.source_text(recommendation),
                yours=yours,
                conflicts=sum(conflict_count(form.data.get(name, "")) for name in TEXT_FIELDS),
                status=422,
            )
        return render(
            request,
            "recommendations/drafting/recommendation_form.html",
            {**context, "form": form},
            status=422,
        )
    if "preview" in request.POST:
        context["preview"] = render_markdown(form.cleaned_data["body"])
        return render(
            request, "recommendations/drafting/recommendation_form.html", {**context, "form": form}
        )
    data = form.cleaned_data
    text = {
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "base_revision": data["base_revision"],
        "edit_summary": data["edit_summary"],
    }
    try:
        if data["suggestion"]:
            # The merge of accepting a suggestion, finished on the conflict screen.
            services.suggestion_merge_save(
                recommendation=recommendation,
                suggestion_id=data["suggestion"],
                user=request.user,
                words=data["suggestion_words"],
                **text,
            )
        else:
            services.recommendation_update(
                recommendation=recommendation, user=request.user, minor=data["minor"], **text
            )
    except ValidationError as error:
        form.add_error(None, error)
        return render(
            request,
            "recommendations/drafting/recommendation_form.html",
            {**context, "form": form},
            status=422,
        )
    except services.EditConflict as conflict:
        merged_form = RecommendationForm(
            initial={
                **{name: result.text for name, result in conflict.merged.items()},
                "edit_summary": data["edit_summary"],
                "base_revision": conflict.latest.history_id,
                "suggestion": data["suggestion"],
                "suggestion_words": data["suggestion_words"],
            }
        )
        return conflict_page(
            request,
            context,
            form=merged_form,
            latest=conflict.latest,
            theirs=conflict.theirs,
            yours=conflict.yours,
            conflicts=conflict.conflicts,
            status=409,
        )
    presence.editing_close(recommendation_id=pk, user=request.user)
    messages.success(request, _("Saved."))
    return redirect(recommendation)


def conflict_page(
    request, context, *, form, latest, theirs, yours, conflicts: int, status: int
) -> HttpResponse:
    """The conflict screen: their text and the person's side by side with what differs
    marked, and the merge to finish (which carries the person's text along, so that a
    refused save shows the screen again)."""
    fields = [
        {
            "name": name,
            "label": form.fields[name].label,
            "theirs": theirs[name],
            "yours": yours[name],
            "changed": theirs[name] != yours[name],
            "differences": compare(theirs[name], yours[name]).html,
        }
        for name in TEXT_FIELDS
    ]
    return render(
        request,
        "recommendations/drafting/recommendation_conflict.html",
        {
            **context,
            "form": form,
            "latest": latest,
            "conflicts": conflicts,
            "fields": fields,
        },
        status=status,
    )


@login_required
@require_POST
def recommendation_preview(request: HttpRequest) -> HttpResponse:
    """The body rendered as it will be shown; the editor's live preview asks for it."""
    form = PreviewForm(request.POST)
    if not form.is_valid():
        # Without the field's id: the form beside the preview may show the same error
        # with it (id_body_error), and an id is once per page.
        errors = format_html_join("", "<li>{}</li>", ((error,) for error in form.errors["body"]))
        return HttpResponse(format_html('<ul class="errorlist">{}</ul>', errors), status=422)
    return HttpResponse(render_markdown(form.cleaned_data["body"]))


@not_activity
@login_required
@require_POST
def recommendation_editing(request: HttpRequest, pk: int) -> JsonResponse:
    """The editor's sign of life: keeps "X has this draft open" fresh for the others."""
    recommendation = _get_editable(request, pk)
    presence.editing_open(recommendation_id=recommendation.pk, user=request.user)
    others = presence.editing_others(recommendation_id=recommendation.pk, user=request.user)
    return JsonResponse(
        {"others": [{"name": o["name"], "since": o["since"].isoformat()} for o in others]}
    )


@working_copy_page
def recommendation_history(request: HttpRequest, recommendation: Recommendation) -> HttpResponse:
    number = request.GET.get("page")

    def compute():
        page = Paginator(
            selectors.revision_list(recommendation=recommendation), REVISIONS_PER_PAGE
        ).get_page(number)
        for revision in page:
            revision.size_change = (
                None if revision.previous_size is None else revision.size - revision.previous_size
            )
        return render_to_string(
            "recommendations/drafting/includes/history_table.html",
            {"recommendation": recommendation, "page": page},
        )

    # A revision is made by saving the recommendation (its updated_at moves), with its
    # co-authors in the same transaction; the names shown are the people's own, live.
    history = fragments.kept(
        "recommendation-history",
        (recommendation.pk, recommendation.updated_at, _page_number(number), get_language()),
        compute,
        models=("strategy.User",),
    )
    return render(
        request,
        "recommendations/drafting/recommendation_history.html",
        {"recommendation": recommendation, "history": history},
    )


def _page_number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _revision_number(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _field_diffs(old_text: dict, new_text: dict) -> dict:
    return {
        name: {
            **vars(compare(old_text[name], new_text[name])),
            "changed": old_text[name] != new_text[name],
        }
        for name in TEXT_FIELDS
    }


@working_copy_page
def recommendation_diff(request: HttpRequest, recommendation: Recommendation) -> HttpResponse:
    """A word-level diff of title, summary and body between two revisions (by number)."""
    count = selectors.revision_count(recommendation=recommendation)
    new_number = _revision_number(request.GET.get("to"), count)
    old_number = _revision_number(request.GET.get("from"), new_number - 1)
    old = selectors.revision_get(recommendation=recommendation, number=old_number)
    new = selectors.revision_get(recommendation=recommendation, number=new_number)
    if old is None or new is None:
        raise Http404(_("No such revision."))
    labels = {"title": _("Title"), "summary": _("Summary"), "body": _("Text")}
    # Revisions never change, so neither does the diff of two of them. Their times are in
    # the key too, so a database rebuilt under the same cache cannot meet old diffs.
    key = (
        f"recommendations:diff:{old.history_id}:{old.history_date.timestamp()}:"
        f"{new.history_id}:{new.history_date.timestamp()}"
    )
    diffs = cache.get(key)
    if diffs is None:
        diffs = _field_diffs(services.source_text(old), services.source_text(new))
        # A diff cut short by its deadline may finish word by word on a less busy machine.
        cut_short = any(diff["by_paragraph"] for diff in diffs.values())
        cache.set(key, diffs, timeout=60 * 60 if cut_short else None)
    fields = [{"label": labels[name], **diffs[name]} for name in TEXT_FIELDS]
    return render(
        request,
        "recommendations/drafting/recommendation_diff.html",
        {
            "recommendation": recommendation,
            "old": old,
            "new": new,
            "fields": fields,
            "count": count,
            "numbers": range(1, count + 1),
        },
    )


@working_copy_page
def recommendation_revision(
    request: HttpRequest, recommendation: Recommendation, number: int
) -> HttpResponse:
    revision = selectors.revision_get(recommendation=recommendation, number=number)
    if revision is None:
        raise Http404(_("No such revision."))
    text = services.source_text(revision)
    return render(
        request,
        "recommendations/drafting/recommendation_revision.html",
        {
            "recommendation": recommendation,
            "revision": revision,
            "text": text,
            "body_html": render_markdown(text["body"]),
            "can_edit": request.user.has_perm("recommendations.edit", recommendation),
        },
    )


@login_required
@require_POST
def recommendation_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    recommendation = _get_editable(request, pk)
    try:
        services.recommendation_restore(
            recommendation=recommendation, user=request.user, number=number
        )
    except Recommendation.DoesNotExist as error:
        raise Http404(_("No such revision.")) from error
    messages.success(
        request, _("Revision %(number)s restored as a new revision.") % {"number": number}
    )
    return redirect("recommendations:history", pk=recommendation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def group_ranking(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(WorkingGroup, slug=slug)
    if not request.user.has_perm("recommendations.rank", group):
        raise PermissionDenied
    form = RankingForm(request.POST or None, recommendations=selectors.ranking_list(group=group))
    if request.method == "POST" and form.is_valid():
        changed = services.recommendation_rank(
            working_group=group, user=request.user, order=form.order()
        )
        messages.success(request, _("Ranking saved (%(count)s changed).") % {"count": changed})
        return redirect("recommendations:ranking", slug=group.slug)
    return render(
        request, "recommendations/drafting/ranking_form.html", {"group": group, "form": form}
    )
