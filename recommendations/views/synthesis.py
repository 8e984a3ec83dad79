"""The synthesis: sources of synthesized recommendations, overlaps, inputs, coverage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from recommendations import services
from recommendations.forms.synthesis import (
    FateForm,
    InputForm,
    OverlapForm,
    SourceLinkForm,
    SourceNoteForm,
)
from recommendations.models import SourceLink
from recommendations.selectors import synthesis as selectors
from strategy import csv_export

# The coverage report's sources per page: the reference case's 89 on one.
COVERAGE_PER_PAGE = 300


def _need(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _need(request, "recommendations.see_synthesis")
    return render(
        request,
        "recommendations/synthesis/overview.html",
        {"synthesized": selectors.synthesized_list()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sources(request: HttpRequest, pk: int) -> HttpResponse:
    """A synthesized recommendation's sources, with notes, and the inputs of them all."""
    _need(request, "recommendations.see_synthesis")
    recommendation = selectors.synthesized_working_copy(user=request.user, pk=pk)
    can_link = request.user.has_perm("recommendations.link_sources", recommendation)
    search = request.GET.get("search", "").strip()[:200]
    form = SourceLinkForm(request.POST or None, search=search)
    if request.method == "POST":
        if not can_link:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.source_link(
                    synthesized=recommendation, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Source linked."))
                return redirect("synthesis:sources", pk=pk)
    return render(
        request,
        "recommendations/synthesis/sources.html",
        {
            "recommendation": recommendation,
            "links": selectors.source_links(synthesized=recommendation),
            "inputs": selectors.inputs_for(recommendation=recommendation, user=request.user),
            "form": form if can_link else None,
            "search": search,
            "can_link": can_link,
        },
    )


def _link_to_change(request: HttpRequest, pk: int, link: int) -> SourceLink:
    """The source link `link` of the synthesized recommendation `pk`, if the person may
    link that recommendation's sources (and so change or remove its links)."""
    link = get_object_or_404(selectors.source_links(), pk=link, synthesized_id=pk)
    _need(request, "recommendations.link_sources", link.synthesized)
    return link


@login_required
@require_http_methods(["GET", "POST"])
def source_unlink(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    """GET asks to confirm; only the POST of that confirmation removes the link."""
    link = _link_to_change(request, pk, link)
    if request.method == "POST":
        services.source_unlink(link=link, user=request.user)
        messages.success(request, _("Source removed."))
        return redirect("synthesis:sources", pk=pk)
    return render(
        request, "recommendations/synthesis/source_link_confirm_delete.html", {"link": link}
    )


@login_required
@require_http_methods(["GET", "POST"])
def source_note(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    """Edit the note of a source link; a note someone changed meanwhile is shown, not
    overwritten, and the text typed is kept."""
    link = _link_to_change(request, pk, link)
    form = SourceNoteForm(
        request.POST or None, initial={"note": link.note, "base": services.note_digest(link.note)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.source_link_note_update(
                link=link,
                note=form.cleaned_data["note"],
                user=request.user,
                base_digest=form.cleaned_data["base"] or None,
            )
        except ValidationError as error:
            link.refresh_from_db(fields=["note"])
            # The next save is made knowing their note: it replaces it.
            data = form.data.copy()
            data["base"] = services.note_digest(link.note)
            form = SourceNoteForm(data)
            form.is_valid()
            form.add_error(None, error)
        else:
            messages.success(request, _("Note saved."))
            return redirect(f"{reverse('synthesis:sources', args=[pk])}#link-{link.pk}")
    return render(
        request,
        "recommendations/synthesis/source_link_note_form.html",
        {"link": link, "form": form},
        status=422 if request.method == "POST" else 200,
    )


def coverage(request: HttpRequest) -> HttpResponse:
    """Every source recommendation and what became of it, per group. Public once the
    synthesis is published; before that, for the synthesis group and the core team."""
    if not selectors.synthesis_published():
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        _need(request, "recommendations.see_synthesis")
    public = selectors.synthesis_published()
    summary = selectors.coverage_summary(public=public, per_page=COVERAGE_PER_PAGE)
    total = sum(group.total for group in summary)
    reflected = sum(group.reflected for group in summary)
    page = Paginator(selectors.coverage_order(), COVERAGE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "recommendations/synthesis/coverage.html",
        {
            "summary": summary,
            # This page's sources, group by group.
            "groups": selectors.coverage(public=public, source_ids=list(page.object_list)),
            "page": page,
            "total": total,
            "reflected": reflected,
            "percent": round(100 * reflected / total) if total else 0,
            "fate_form": FateForm()
            if request.user.has_perm("recommendations.decide_fate")
            else None,
        },
    )


def coverage_csv(request: HttpRequest) -> HttpResponse:
    if not selectors.synthesis_published():
        _need(request, "recommendations.see_synthesis")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coverage.csv"'
    writer = csv_export.writer(response)
    writer.writerow(["group", "number", "title", "fate", "reflected in", "reason"])
    for group in selectors.coverage(public=selectors.synthesis_published()):
        for row in group.rows:
            writer.writerow(
                [
                    group.group.source_name,
                    row.source.number,
                    row.source.shown_title,
                    row.fate,
                    "; ".join(f"{r.number}. {r.shown_title}" for r in row.reflected_in),
                    row.reason,
                ]
            )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def fate(request: HttpRequest, source: int) -> HttpResponse:
    """One source's fate: the page a "Set fate" link of the coverage report opens without
    JavaScript (with it, the report's dialog posts here), and where a refused fate is
    shown again with what was typed."""
    _need(request, "recommendations.decide_fate")
    source = get_object_or_404(
        selectors.sources_with_their_fate(public=selectors.synthesis_published()), pk=source
    )
    decided = getattr(source, "fate", None)
    form = FateForm(
        request.POST or None,
        initial={"fate": decided.fate, "reason": decided.reason} if decided else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["fate"]:
                services.source_fate_set(
                    source=source,
                    user=request.user,
                    fate=form.cleaned_data["fate"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                services.source_fate_clear(source=source, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Fate recorded."))
            number = selectors.coverage_page_of(source_id=source.pk, per_page=COVERAGE_PER_PAGE)
            query = f"?page={number}" if number > 1 else ""
            return redirect(f"{reverse('synthesis:coverage')}{query}#source-{source.pk}")
    return render(
        request,
        "recommendations/synthesis/fate_form.html",
        {
            "source": source,
            "fate_label": selectors.FATE_LABELS[source.coverage_fate],
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def overlaps(request: HttpRequest) -> HttpResponse:
    _need(request, "recommendations.see_synthesis")
    can_map = request.user.has_perm("recommendations.map_overlaps")
    form = OverlapForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_map:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.overlap_create(
                    members=list(form.cleaned_data["members"]),
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Overlap recorded."))
                return redirect("synthesis:overlaps")
    return render(
        request,
        "recommendations/synthesis/overlaps.html",
        {
            "clusters": selectors.overlaps(user=request.user),
            "form": form if can_map else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inputs(request: HttpRequest) -> HttpResponse:
    _need(request, "recommendations.see_synthesis")
    can_add = request.user.has_perm("recommendations.add_inputs")
    form = InputForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["recommendations"] = list(data["recommendations"])
            try:
                services.input_create(user=request.user, **data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Input added."))
                return redirect("synthesis:inputs")
    return render(
        request,
        "recommendations/synthesis/inputs.html",
        {
            "inputs": selectors.inputs(user=request.user),
            "form": form if can_add else None,
        },
        status=422 if request.method == "POST" else 200,
    )
