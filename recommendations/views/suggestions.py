"""Suggested changes: proposing words on a version, and accepting or declining them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recommendations import services
from recommendations.forms.drafting import RecommendationForm
from recommendations.forms.suggestions import DecisionForm, SuggestionForm, WorkbenchForm
from recommendations.models import Suggestion, Version
from recommendations.selectors.review import version_visible_get
from recommendations.selectors.suggestions import (
    SUGGESTION_MODELS,
    SUGGESTIONS_SHOWN,
    earlier_open_suggestions,
    suggestion_counts,
    suggestion_get,
    suggestion_list,
    version_suggestable_get,
)
from recommendations.services.suggestions import change_reason
from recommendations.text.anchoring import plain_text
from recommendations.text.lines import number_lines
from recommendations.text.markdown import render_markdown
from recommendations.text.suggesting import Change, found_again, landing_line, tracked
from strategy import fragments


def _change(suggestion: Suggestion, start: int) -> Change:
    author = suggestion.author.display_name if suggestion.author else _("someone")
    return Change(
        start=start,
        length=len(suggestion.quote),
        words=suggestion.words,
        href=f"#suggestion-{suggestion.pk}",
        label=_("Suggestion %(number)s by %(author)s: %(reason)s")
        % {"number": suggestion.pk, "author": author, "reason": suggestion.reason},
        key=suggestion.pk,
    )


def _carried(version: Version, text: dict[str, str]) -> list[Suggestion]:
    """The open suggestions of earlier versions, each found again in this version's text
    (`found`: still anchored, moved, or orphaned), by the rule threads are."""
    plain = plain_text(text["body"])
    made_on: dict[int, tuple[dict[str, str], str]] = {}
    carried = earlier_open_suggestions(version=version, limit=SUGGESTIONS_SHOWN + 1)
    for suggestion in carried:
        if suggestion.version_id not in made_on:
            earlier = services.source_text(suggestion.version.revision)
            made_on[suggestion.version_id] = (earlier, plain_text(earlier["body"]))
        earlier, earlier_plain = made_on[suggestion.version_id]
        suggestion.found = found_again(
            target=suggestion.target,
            quote=suggestion.quote,
            prefix=suggestion.quote_prefix,
            suffix=suggestion.quote_suffix,
            start=suggestion.quote_start,
            after_line=suggestion.after_line,
            made_on=earlier,
            text=text,
            plain=plain,
            made_on_plain=earlier_plain,
        )
    return carried


def suggestions_context(request, *, version: Version, text: dict[str, str], numbered) -> dict:
    """What the version page shows of its suggestions: the list (of the state the GET
    parameter `suggestions` names, else all), the open suggestions of earlier versions
    found again in `text` (this version's), the text with the listed passages and the
    carried ones still found as tracked changes, their lines, and the forms. A fixed
    number of queries however many."""
    state = request.GET.get("suggestions", "")
    state = state if state in Suggestion.State.values else ""

    def read():
        listed = list(suggestion_list(version=version, state=state)[:SUGGESTIONS_SHOWN])
        return listed, _carried(version, text), suggestion_counts(version=version)

    # Kept (strategy/fragments.py) under SUGGESTION_MODELS; each reading is a copy, so
    # what is set on them below stays with this request.
    listed, carried, counts = fragments.kept(
        "review-version-suggestions",
        (version.pk, version.revision_id, state),
        read,
        models=SUGGESTION_MODELS,
    )
    carried_more = len(carried) > SUGGESTIONS_SHOWN
    carried = carried[:SUGGESTIONS_SHOWN]
    changes = [
        _change(suggestion, suggestion.quote_start)
        for suggestion in listed
        if suggestion.target == Suggestion.Target.PASSAGE
        and suggestion.quote_start is not None
        and not suggestion.hidden_reason
    ] + [
        _change(suggestion, suggestion.found.start)
        for suggestion in carried
        if suggestion.target == Suggestion.Target.PASSAGE and suggestion.found.start is not None
    ]
    # What it marks is all in the key: the text as numbered, and each change's place,
    # words, link and label.
    body_html, lines = fragments.kept(
        "review-version-tracked",
        (version.pk, numbered, changes),
        lambda: tracked(numbered, changes),
    )
    for suggestion in [*listed, *carried]:
        suggestion.lines = lines.get(suggestion.pk)
    for suggestion in carried:
        # A new paragraph is labelled by the line it lands after in this version.
        suggestion.landing_line = landing_line(numbered, suggestion.found)
    # recommendations.decide_suggestion is this, asked of one suggestion.
    can_decide = request.user.has_perm("recommendations.edit", version.recommendation)
    return {
        "body_html": body_html,
        "suggestions": listed,
        "carried_suggestions": carried,
        "carried_more": carried_more,
        "suggestion_state": state,
        "suggestion_states": [
            (value, label, counts[value])
            for value, label in [("", _("All")), *Suggestion.State.choices]
        ],
        "suggestions_more": counts[state] > len(listed),
        "can_suggest": request.user.has_perm("recommendations.suggest", version),
        "can_decide": can_decide,
        "workbench_open": can_decide and bool(counts[Suggestion.State.OPEN] or carried),
        "can_hide": request.user.has_perm("recommendations.hide_suggestion"),
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
    return redirect(f"{_decided_from(request, version, data['on'])}#suggestion-{suggestion.pk}")


def _decided_from(request, version: Version, on: int | None) -> str:
    """The page of the version the decision was made from: a newer one, when the
    suggestion was carried forward to it and decided there (when the person sees it);
    else the version it was made on."""
    if on and on != version.pk:
        try:
            return version_visible_get(
                user=request.user, pk=on, recommendation_id=version.recommendation_id
            ).get_absolute_url()
        except Version.DoesNotExist:
            pass
    return version.get_absolute_url()


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


def _workbench_version(request, pk: int, version: int) -> Version:
    """The version, when the person sees it (else 404) and decides its suggestions (else
    403): `recommendations.decide_suggestion` is `recommendations.edit` of the draft,
    asked here of the draft the suggestions would change."""
    try:
        version = version_visible_get(user=request.user, pk=version, recommendation_id=pk)
    except Version.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("recommendations.edit", version.recommendation):
        raise PermissionDenied
    return version


def _workbench_page(request, *, workbench, form, status=200, conflicts=0) -> HttpResponse:
    placed = workbench.placed
    numbered = number_lines(render_markdown(workbench.text["body"]))[0]
    body_html, lines = tracked(
        numbered,
        [
            _change(each.suggestion, each.plain_start)
            for each in placed
            if each.plain_start is not None
        ],
    )
    for each in placed:
        if each.suggestion.pk in lines:
            each.lines = lines[each.suggestion.pk]
        each.choice = form[f"s{each.suggestion.pk}"]
        each.why = form[f"why{each.suggestion.pk}"]
        each.made_on_this = each.suggestion.version_id == workbench.version.pk
        # Those it touches, the first ten named.
        each.overlap_numbers = ", ".join(map(str, each.overlaps[:10])) + (
            ", …" if len(each.overlaps) > 10 else ""
        )
    version = workbench.version
    return render(
        request,
        "recommendations/suggestions/workbench.html",
        {
            "recommendation": version.recommendation,
            "version": version,
            "workbench": workbench,
            "placed": placed,
            "body_html": body_html,
            "form": form,
            "conflicts": conflicts,
            "shown": SUGGESTIONS_SHOWN,
        },
        status=status,
    )


def _with(form: WorkbenchForm, **values) -> QueryDict:
    data = form.data.copy()
    for name, value in values.items():
        data[name] = value
    return data


@login_required
def suggestion_workbench(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """The merge workbench: every open suggestion of the version (and the open ones of
    earlier versions) as tracked changes on the draft, a choice for each, and the result,
    saved as one revision naming every suggestion it took."""
    version = _workbench_version(request, pk, version)
    if request.method != "POST":
        workbench = services.suggestions_workbench(version=version)
        form = WorkbenchForm(
            initial={**workbench.text, "base_revision": workbench.base.history_id},
            placed=workbench.placed,
        )
        return _workbench_page(request, workbench=workbench, form=form)
    try:
        base = int(request.POST.get("base_revision", ""))
        workbench = services.suggestions_workbench(version=version, base_revision=base)
    except (ValueError, ValidationError):
        return redirect("recommendations:suggestion_workbench", pk, version.pk)
    form = WorkbenchForm(request.POST, placed=workbench.placed)
    if not form.is_valid():
        return _workbench_page(request, workbench=workbench, form=form, status=422)
    decisions = form.decisions()
    accepted = sorted(pk for pk, (choice, _why) in decisions.items() if choice == "accept")
    made_from = sorted(form.result_of_ids())
    result = {name: form.cleaned_data[name] for name in ("title", "summary", "body")}
    try:
        edited = result != workbench.merged(made_from)[0]
    except ValidationError:
        edited = True
    try:
        if "preview" in request.POST:
            merged, _spans = workbench.merged(accepted)
            form = WorkbenchForm(
                _with(form, **merged, result_of=",".join(map(str, accepted))),
                placed=workbench.placed,
            )
            form.is_valid()
            return _workbench_page(request, workbench=workbench, form=form)
        if edited and made_from != accepted:
            raise ValidationError(
                _(
                    "You edited the result, then changed which suggestions you accept. "
                    "“Show the result” makes it again from your choices (replacing your "
                    "edits), or set the choices back."
                ),
                code="choices_changed",
            )
        decided = services.suggestions_merge(
            version=version,
            user=request.user,
            base_revision=base,
            decisions=decisions,
            text=result if edited else None,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _workbench_page(request, workbench=workbench, form=form, status=422)
    except services.EditConflict as conflict:
        # Saved by someone since the page was opened, on the same words: the workbench
        # again, on their revision, the result merged with theirs to finish by hand.
        workbench = services.suggestions_workbench(
            version=version, base_revision=conflict.latest.history_id
        )
        data = _with(
            form,
            **{name: each.text for name, each in conflict.merged.items()},
            base_revision=conflict.latest.history_id,
            result_of=",".join(map(str, accepted)),
        )
        form = WorkbenchForm(data, placed=workbench.placed)
        form.is_valid()
        return _workbench_page(
            request, workbench=workbench, form=form, status=409, conflicts=conflict.conflicts
        )
    taken = sum(1 for each in decided if each.state != Suggestion.State.DECLINED)
    messages.success(
        request,
        _("Saved: %(taken)s accepted, %(declined)s declined.")
        % {"taken": taken, "declined": len(decided) - taken},
    )
    return redirect(f"{version.get_absolute_url()}#suggestions-heading")
