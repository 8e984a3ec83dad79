"""Suggested changes: proposing words on a version, and accepting or declining them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recommendations import services
from recommendations.forms.drafting import RecommendationForm
from recommendations.forms.suggestions import DecisionForm, SuggestionForm
from recommendations.models import Suggestion, Version
from recommendations.selectors.suggestions import (
    SUGGESTIONS_SHOWN,
    suggestion_counts,
    suggestion_get,
    suggestion_list,
    version_suggestable_get,
)
from recommendations.services.suggestions import change_reason
from recommendations.text.suggesting import Change, tracked


def suggestions_context(request, *, version: Version, numbered) -> dict:
    """What the version page shows of its suggestions: the list (of the state the GET
    parameter `suggestions` names, else all), the text with the listed passages as tracked
    changes, their lines, and the forms. A fixed number of queries however many."""
    state = request.GET.get("suggestions", "")
    state = state if state in Suggestion.State.values else ""
    listed = list(suggestion_list(version=version, state=state)[:SUGGESTIONS_SHOWN])
    changes = []
    for suggestion in listed:
        if suggestion.target != Suggestion.Target.PASSAGE or suggestion.quote_start is None:
            continue
        author = suggestion.author.display_name if suggestion.author else _("someone")
        changes.append(
            Change(
                start=suggestion.quote_start,
                length=len(suggestion.quote),
                words=suggestion.words,
                href=f"#suggestion-{suggestion.pk}",
                label=_("Suggestion %(number)s by %(author)s: %(reason)s")
                % {"number": suggestion.pk, "author": author, "reason": suggestion.reason},
                key=suggestion.pk,
            )
        )
    body_html, lines = tracked(numbered, changes)
    for suggestion in listed:
        suggestion.lines = lines.get(suggestion.pk)
    counts = suggestion_counts(version=version)
    # recommendations.decide_suggestion is this, asked of one suggestion.
    can_decide = request.user.has_perm("recommendations.edit", version.recommendation)
    return {
        "body_html": body_html,
        "suggestions": listed,
        "suggestion_state": state,
        "suggestion_states": [
            (value, label, counts[value])
            for value, label in [("", _("All")), *Suggestion.State.choices]
        ],
        "suggestions_more": counts[state] > len(listed),
        "can_suggest": request.user.has_perm("recommendations.suggest", version),
        "can_decide": can_decide,
        "suggestion_form": SuggestionForm(prefix="suggest"),
        "decision_form": DecisionForm(prefix="decide") if can_decide else None,
    }


def _suggestion_form_page(request, *, version, form, status=422) -> HttpResponse:
    return render(
        request,
        "recommendations/suggestions/suggestion_form.html",
        {"recommendation": version.recommendation, "version": version, "form": form},
        status=status,
    )


def _back_to(request, version: Version, anchor: str) -> HttpResponse:
    """The version page, when the person sees it; else (a published iteration seen by
    someone outside the group) the recommendation's public page."""
    if request.user.has_perm("recommendations.view_review", version):
        return redirect(f"{version.get_absolute_url()}#{anchor}")
    return redirect(version.recommendation.get_public_url())


@login_required
@require_POST
def suggestion_create(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    try:
        version = version_suggestable_get(user=request.user, pk=version, recommendation_id=pk)
    except Version.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("recommendations.suggest", version):
        raise PermissionDenied
    form = SuggestionForm(request.POST, prefix="suggest")
    if form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_make(
                version=version,
                user=request.user,
                target=data["target"],
                quote=data["quote"],
                near=data["near"],
                after_line=data["after_line"],
                replacement=data["replacement"],
                reason=data["reason"],
            )
        except ValidationError as error:
            field = "after_line" if getattr(error, "code", "") == "no_such_line" else "quote"
            if getattr(error, "code", "") in ("words_required", "unchanged"):
                field = "replacement"
            if getattr(error, "code", "") == "rate_limited":
                field = None
            form.add_error(field, error)
        else:
            messages.success(request, _("Suggestion made."))
            return _back_to(request, version, f"suggestion-{suggestion.pk}")
    return _suggestion_form_page(request, version=version, form=form)


def _get_suggestion(request, pk, suggestion_pk) -> Suggestion:
    try:
        suggestion = suggestion_get(recommendation_id=pk, pk=suggestion_pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("recommendations.view_review", suggestion.version):
        raise Http404
    return suggestion


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int, suggestion: int) -> HttpResponse:
    """Accept, accept with changes, or decline. Accepting when the draft has changed the
    passage shows the conflict screen with the merge to finish, applying nothing."""
    suggestion = _get_suggestion(request, pk, suggestion)
    if not request.user.has_perm("recommendations.decide_suggestion", suggestion):
        raise PermissionDenied
    version = suggestion.version
    form = DecisionForm(request.POST, prefix="decide")
    if not form.is_valid():
        return _decision_page(request, suggestion=suggestion, form=form)
    data = form.cleaned_data
    try:
        if data["decision"] == "decline":
            services.suggestion_decline(
                suggestion=suggestion, user=request.user, reason=data["reason"]
            )
            messages.success(request, _("Suggestion declined."))
        else:
            words = data["words"] if data["decision"] == "accept_changed" else None
            services.suggestion_accept(
                suggestion=suggestion, user=request.user, words=words, reason=data["reason"]
            )
            messages.success(request, _("Suggestion accepted: the draft has it as a new revision."))
    except services.SuggestionConflict as conflict:
        return _merge_page(request, conflict)
    except ValidationError as error:
        form.add_error(None, error)
        return _decision_page(request, suggestion=suggestion, form=form)
    return redirect(f"{version.get_absolute_url()}#suggestion-{suggestion.pk}")


def _decision_page(request, *, suggestion, form) -> HttpResponse:
    return render(
        request,
        "recommendations/suggestions/suggestion_decide.html",
        {
            "recommendation": suggestion.version.recommendation,
            "version": suggestion.version,
            "suggestion": suggestion,
            "form": form,
        },
        status=422,
    )


def _merge_page(request, found: services.SuggestionConflict) -> HttpResponse:
    """The editor's conflict screen: the draft as saved, the version with the suggestion
    in it, and their merge to finish; saving it records the suggestion as accepted."""
    from recommendations.views.drafting import conflict_page

    conflict = found.conflict
    recommendation = conflict.recommendation
    form = RecommendationForm(
        initial={
            **{name: result.text for name, result in conflict.merged.items()},
            "edit_summary": change_reason(found.suggestion),
            "base_revision": conflict.latest.history_id,
            "suggestion": found.suggestion.pk,
            "suggestion_words": found.words,
        }
    )
    return conflict_page(
        request,
        {
            "recommendation": recommendation,
            "group": recommendation.working_group,
            "suggestion": found.suggestion,
        },
        form=form,
        latest=conflict.latest,
        theirs=conflict.theirs,
        yours=conflict.yours,
        conflicts=conflict.conflicts,
        status=409,
    )
