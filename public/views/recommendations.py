"""Published recommendations: the list (with search), its export, a recommendation as the
public reads it, and the comparison of two of its iterations."""

from functools import lru_cache

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from groups.models import WorkingGroup
from public import invalidation, listing
from public.caching import public_page
from public.forms import FilterForm
from public.search import search_snippets
from recommendations import selectors
from recommendations.forms.review import ThreadForm
from recommendations.forms.suggestions import SuggestionForm
from recommendations.models import Recommendation
from recommendations.selectors import synthesis as synthesis_selectors
from recommendations.selectors.suggestions import public_suggestions
from recommendations.services.drafting import source_text as revision_text
from recommendations.text import lines, translation_units
from recommendations.text.markdown import render_list_item, render_markdown
from recommendations.text.version_diffs import version_diff
from recommendations.views.watching import watch_box
from strategy import csv_export, fragments

PER_PAGE = 25
# How many feedback threads a recommendation's page shows, the newest; its feedback pages
# show the others, as many a page.
FEEDBACK_SHOWN = 50


def source_text(version) -> dict[str, str]:
    """A published version's text in the source language."""
    return revision_text(version.revision)


def _titles_in_language(versions, language):
    """Each version's title as a reader sees it: its translation where there is one."""
    for version in versions:
        heading = selectors.public_heading(version.recommendation, version.revision, language)
        version.display_title = heading["title"]
        version.display_summary = heading["summary"]
        version.title_translated = heading["translated"]
    return versions


def _rows_html(versions) -> dict[int, str]:
    """Each row of the list as it shows these versions, by version id (what is the same
    for every reader of a language: the words a search matched are not in it)."""
    _titles_in_language(versions, get_language())
    return {
        version.pk: render_to_string(
            "public/includes/recommendation_row.html", {"version": version}
        )
        for version in versions
    }


def _page(filters, number):
    """A page of the versions `filters` find: its rows rendered, and the count, kept
    (public/listing.py); the words a search matched, per row."""
    found = listing.Listing(filters)
    page = Paginator(range(found.count()), PER_PAGE).get_page(number)
    start = (page.number - 1) * PER_PAGE
    rows = found.rows(
        start=start,
        stop=start + PER_PAGE,
        name="public-list-row",
        rows=lambda: selectors.public_versions(
            **{**filters, "q": ""}, bodies=False, translations=False
        ),
        render=_rows_html,
    )
    # Snippets for the rows of this page only: ts_headline reads each row's text.
    snippets = search_snippets(version_ids=[pk for pk, _html in rows], q=filters.get("q", ""))
    page.object_list = [
        {"version_id": pk, "html": html, "snippet": snippets.get(pk)} for pk, html in rows
    ]
    return page


