"""The public site: published recommendations, iterations as releases, translations."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import TextField, Value
from django.db.models.functions import MD5, Coalesce, Concat
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from groups.models import ThematicArea, WorkingGroup
from recommendations import selectors, services, translating
from recommendations.diffing import diff_html
from recommendations.forms import ThreadForm
from recommendations.markdown import render_markdown
from recommendations.models import TEXT_FIELDS, Iteration, Recommendation, source_field
from recommendations.printing import html_to_pdf
from recommendations.selectors import synthesis as synthesis_selectors
from recommendations.selectors.public import PUBLIC_FILTER_STATES
from recommendations.selectors.searching import search_snippets
from recommendations.validators import validate_body_size
from recommendations.version_diffs import version_diff
from strategy import csv_export
from strategy.caching import content_version, public_page
from strategy.pagination import in_order

PER_PAGE = 25
TITLE = source_field("title")


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    group = forms.ChoiceField(label=gettext_lazy("Working group"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Thematic area"), required=False)
    iteration = forms.ChoiceField(label=gettext_lazy("Iteration"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["group"].choices = every + list(
            WorkingGroup.objects.values_list("slug", "name")
        )
        self.fields["area"].choices = every + list(ThematicArea.objects.values_list("slug", "name"))
        self.fields["iteration"].choices = every + [
            (iteration.slug, iteration.name) for iteration in Iteration.objects.all()
        ]
        self.fields["state"].choices = every + [
            (state.value, state.label) for state in PUBLIC_FILTER_STATES
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


def _text(version) -> dict[str, str]:
    return services.source_text(version.revision)


def _titles_in_language(versions, language):
    """Each version's title as a reader sees it: its translation where there is one."""
    for version in versions:
        heading = selectors.public_heading(version.recommendation, version.revision, language)
        version.display_title = heading["title"]
        version.display_summary = heading["summary"]
        version.title_translated = heading["translated"]
    return versions


def _page(versions, number):
    """A page of `versions`, its ids found first (see strategy.pagination.in_order)."""
    page = Paginator(versions.values_list("pk", flat=True), PER_PAGE).get_page(number)
    page.object_list = in_order(versions, page.object_list)
    return page


@public_page(reads=(*FilterForm.base_fields, "page"))
def recommendation_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.filters()
    versions = selectors.public_versions(**filters, bodies=False, translations=False)
    page = _page(versions, request.GET.get("page"))
    _titles_in_language(page.object_list, get_language())
    # Snippets for the rows of this page only: ts_headline reads each row's text.
    snippets = search_snippets(
        version_ids=[version.pk for version in page.object_list], q=filters.get("q", "")
    )
    for version in page.object_list:
        version.snippet = snippets.get(version.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/recommendation_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searching": bool(filters.get("q")),
        },
    )


def _export_rows(request):
    form = FilterForm(request.GET or None)
    versions = selectors.public_versions(**form.filters(), translations=False)
    for version in versions.iterator(chunk_size=500):
        text = _text(version)
        recommendation = version.recommendation
        yield {
            "group": recommendation.working_group.name_en,
            "number": recommendation.number,
            "title": text["title"],
            "summary": text["summary"],
            "state": recommendation.state,
            "iteration": version.iteration.name_en,
            "url": settings.SITE_URL + recommendation.get_public_url(),
            "body": text["body"],
        }


