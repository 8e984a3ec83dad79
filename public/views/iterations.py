"""Iterations as releases: an iteration's whole set (page by page, as a PDF), and what
changed in the set between two iterations."""

from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

from groups.models import WorkingGroup
from public import pdfs
from public.api.pagination import in_order
from public.caching import public_page
from public.views.recommendations import source_text, units_html
from recommendations import selectors
from recommendations.models import Iteration
from recommendations.selectors.translations import (
    iteration_marked_languages,
    translation_statuses,
)
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


def iteration_groups(versions, language):
    groups: dict = {}
    for version in versions:
        source = source_text(version)
        status = translation_units.status(version.recommendation, source, language)
        version.status = status
        version.summary_unit = status.unit("summary")
        recommendation = version.recommendation
        version.line_prefix = f"{recommendation.working_group.slug}-{recommendation.number}-"
        version.body_units = units_html(status, prefix=version.line_prefix)
        groups.setdefault(version.recommendation.working_group, []).append(version)
    return groups


# An iteration's set, page by page: the whole of it at the reference case's size (89), in
# pages of this many when a process publishes far more.
ITERATION_PER_PAGE = 100


def iteration_page(iteration, number):
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
    page = iteration_page(iteration, request.GET.get("page"))
    marked = iteration_marked_languages(iteration=iteration)
    return render(
        request,
        "public/iteration_detail.html",
        {
            "iteration": iteration,
            "page": page,
            "groups": iteration_groups(page.object_list, get_language()),
            "count": page.paginator.count,
            # Of the whole set when it fits one page; of the page shown otherwise.
            "completeness": _iteration_completeness(page.object_list),
            # The languages marked ready for the iteration: those still ready, and those
            # changed since (never shown as ready).
            "ready_languages": [state for state in marked if state.ready],
            "changed_languages": [state for state in marked if state.changed_since],
            "iterations": Iteration.objects.all(),
            # Where a citation of lines on this page links to.
            "page_url": pdfs.page_path(iteration, page),
        },
    )


def iteration_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The set of an iteration (or, when it has several pages, one page of it) as one PDF,
    served from the file a task made (public/pdfs.py); while there is none yet, a page that
    says it is being prepared and reloads."""
    iteration = get_object_or_404(Iteration, slug=slug)
    page = iteration_page(iteration, request.GET.get("page"))
    number, pages = page.number, page.paginator.num_pages
    language = get_language()
    pdfs.check_soon(iteration, language)
    pdf = pdfs.open_ready(iteration, language, number)
    if pdf is None:
        response = render(
            request,
            "public/iteration_pdf_preparing.html",
            {
                "iteration": iteration,
                "number": number,
                "pages": pages,
                "reload_seconds": PREPARING_RELOAD_SECONDS,
            },
            status=202,
        )
        response["Refresh"] = str(PREPARING_RELOAD_SECONDS)
        response["Retry-After"] = str(PREPARING_RELOAD_SECONDS)
        patch_cache_control(response, no_store=True)
        return response
    name = iteration.slug if pages == 1 else f"{iteration.slug}-{number}"
    response = FileResponse(pdf, content_type="application/pdf", filename=f"{name}.pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    # The file is replaced when the set changes: a browser asks again after a minute.
    patch_cache_control(response, public=True, max_age=60)
    return response


# How often the "being prepared" page reloads itself.
PREPARING_RELOAD_SECONDS = 10


@dataclass(frozen=True)
class _InSet:
    """A recommendation as an iteration's set has it, for comparing two sets: with what
    its line on the page says (`label`) and where it links (`url`), made once here rather
    than per line in the template (a set has thousands)."""

    group: WorkingGroup
    number: str
    title: str
    fingerprint: str
    label: str
    url: str


class _Links:
    """The address of a group's recommendation (or its comparison), reversed once per
    group: the number, the pattern's last part, is put in as reverse() quotes it."""

    MARK = "0"

    def __init__(self, name: str):
        self.name = name
        self.by_group: dict[int, tuple[str, str]] = {}

    def __call__(self, group: WorkingGroup, number: str) -> str:
        if group.pk not in self.by_group:
            url = reverse(self.name, args=[group.slug, self.MARK])
            # The slug may hold the mark: the number is the last part (rsplit).
            self.by_group[group.pk] = tuple(url.rsplit(f"/{self.MARK}/", 1))
        before, after = self.by_group[group.pk]
        return f"{before}/{quote(number, safe=RFC3986_SUBDELIMS + '~:@')}/{after}"


def _fingerprinted(iteration, groups, link) -> dict[int, _InSet]:
    """The iteration's set by recommendation, in its order, each with its fingerprint."""
    names = {pk: group.name for pk, group in groups.items()}
    return {
        pk: _InSet(
            groups[group],
            number,
            title,
            fingerprint,
            f"{names[group]} {number}. {title}",
            link(groups[group], number),
        )
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
    # Removed ones link nowhere; added ones to their page; changed ones to their comparison.
    before = _fingerprinted(old, groups, lambda group, number: "")
    after = _fingerprinted(new, groups, _Links("public:recommendation"))
    comparing = _Links("public:compare")
    pair = urlencode({"from": old.slug, "to": new.slug})
    both = [pk for pk in after if pk in before]
    changed = [
        replace(after[pk], url=f"{comparing(after[pk].group, after[pk].number)}?{pair}")
        for pk in both
        if before[pk].fingerprint != after[pk].fingerprint
    ]
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