@public_page(reads=(*FilterForm.base_fields, "page"))
def recommendation_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.filters()
    page = _page(filters, request.GET.get("page"))
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
        text = source_text(version)
        recommendation = version.recommendation
        yield {
            "group": recommendation.working_group.source_name,
            "number": recommendation.number,
            "title": text["title"],
            "summary": text["summary"],
            "state": recommendation.state,
            "iteration": version.iteration.source_name,
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


def _rendered(unit: translation_units.Unit, run: translation_units.ListRun):
    """A body unit rendered: (its source, its translation or None where it shows the source,
    the list it is an item of or None). An item of a list is rendered as the content of its
    <li>, which the page puts in the one list element of its run; should either of its texts
    render as anything else, it is shown alone, as any unit."""
    translated = unit.text != unit.source
    if run.listed:
        source = render_list_item(unit.shown(unit.source), loose=run.loose)
        instead = render_list_item(unit.shown(unit.text), loose=run.loose) if translated else None
        if source is not None and (instead is not None or not translated):
            return source.html, instead.html if instead is not None else None, source
    return (
        render_markdown(unit.shown(unit.source)),
        render_markdown(unit.shown(unit.text)) if translated else None,
        None,
    )


# Bodies rendered and numbered lately, kept by each process: what is kept is a function of
# the texts alone (each unit's key, source, text shown and list mark, and the prefix), its
# key, so it is never stale: a published text is frozen, and a translation that changes is
# another key.
BODIES_KEPT = 512


@lru_cache(maxsize=BODIES_KEPT)
def _body_parts(texts: tuple[tuple[str, str, str, str], ...], prefix: str) -> tuple:
    """The parts of a body whose units are `texts` ((key, source, text, mark) each), as
    units_html gives them but naming each unit by its index in the body."""
    units = [
        translation_units.Unit(key, source, text, translated=False, outdated=False, mark=mark)
        for key, source, text, mark in texts
    ]
    index = {id(unit): number for number, unit in enumerate(units)}
    rendered = [
        (run, unit, *_rendered(unit, run))
        for run in translation_units.list_runs(units)
        for unit in run.units
    ]
    shown = lines.number_parts(
        [(source, instead) for _run, _unit, source, instead, _item in rendered], prefix=prefix
    )
    parts: list = []
    open_run = None  # the run whose list the last part is, while it goes on
    for (run, unit, _source, _instead, item), html in zip(rendered, shown, strict=True):
        if item is None:
            parts.append((index[id(unit)], html))
            open_run = None
            continue
        if open_run is not run:
            parts.append((item.tag, item.start, []))
            open_run = run
        parts[-1][2].append((index[id(unit)], html))
    return tuple(part if len(part) == 2 else (part[0], part[1], tuple(part[2])) for part in parts)


def units_html(status: translation_units.Status, *, prefix: str = "") -> list[dict]:
    """The body as shown, part by part, with the source's line numbers (recommendations.
    text.lines): `prefix` before each line's id where a page shows several versions. A unit
    is a part {"unit", "html"}; the consecutive items of one list of the source are one part
    {"list": "ul" or "ol", "start": its first number or None, "items": [{"unit", "html"}]},
    so that the page has one list element where the source has one, each item in its own
    language."""
    units = status.body()
    shape = _body_parts(
        tuple((unit.key, unit.source, unit.text, unit.mark) for unit in units), prefix
    )
    parts: list[dict] = []
    for part in shape:
        if len(part) == 2:
            parts.append({"unit": units[part[0]], "html": part[1], "list": None})
        else:
            tag, start, items = part
            parts.append(
                {
                    "list": tag,
                    "start": start,
                    "items": [{"unit": units[number], "html": html} for number, html in items],
                }
            )
    return parts


# What a recommendation's heading shows besides its own rows: its group's name and its
# iteration's (connected in public/apps.py).
HEADING_MODELS = ("groups.WorkingGroup", "recommendations.Iteration")
# What its iterations and its place in the synthesis are read from.
ITERATIONS_MODELS = ("recommendations.Version", "recommendations.Iteration")
SYNTHESIS_MODELS = (
    "recommendations.SourceLink",
    "recommendations.SourceFate",
    "recommendations.Recommendation",
    "recommendations.Version",
    "recommendations.Iteration",
    "groups.WorkingGroup",
)
# What its public feedback and suggestions, with their outcomes, are read from (the
# people who wrote them by their names, the iterations they were made on).
FEEDBACK_MODELS = (
    "recommendations.Thread",
    "recommendations.Comment",
    "recommendations.Suggestion",
    "recommendations.Version",
    "recommendations.Recommendation",
    "recommendations.Iteration",
    "strategy.User",
)
# What the page's recommendation is read with (public_recommendation without its texts):
# its row and state, its group and the group's thematic area, its published version and
# that version's iteration (a revision never changes), its fate in the synthesis.
ROW_MODELS = (
    "recommendations.Recommendation",
    "recommendations.Version",
    "recommendations.Iteration",
    "recommendations.SourceFate",
    "groups.WorkingGroup",
    "groups.ThematicArea",
)
PAGE_MODELS = (
    *HEADING_MODELS,
    *ITERATIONS_MODELS,
    *SYNTHESIS_MODELS,
    *FEEDBACK_MODELS,
    *ROW_MODELS,
)


def _feedback_record(recommendation: Recommendation) -> dict:
    """The public record of feedback on `recommendation`: its newest threads, whether there
    are more, those with an outcome, and the suggestions made on it."""
    # One more than shown: whether the page links to the rest.
    feedback = selectors.public_feedback(recommendation=recommendation, limit=FEEDBACK_SHOWN + 1)
    more_feedback = len(feedback) > FEEDBACK_SHOWN
    feedback = feedback[:FEEDBACK_SHOWN]
    for thread in feedback:
        thread.latest = list(reversed(thread.latest_reversed))
    return {
        "feedback": feedback,
        "more_feedback": more_feedback,
        "you_said_we_did": [thread for thread in feedback if thread.outcome],
        "public_suggestions": public_suggestions(recommendation=recommendation),
    }


def _reading(recommendation: Recommendation, language: str) -> dict:
    """The published text of `recommendation` as a reader in `language` reads it."""
    selectors.recommendation_texts(recommendation)
    source = source_text(recommendation.published_version)
    status = translation_units.status(recommendation, source, language)
    return {
        "source": source,
        "status": status,
        "title": status.unit("title"),
        "summary": status.unit("summary"),
        "body": units_html(status),
    }


def _public_row(group: str, number: str) -> Recommendation | None:
    """The public recommendation at this address, without its texts; None if none is."""
    try:
        return selectors.public_recommendation(group=group, number=number, texts=False)
    except Recommendation.DoesNotExist:
        return None


@public_page(shows=invalidation.recommendation_feedback)
def recommendation_public(request: HttpRequest, group: str, number: str) -> HttpResponse:
    """A recommendation as the public reads it: its latest published version, in the
    reader's language unit by unit, with its iterations and how complete the translation is.
    The recommendation an address names is kept (a copy each request) under ROW_MODELS."""
    recommendation = fragments.kept(
        "public-recommendation-row", (group, number), lambda: _public_row(group, number), ROW_MODELS
    )
    if recommendation is None:
        raise Http404
    version = recommendation.published_version
    language = get_language()
    # Read only when the page's part that shows them is not kept (see the template).
    iterations = SimpleLazyObject(
        lambda: list(selectors.published_iterations(recommendation=recommendation))
    )
    synthesis = {}
    if recommendation.working_group.kind == WorkingGroup.Kind.SYNTHESIS:
        synthesis["sources"] = SimpleLazyObject(
            lambda: list(synthesis_selectors.source_links(synthesized=recommendation))
        )
    else:
        synthesis["went_to"] = SimpleLazyObject(
            lambda: list(synthesis_selectors.where_it_went(source=recommendation))
        )
        synthesis["fate"] = getattr(recommendation, "fate", None)
    return render(
        request,
        "public/recommendation_detail.html",
        {
            **synthesis,
            "recommendation": recommendation,
            "version": version,
            # The texts are read and rendered only when what the page shows of them is not
            # kept: it is kept under the recommendation's updated_at (its translations are
            # on its row) and the published version and revision, per language.
            "text": SimpleLazyObject(lambda: _reading(recommendation, language)),
            "heading_models": " ".join(HEADING_MODELS),
            "iterations_models": " ".join(ITERATIONS_MODELS),
            "synthesis_models": " ".join(SYNTHESIS_MODELS),
            "iterations": iterations,
            "translated_page": language != settings.MODELTRANSLATION_DEFAULT_LANGUAGE,
            "record": SimpleLazyObject(lambda: _feedback_record(recommendation)),
            "record_models": " ".join(FEEDBACK_MODELS),
            "feedback_form": ThreadForm() if request.user.is_authenticated else None,
            # Anyone signed in suggests on the published version (recommendations.suggest).
            "suggestion_form": SuggestionForm(prefix="suggest")
            if request.user.has_perm("recommendations.suggest", version)
            else None,
            "watch": watch_box(request, recommendation),
        },
    )


@public_page(reads=("page",), shows=invalidation.recommendation_feedback)
def recommendation_feedback(request: HttpRequest, group: str, number: str) -> HttpResponse:
    """Every feedback thread on a public recommendation, newest first, a page at a time:
    where its page, which shows the newest, links to the others."""
    try:
        recommendation = selectors.public_recommendation(group=group, number=number)
    except Recommendation.DoesNotExist as error:
        raise Http404 from error
    page = Paginator(
        selectors.public_feedback_threads(recommendation=recommendation), FEEDBACK_SHOWN
    ).get_page(request.GET.get("page"))
    page.object_list = selectors.threads_with_comments(page.object_list)
    return render(
        request,
        "public/recommendation_feedback.html",
        {"recommendation": recommendation, "page": page},
    )


# What the compare page shows besides the recommendation's own row: its iterations (the
# versions published in them, their names) and its group's name.
COMPARE_MODELS = (*ITERATIONS_MODELS, *HEADING_MODELS)
# Which public recommendation an address names, and its state: its row, its group's slug.
ADDRESS_MODELS = ("recommendations.Recommendation", "groups.WorkingGroup")


@public_page(reads=("from", "to"))
def recommendation_compare(request: HttpRequest, group: str, number: str) -> HttpResponse:
    """A word-level diff between two iterations a recommendation was published in: the
    page's title and content are kept under what they show (the recommendation as it is,
    the two versions, the language), and which recommendation the address names under
    ADDRESS_MODELS, so a warm page reads nothing."""
    found = fragments.kept(
        "public-recommendation-address",
        (group, number),
        lambda: _public_stamp(group, number),
        ADDRESS_MODELS,
    )
    if found is None:
        raise Http404
    asked = (request.GET.get("from"), request.GET.get("to"))
    shown = fragments.kept(
        "public-compare",
        (*found, *asked, get_language()),
        lambda: _compare(request, group, number),
        COMPARE_MODELS,
    )
    if shown is None:
        raise Http404
    return render(request, "public/recommendation_compare.html", shown)


def _public_stamp(group: str, number: str) -> tuple | None:
    """The public recommendation at this address, as (id, updated_at); None if none is."""
    return selectors.public_recommendation_stamp(group=group, number=number)


def _compare(request: HttpRequest, group: str, number: str) -> dict | None:
    """The compare page's title and content, rendered; None when there is no public
    recommendation there, or it has no published version to compare."""
    try:
        recommendation = selectors.public_recommendation(group=group, number=number)
    except Recommendation.DoesNotExist:
        return None
    versions = {
        v.iteration.slug: v for v in selectors.published_iterations(recommendation=recommendation)
    }
    slugs = list(versions)
    old = versions.get(request.GET.get("from")) or (versions[slugs[0]] if slugs else None)
    new = versions.get(request.GET.get("to")) or (versions[slugs[-1]] if slugs else None)
    if old is None or new is None:
        return None
    old_text, new_text = source_text(old), source_text(new)
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
    context = {
        "recommendation": recommendation,
        "old": old,
        "new": new,
        "fields": fields,
        "versions": list(versions.values()),
    }
    return {
        "title": render_to_string("public/includes/compare_title.html", context, request),
        "content": render_to_string("public/includes/compare_content.html", context, request),
    }
