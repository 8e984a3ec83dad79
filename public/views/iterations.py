"""Iterations as releases: an iteration's whole set (page by page, as a PDF), and what
changed in the set between two iterations."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from groups.models import WorkingGroup
from public.api.pagination import in_order
from public.caching import content_version, public_page
from public.printing import html_to_pdf
from public.views.recommendations import source_text, units_html
from recommendations import selectors
from recommendations.models import Iteration
from recommendations.selectors.translations import translation_statuses
from recommendations.text import translation_units


def _iteration_completeness(versions) -> list[dict]:
    languages = translation_units.translation_languages()
    totals = {language: translation_units.Tally() for language in languages}
    for _version, status in translation_statuses(versions, languages=languages):
        totals[status.language].add(status)
    names = dict(settings.LANGUAGES)
    return [
        {"code": language, "name": names[language], "percent": tally.percent}
        for language, tally in totals.items()
    ]


def _iteration_groups(versions, language):
    groups: dict = {}
    for version in versions:
        source = source_text(version)
        status = translation_units.status(version.recommendation, source, language)
        version.status = status
        version.summary_unit = status.unit("summary")
        version.body_units = units_html(status)
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
    """The iteration's set by recommendation, in its order, each with its fingerprint."""
    return {
        pk: _InSet(groups[group], number, title, fingerprint)
        for pk, group, number, title, fingerprint in selectors.iteration_fingerprints(
            iteration=iteration
        )
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