@public_page(reads=tuple(FilterForm.base_fields))
def recommendation_export(request: HttpRequest, format: str) -> HttpResponse:
    """The list as filtered, as CSV or JSON (source language)."""
    if format not in ("csv", "json"):
        raise Http404
    rows = list(_export_rows(request))
    if format == "json":
        response = JsonResponse(
            {"count": len(rows), "results": rows}, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv_export.writer(response)
        writer.writerow(list(rows[0]) if rows else ["title"])
        writer.writerows(row.values() for row in rows)
    response["Content-Disposition"] = f'attachment; filename="recommendations.{format}"'
    return response


def _units_html(status: translating.Status) -> list[dict]:
    return [{"unit": unit, "html": render_markdown(unit.text)} for unit in status.body()]


@public_page
def recommendation_public(request: HttpRequest, group: str, number: str) -> HttpResponse:
    """A recommendation as the public reads it: its latest published version, in the
    reader's language unit by unit, with its iterations and how complete the translation is."""
    try:
        recommendation = selectors.public_recommendation(group=group, number=number)
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    version = recommendation.published_version
    source = _text(version)
    language = get_language()
    status = translating.status(recommendation, source, language)
    iterations = list(selectors.published_iterations(recommendation=recommendation))
    synthesis = {}
    if recommendation.working_group.kind == WorkingGroup.Kind.SYNTHESIS:
        synthesis["sources"] = list(synthesis_selectors.source_links(synthesized=recommendation))
    else:
        synthesis["went_to"] = list(synthesis_selectors.where_it_went(source=recommendation))
        synthesis["fate"] = getattr(recommendation, "fate", None)
    feedback = selectors.public_feedback(recommendation=recommendation)
    for thread in feedback:
        thread.latest = list(reversed(thread.latest_reversed))
    return render(
        request,
        "public/recommendation_detail.html",
        {
            **synthesis,
            "recommendation": recommendation,
            "version": version,
            "source": source,
            "status": status,
            "title": status.unit("title"),
            "summary": status.unit("summary"),
            "body": _units_html(status),
            "iterations": iterations,
            "translated_page": language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE,
            "feedback": feedback,
            "you_said_we_did": [t for t in feedback if t.outcome],
            "feedback_form": ThreadForm() if request.user.is_authenticated else None,
        },
    )


@public_page(reads=("from", "to"))
def recommendation_compare(request: HttpRequest, group: str, number: str) -> HttpResponse:
    """A word-level diff between two iterations a recommendation was published in."""
    try:
        recommendation = selectors.public_recommendation(group=group, number=number)
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    versions = {
        v.iteration.slug: v for v in selectors.published_iterations(recommendation=recommendation)
    }
    slugs = list(versions)
    old = versions.get(request.GET.get("from")) or (versions[slugs[0]] if slugs else None)
    new = versions.get(request.GET.get("to")) or (versions[slugs[-1]] if slugs else None)
    if old is None or new is None:
        raise Http404
    old_text, new_text = _text(old), _text(new)
    diffs = version_diff(old=old, new=new)
    fields = [
        {
            "label": label,
            **vars(diffs[name]),
            "changed": old_text[name] != new_text[name],
            "rendered": name == "body",
        }
        for name, label in (("title", _("Title")), ("summary", _("Summary")), ("body", _("Text")))
    ]
    return render(
        request,
        "public/recommendation_compare.html",
        {
            "recommendation": recommendation,
            "old": old,
            "new": new,
            "fields": fields,
            "versions": list(versions.values()),
        },
    )


def _iteration_completeness(versions) -> list[dict]:
    languages = translating.translation_languages()
    totals = {language: [0, 0] for language in languages}
    for version in versions:
        source = _text(version)
        for language in languages:
            status = translating.status(version.recommendation, source, language)
            totals[language][0] += status.done
            totals[language][1] += status.total
    names = dict(settings.LANGUAGES)
    return [
        {
            "code": language,
            "name": names[language],
            "percent": round(100 * done / total) if total else 0,
        }
        for language, (done, total) in totals.items()
    ]


def _iteration_groups(versions, language):
    groups: dict = {}
    for version in versions:
        source = _text(version)
        status = translating.status(version.recommendation, source, language)
        version.status = status
        version.summary_unit = status.unit("summary")
        version.body_units = _units_html(status)
        groups.setdefault(version.recommendation.working_group, []).append(version)
    return groups


# An iteration's set, page by page: the whole of it at the reference case's size (89), in
# pages of this many when a process publishes far more.
ITERATION_PER_PAGE = 100


def _iteration_page(iteration, number):
    """A page of the iteration's set, in group and rank order; with more than one page,
    `contents` says how many recommendations each group has and on which page it starts."""
    versions = selectors.iteration_set(iteration=iteration)
    page = Paginator(versions.values_list("pk", flat=True), ITERATION_PER_PAGE).get_page(number)
    page.object_list = in_order(versions, page.object_list)
    page.contents = []
    if page.paginator.num_pages > 1:
        groups = {group.pk: group for group in WorkingGroup.objects.all()}
        in_set = versions.values_list("recommendation__working_group_id", flat=True)
        for index, group_id in enumerate(in_set):
            if not page.contents or page.contents[-1]["group"].pk != group_id:
                page.contents.append(
                    {"group": groups[group_id], "page": index // ITERATION_PER_PAGE + 1, "count": 0}
                )
            page.contents[-1]["count"] += 1
    return page


@public_page(reads=("page",))
def iteration_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An iteration as a release: the whole set as published in it (page by page when it is
    large), citable and printable."""
    iteration = get_object_or_404(Iteration, slug=slug)
    page = _iteration_page(iteration, request.GET.get("page"))
    return render(
        request,
        "public/iteration_detail.html",
        {
            "iteration": iteration,
            "page": page,
            "groups": _iteration_groups(page.object_list, get_language()),
            "count": page.paginator.count,
            # Of the whole set when it fits one page; of the page shown otherwise.
            "completeness": _iteration_completeness(page.object_list),
            "iterations": Iteration.objects.all(),
        },
    )


def iteration_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The set of an iteration (or, when it has several pages, one page of it) as one PDF
    (WeasyPrint), made once per content change."""
    from django.core.cache import cache

    iteration = get_object_or_404(Iteration, slug=slug)
    page = _iteration_page(iteration, request.GET.get("page"))
    # The PDF names the address it was asked at (to cite), so each host has its own.
    key = (
        f"public:pdf:{content_version()}:{get_language()}:{request.get_host()}:"
        f"{iteration.pk}:{page.number}"
    )
    pdf = cache.get(key)
    if pdf is None:
        # The address to cite is the iteration's page (of this page of it), not the PDF's.
        cite = request.build_absolute_uri(reverse("public:iteration", args=[iteration.slug]))
        if page.paginator.num_pages > 1:
            cite += f"?page={page.number}"
        html = render_to_string(
            "public/iteration_print.html",
            {
                "iteration": iteration,
                "page": page,
                "groups": _iteration_groups(page.object_list, get_language()),
                "count": page.paginator.count,
                "cite": cite,
            },
            request=request,
        )
        pdf = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
        cache.set(key, pdf, 60 * 60 * 24)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = iteration.slug if page.paginator.num_pages == 1 else f"{iteration.slug}-{page.number}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@dataclass(frozen=True)
class _InSet:
    """A recommendation as an iteration's set has it, for comparing two sets."""

    group: WorkingGroup
    number: str
    title: str
    fingerprint: str


def _fingerprinted(iteration, groups) -> dict[int, _InSet]:
    """The iteration's set by recommendation, in its order, each with a fingerprint of its
    text (title, summary, body) made by the database: comparing two sets reads no text,
    and plain rows rather than models."""
    separator = Value("\x1f")
    text = Concat(
        *(
            part
            for name in TEXT_FIELDS
            for part in (
                Coalesce(f"revision__{source_field(name)}", Value(""), output_field=TextField()),
                separator,
            )
        ),
        output_field=TextField(),
    )
    rows = (
        selectors.public_versions(iteration=iteration.slug, bodies=False, translations=False)
        .annotate(fingerprint=MD5(text))
        .values_list(
            "recommendation_id",
            "recommendation__working_group_id",
            "recommendation__number",
            f"revision__{TITLE}",
            "fingerprint",
        )
    )
    return {
        pk: _InSet(groups[group], number, title, fingerprint)
        for pk, group, number, title, fingerprint in rows
    }


@public_page(reads=("from", "to"))
def iteration_compare(request: HttpRequest) -> HttpResponse:
    """What changed in the whole set between two iterations: added, removed, changed."""
    iterations = list(Iteration.objects.all())
    by_slug = {iteration.slug: iteration for iteration in iterations}
    if len(iterations) < 2:
        raise Http404
    old = by_slug.get(request.GET.get("from")) or iterations[-2]
    new = by_slug.get(request.GET.get("to")) or iterations[-1]
    groups = {group.pk: group for group in WorkingGroup.objects.all()}
    before, after = _fingerprinted(old, groups), _fingerprinted(new, groups)
    both = [pk for pk in after if pk in before]
    changed = [after[pk] for pk in both if before[pk].fingerprint != after[pk].fingerprint]
    return render(
        request,
        "public/iteration_compare.html",
        {
            "old": old,
            "new": new,
            "iterations": iterations,
            "added": [entry for pk, entry in after.items() if pk not in before],
            "removed": [entry for pk, entry in before.items() if pk not in after],
            "changed": changed,
            "unchanged": len(both) - len(changed),
        },
    )


TITLE_MAX_LENGTH = Recommendation._meta.get_field("title").max_length


class TranslationForm(forms.Form):
    def __init__(self, *args, status: translating.Status, **kwargs):
        super().__init__(*args, **kwargs)
        self.status = status
        for unit in status.units:
            widget = forms.TextInput if unit.key == "title" else forms.Textarea(attrs={"rows": 4})
            self.fields[unit.key] = forms.CharField(
                label=unit.source,
                required=False,
                widget=widget,
                initial=unit.text if unit.translated else "",
                # The limits the service checks, as form errors.
                max_length=TITLE_MAX_LENGTH if unit.key == "title" else None,
                validators=[validate_body_size],
            )

    def rows(self):
        return [
            {
                "unit": unit,
                "field": self[unit.key],
                "diff": diff_html(unit.translated_from, unit.source) if unit.outdated else "",
            }
            for unit in self.status.units
        ]


def _can_translate(user) -> bool:
    from strategy.predicates import is_core_team

    return is_core_team(user) or user.has_perm("recommendations.translate_recommendation")


@login_required
@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """Translators edit a language side by side with the source the public reads."""
    if not _can_translate(request.user):
        raise PermissionDenied
    if language not in translating.translation_languages():
        raise Http404
    # Translators translate what the public reads: a withdrawn recommendation has nothing.
    recommendation = get_object_or_404(
        selectors.recommendations_published().select_related(
            "published_version__revision", "working_group"
        ),
        pk=pk,
    )
    source = _text(recommendation.published_version)
    status = translating.status(recommendation, source, language)
    form = TranslationForm(request.POST or None, status=status)
    if request.method == "POST" and form.is_valid():
        try:
            services.translation_save(
                recommendation=recommendation,
                user=request.user,
                language=language,
                source=source,
                translations=form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Translation saved."))
            return redirect("public:translate", pk=pk, language=language)
    return render(
        request,
        "public/translation_form.html",
        {
            "recommendation": recommendation,
            "form": form,
            "status": status,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "source": source,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def translation_table(request: HttpRequest) -> HttpResponse:
    """How complete each language is, per working group (core team and translators)."""
    if not _can_translate(request.user):
        raise PermissionDenied
    languages = translating.translation_languages()
    names = dict(settings.LANGUAGES)
    rows: dict = {}
    outdated: dict = {}
    for version in selectors.public_versions():
        group = version.recommendation.working_group
        source = _text(version)
        row = rows.setdefault(group, {language: [0, 0] for language in languages})
        for language in languages:
            status = translating.status(version.recommendation, source, language)
            row[language][0] += status.done
            row[language][1] += status.total
            if status.outdated:
                outdated.setdefault(language, []).append(version.recommendation)
    table = [
        {
            "group": group,
            "cells": [
                {"language": language, "percent": round(100 * d / t) if t else 0}
                for language, (d, t) in row.items()
            ],
        }
        for group, row in rows.items()
    ]
    return render(
        request,
        "public/translation_table.html",
        {
            "table": table,
            "languages": [(code, names[code]) for code in languages],
            "outdated": outdated,
        },
    )
