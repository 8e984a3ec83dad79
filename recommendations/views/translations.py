"""The translators' tools (working pages, under /workspace/): the translators' home (how
complete each language is, what waits in one's own), and translating one recommendation
into one language side by side with its source."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from recommendations import services
from recommendations.forms.translations import TranslationForm
from recommendations.models import Iteration
from recommendations.selectors.reading import iteration_set
from recommendations.selectors.translation_memory import (
    glossary_terms_in,
    translation_memory_matches,
)
from recommendations.selectors.translations import (
    COMPLETENESS_MODELS,
    PROOFREADING_MODELS,
    WAITING_MODELS,
    completeness_by_language,
    iteration_language,
    iteration_set_recommendation_ids,
    iteration_set_version_ids,
    languages_with_proofreaders,
    proofreading_head,
    recommendation_to_translate,
    recommendations_named,
    recommendations_to_translate,
    translation_completeness,
    translation_drafts,
    translation_drafts_of,
    translator_languages,
    translators_home_lists,
)
from recommendations.text import po_files, translation_files, translation_units, xliff_files
from strategy import fragments
from strategy.predicates import is_core_team

# How many recommendations each of the home's lists shows (the newest first); the rest
# are counted.
WAITING_SHOWN = 50


@login_required
@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """Translators edit a language side by side with the source the public reads."""
    recommendation, source, status, drafts = _to_translate(request, pk, language)
    units = [(unit.key, unit.source) for unit in status.units]
    form = TranslationForm(
        request.POST or None,
        status=status,
        drafts=drafts,
        memory=translation_memory_matches(
            language=language,
            units=units,
            current={unit.key: unit.text for unit in status.units if unit.translated},
        ),
        glossary=glossary_terms_in(language=language, units=units),
        proofreads=frozenset(
            key
            for key, draft in drafts.items()
            if request.user.has_perm("recommendations.proofread_translation", draft)
        ),
    )
    direct = request.user.has_perm("recommendations.publish_translation")
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, recommendation, language, source, form.cleaned_data, direct=direct)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Translation saved.")
                if direct
                else _("Translation saved as a draft: it is public once proofread."),
            )
            return redirect("translations:edit", pk=pk, language=language)
    return render(
        request,
        "recommendations/translations/translation_form.html",
        {
            "recommendation": recommendation,
            "form": form,
            "status": status,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "source": source,
            "direct": direct,
            "proofreaders_assigned": language in languages_with_proofreaders(),
        },
        status=422 if request.method == "POST" else 200,
    )


def _save(
    request, recommendation, language, source, translations, *, direct: bool, confirmed=frozenset()
) -> None:
    """The one way the page and an uploaded file save: the core team's text is public at
    once, a volunteer's is a draft to proofread. `confirmed`: the outdated units whose
    unchanged text the translator reviewed (a file's)."""
    save = services.translation_save if direct else services.translation_draft_save
    save(
        recommendation=recommendation,
        user=request.user,
        language=language,
        source=source,
        translations=translations,
        confirmed=confirmed,
    )


def _to_translate(request: HttpRequest, pk: int, language: str):
    """The recommendation, its source, its translation's status and drafts in `language`,
    for a person who translates into it (else 404 or 403)."""
    if language not in translation_units.translation_languages():
        raise Http404
    if not request.user.has_perm("recommendations.translate_into", language):
        raise PermissionDenied
    recommendation = recommendation_to_translate(pk=pk)
    source = services.source_text(recommendation.published_version.revision)
    status = translation_units.status(recommendation, source, language)
    drafts = translation_drafts(recommendation=recommendation, language=language)
    return recommendation, source, status, drafts


def _download(request: HttpRequest, pk: int, language: str, file_format) -> HttpResponse:
    """The translation of one recommendation into one language as a file of
    `file_format` (po_files or xliff_files), to translate in one's own tool."""
    recommendation, source, status, drafts = _to_translate(request, pk, language)
    name = f"recommendation-{recommendation.pk}-{language}"
    options = {"original": name} if file_format is xliff_files else {}
    response = HttpResponse(
        file_format.export(
            entries=translation_files.entries(status, drafts),
            language=language,
            title=source["title"],
            **options,
        ),
        content_type=file_format.CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format.EXTENSION}"'
    return response


@login_required
@require_http_methods(["GET"])
def translation_po_download(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """As a gettext PO file (Poedit, Weblate, Lokalize...)."""
    return _download(request, pk, language, po_files)


@login_required
@require_http_methods(["GET"])
def translation_xliff_download(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """As an XLIFF 1.2 file (OmegaT, memoQ, Trados, Poedit...)."""
    return _download(request, pk, language, xliff_files)


@login_required
@require_http_methods(["POST"])
def translation_file_upload(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """A PO or XLIFF file back (told apart by its name, else its content), read by the
    same rules (translation_files): each changed unit is saved as the page saves it (a
    draft, or public for the core team), checked by the page's own form; an outdated unit
    its translator marked reviewed becomes current (once proofread, for a volunteer); a
    unit whose source changed since the export is refused with its reason, the others
    still saved. A file that cannot be read changes nothing."""
    recommendation, source, status, drafts = _to_translate(request, pk, language)
    back = redirect("translations:edit", pk=pk, language=language)
    upload = request.FILES.get("translation_file")
    if upload is None:
        messages.error(request, _("Choose a PO or XLIFF file to upload first."))
        return back
    try:
        reading = translation_files.read(
            upload.read(translation_files.MAX_BYTES + 1),
            filename=upload.name or "",
            status=status,
            drafts=drafts,
            language=language,
        )
    except translation_files.MalformedFile as error:
        messages.error(request, str(error))
        return back
    for refusal in reading.refused:
        messages.warning(request, refusal)
    if not reading:
        messages.info(request, _("Nothing in the file differs from this page: nothing saved."))
        return back
    direct = request.user.has_perm("recommendations.publish_translation")
    errors = _apply(request, recommendation, language, source, status, drafts, reading, direct)
    if errors:
        for error in errors:
            messages.error(request, error)
        messages.error(request, _("Nothing from the file was saved."))
        return back
    for message in _saved_messages(reading, direct=direct):
        messages.success(request, message)
    return back


def _apply(request, recommendation, language, source, status, drafts, reading, direct) -> list:
    """Save what a file's `reading` changes in one recommendation's translation, checked
    by the page's own form and saved as the page saves (_save). Returns the refusals, each
    naming its unit: then nothing of it was saved."""
    # What each unit keeps: the core team's public text (a draft left unchanged stays a
    # draft), a volunteer's field as the page starts it; the file's changes on top.
    if direct:
        kept = {unit.key: unit.text if unit.translated else "" for unit in status.units}
    else:
        kept = translation_files.starting_texts(status, drafts)
    form = TranslationForm({**kept, **reading.changed}, status=status, drafts=drafts)
    if form.is_valid():
        try:
            _save(
                request,
                recommendation,
                language,
                source,
                form.cleaned_data,
                direct=direct,
                confirmed=reading.confirmed,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
    errors = []
    for key, field_errors in form.errors.items():
        unit = status.unit(key)
        label = translation_units.unit_label(key, unit.source) if unit else ""
        errors.extend(f"{label}: {error}" if label else error for error in field_errors)
    return errors


def _saved_messages(reading, *, direct: bool) -> list[str]:
    """What a file's saved `reading` did, in words."""
    said = []
    count = len(reading.changed)
    if count:
        said.append(
            (
                ngettext(
                    "%(count)s unit from the file saved.",
                    "%(count)s units from the file saved.",
                    count,
                )
                if direct
                else ngettext(
                    "%(count)s unit from the file saved as a draft: it is public once proofread.",
                    "%(count)s units from the file saved as drafts: they are public once "
                    "proofread.",
                    count,
                )
            )
            % {"count": count}
        )
    reviewed = len(reading.confirmed)
    if reviewed:
        said.append(
            (
                ngettext(
                    "%(count)s outdated unit marked reviewed: it is current again.",
                    "%(count)s outdated units marked reviewed: they are current again.",
                    reviewed,
                )
                if direct
                else ngettext(
                    "%(count)s outdated unit marked reviewed: it is current once proofread.",
                    "%(count)s outdated units marked reviewed: they are current once proofread.",
                    reviewed,
                )
            )
            % {"count": reviewed}
        )
    return said


@login_required
@require_http_methods(["POST"])
def translation_ready(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """A proofreader marks drafts of one language ready: they become public. Every draft
    asked for must be one they may proofread (not their own, in their language; in a
    language with assigned proofreaders, they must be one), else nothing is marked (403)."""
    if language not in translation_units.translation_languages():
        raise Http404
    if not request.user.has_perm("recommendations.translate_into", language):
        raise PermissionDenied
    recommendation = recommendation_to_translate(pk=pk)
    drafts = translation_drafts(recommendation=recommendation, language=language)
    asked = [drafts[key] for key in request.POST.getlist("ready") if key in drafts]
    if any(
        not request.user.has_perm("recommendations.proofread_translation", draft) for draft in asked
    ):
        raise PermissionDenied
    if not asked:
        messages.error(request, _("Check the drafts you proofread first."))
        return redirect("translations:edit", pk=pk, language=language)
    services.translation_mark_ready(
        recommendation=recommendation,
        user=request.user,
        language=language,
        source=services.source_text(recommendation.published_version.revision),
        drafts=asked,
    )
    messages.success(
        request,
        ngettext(
            "%(count)s unit proofread and public.",
            "%(count)s units proofread and public.",
            len(asked),
        )
        % {"count": len(asked)},
    )
    return redirect("translations:edit", pk=pk, language=language)


@login_required
def translation_table(request: HttpRequest) -> HttpResponse:
    """The translators' home: one's languages and their progress, what is missing and what
    is stale in them (the newest first; in one group or one iteration when asked), and how
    complete every language is, per working group. Every figure is a stored count
    (TranslationProgress): the page reads no text."""
    mine = translator_languages(user=request.user)
    if not mine:
        raise PermissionDenied
    names = dict(settings.LANGUAGES)
    languages = translation_units.translation_languages()
    filters = {
        "group": request.GET.get("group", "")[:100],
        "iteration": request.GET.get("iteration", "")[:100],
    }
    # What is the same for every translator of these languages is kept rendered (no
    # form, no CSRF token in it), under the generations of what it is read from; the
    # drafts to proofread are kept for this person (their own are left out).
    completeness_html, progress = fragments.kept(
        "translations:home-completeness",
        (tuple(languages), get_language()),
        lambda: _completeness(languages, names),
        models=COMPLETENESS_MODELS,
    )
    waiting_html = fragments.kept(
        "translations:home-waiting",
        (tuple(mine), filters["group"], filters["iteration"], get_language()),
        lambda: _waiting(mine, names, filters),
        models=WAITING_MODELS,
    )
    proofreading_html = fragments.kept(
        "translations:home-proofreading",
        (request.user.pk, is_core_team(request.user), tuple(mine), get_language()),
        lambda: render_to_string(
            "recommendations/translations/includes/home_proofreading.html",
            {
                "proofread": proofreading_head(
                    user=request.user, languages=mine, shown=WAITING_SHOWN
                ),
                "names": names,
            },
        ),
        models=PROOFREADING_MODELS,
    )
    return render(
        request,
        "recommendations/translations/translation_table.html",
        {
            "mine": [(code, names[code]) for code in mine],
            "my_progress": [cell for cell in progress if cell.language in mine],
            "names": names,
            "filters": filters,
            "completeness_html": completeness_html,
            "proofreading_html": proofreading_html,
            **waiting_html,
        },
    )


def _completeness(languages: list[str], names: dict) -> tuple[str, list]:
    """The translators' home's completeness table, rendered, and each language's
    progress over every group."""
    table = translation_completeness(languages=languages)
    html = render_to_string(
        "recommendations/translations/includes/home_completeness.html",
        {"table": table, "languages": [(code, names[code]) for code in languages]},
    )
    return html, completeness_by_language(table, languages=languages)


def _waiting(mine: list[str], names: dict, filters: dict) -> dict[str, str]:
    """The translators' home's lists of what is missing and what is stale in `mine`, and
    the iterations' files with their ready marks, rendered."""
    lists = translators_home_lists(languages=mine, shown=WAITING_SHOWN, **filters)
    marks = lists["marks"]
    iterations = [
        (iteration, [(code, names[code], marks.get((iteration.pk, code))) for code in mine])
        for iteration in lists["iterations"]
    ]
    context = {
        "missing": lists["missing"],
        "stale": lists["stale"],
        "iterations": iterations,
        "names": names,
        "shown": WAITING_SHOWN,
    }
    return {
        "missing_html": render_to_string(
            "recommendations/translations/includes/home_missing.html", context
        ),
        "stale_html": render_to_string(
            "recommendations/translations/includes/home_stale.html", context
        ),
    }


# An iteration's file is written this many recommendations at a time: one query for their
# versions and one for their drafts, whatever the set's size.
ITERATION_CHUNK = 200


def _iteration_to_translate(request: HttpRequest, slug: str, language: str) -> Iteration:
    """The iteration, for a person who translates into `language` (else 404 or 403)."""
    if language not in translation_units.translation_languages():
        raise Http404
    if not request.user.has_perm("recommendations.translate_into", language):
        raise PermissionDenied
    return get_object_or_404(Iteration, slug=slug)


def _iteration_entries(iteration: Iteration, language: str):
    """The entries of an iteration's file: each recommendation of its set, as published
    in it, in the set's order, unit by unit (translation_files.entries), a chunk of
    recommendations at a time."""
    versions = iteration_set(iteration=iteration)
    ids = iteration_set_version_ids(iteration=iteration)
    for start in range(0, len(ids), ITERATION_CHUNK):
        chunk_ids = ids[start : start + ITERATION_CHUNK]
        found = versions.in_bulk(chunk_ids)
        chunk = [found[pk] for pk in chunk_ids if pk in found]
        drafts = translation_drafts_of(
            recommendations=[version.recommendation_id for version in chunk], language=language
        )
        for version in chunk:
            recommendation = version.recommendation
            source = services.source_text(version.revision)
            status = translation_units.status(recommendation, source, language)
            yield from translation_files.entries(
                status, drafts.get(recommendation.pk, {}), recommendation=recommendation
            )


def _iteration_download(request: HttpRequest, slug: str, language: str, file_format):
    """Every recommendation of an iteration's set in one file of `file_format`, streamed:
    written a part at a time (export_parts) as its recommendations are read, a chunk at a
    time (_iteration_entries), so that neither the file nor the set is ever whole in
    memory. Who may is checked before the first byte; the labels are in the language of
    the request, which the stream keeps after the view returns."""
    iteration = _iteration_to_translate(request, slug, language)
    name = f"iteration-{iteration.slug}-{language}"
    options = {"original": name} if file_format is xliff_files else {}
    spoken = translation.get_language()

    def parts():
        with translation.override(spoken):
            yield from file_format.export_parts(
                entries=_iteration_entries(iteration, language),
                language=language,
                title=iteration.name,
                **options,
            )

    response = StreamingHttpResponse(parts(), content_type=file_format.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format.EXTENSION}"'
    return response


@login_required
@require_http_methods(["GET"])
def iteration_po_download(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    return _iteration_download(request, slug, language, po_files)


@login_required
@require_http_methods(["GET"])
def iteration_xliff_download(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    return _iteration_download(request, slug, language, xliff_files)


def _named(recommendation) -> str:
    return f"{recommendation.working_group.name} {recommendation.number}"


def _iteration_upload(request, iteration: Iteration, language: str, entries) -> dict:
    """An iteration's file back: each recommendation's entries checked by the rules of its
    own file (translation_files.checked, against its public text as it is now) and saved
    as its own file's are (_apply); a recommendation no longer in the set (or no longer
    public) is refused by name. The report, by recommendation in the file's order: plain
    data (ids and words), for the session."""
    grouped, unnamed = translation_files.by_recommendation(entries)
    given = {pk for pk, found in grouped.items() if any(entry.text.strip() for entry in found)}
    in_set = iteration_set_recommendation_ids(iteration=iteration, among=grouped)
    to_translate = recommendations_to_translate(pks=in_set)
    gone = recommendations_named(pks=[pk for pk in given if pk not in to_translate])
    all_drafts = translation_drafts_of(recommendations=list(to_translate), language=language)
    direct = request.user.has_perm("recommendations.publish_translation")
    rows, unchanged = [], 0
    refused = [
        _("“%(key)s”: no unit of this iteration's recommendations.") % {"key": entry.key}
        for entry in unnamed
        if entry.text.strip()
    ]
    for pk, found in grouped.items():
        if pk not in given:  # nothing translated in the file
            unchanged += pk in to_translate
            continue
        recommendation = to_translate.get(pk)
        if recommendation is None:
            name = _named(gone[pk]) if pk in gone else f"#{pk}"
            refused.append(
                _("%(name)s is no longer in this iteration's set: its units were not read.")
                % {"name": name}
            )
            continue
        source = services.source_text(recommendation.published_version.revision)
        status = translation_units.status(recommendation, source, language)
        drafts = all_drafts.get(pk, {})
        reading = translation_files.checked(found, status=status, drafts=drafts)
        errors = []
        if reading:
            errors = _apply(
                request, recommendation, language, source, status, drafts, reading, direct
            )
        elif not reading.refused:
            unchanged += 1
            continue
        rows.append(
            {
                "pk": recommendation.pk,
                "name": _named(recommendation),
                "title": source["title"],
                "refused": reading.refused + errors,
                "saved": [] if errors or not reading else _saved_messages(reading, direct=direct),
                "nothing_saved": bool(errors),
            }
        )
    return {"rows": rows, "refused": refused, "unchanged": unchanged}


# The report of an upload waits in the session for the page the upload redirects to. A file
# of a few thousand recommendations would make it big: it keeps this many recommendations'
# rows (and of the refusals not of one recommendation), each with at most this many
# refusals, and counts the rest.
REPORT_ROWS_KEPT = 50
REPORT_ROW_REFUSALS_KEPT = 10


def _report_session_key(iteration: Iteration, language: str) -> str:
    return f"iteration_file_report:{iteration.pk}:{language}"


def _report_kept(report: dict) -> dict:
    """The report, bounded in size (REPORT_ROWS_KEPT), what is left out counted; its words
    as plain strings (a lazy one is no JSON)."""
    rows, refused = report["rows"], report["refused"]
    return {
        "rows": [
            {
                **row,
                "saved": [str(message) for message in row["saved"]],
                "refused": [str(message) for message in row["refused"][:REPORT_ROW_REFUSALS_KEPT]],
                "refused_more": max(0, len(row["refused"]) - REPORT_ROW_REFUSALS_KEPT),
            }
            for row in rows[:REPORT_ROWS_KEPT]
        ],
        "rows_more": max(0, len(rows) - REPORT_ROWS_KEPT),
        "refused": [str(message) for message in refused[:REPORT_ROWS_KEPT]],
        "refused_more": max(0, len(refused) - REPORT_ROWS_KEPT),
        "unchanged": report["unchanged"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def iteration_files(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """A whole iteration's set in one file for one language: its downloads, and its upload
    back. A file read is saved, and answered by a redirect to this page, which shows the
    report of what changed and what was refused, by recommendation, once (kept in the
    uploader's session until then): reloading the page sends nothing again. A file that
    cannot be read changes nothing, and is answered at once with the reason (422)."""
    iteration = _iteration_to_translate(request, slug, language)
    key = _report_session_key(iteration, language)
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("translation_file")
        if upload is None:
            error = _("Choose a PO or XLIFF file to upload first.")
        else:
            try:
                entries = translation_files.parsed(
                    upload.read(translation_files.ITERATION_MAX_BYTES + 1),
                    filename=upload.name or "",
                    language=language,
                    max_bytes=translation_files.ITERATION_MAX_BYTES,
                )
            except translation_files.MalformedFile as malformed:
                error = str(malformed)
            else:
                report = _iteration_upload(request, iteration, language, entries)
                request.session[key] = _report_kept(report)
                return redirect("translations:iteration_files", slug=slug, language=language)
    else:
        report = request.session.pop(key, None)
    return render(
        request,
        "recommendations/translations/iteration_files.html",
        {
            "iteration": iteration,
            "language": language,
            "language_name": dict(settings.LANGUAGES)[language],
            "direct": request.user.has_perm("recommendations.publish_translation"),
            "report": report,
            "error": error,
            "state": iteration_language(iteration=iteration, language=language),
            "may_mark": request.user.has_perm("recommendations.mark_language_ready", language),
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["POST"])
def iteration_language_ready(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """Mark a language ready for an iteration ("mark"), or take the mark back ("unmark"),
    then back to the iteration's page for the language, with a message: why it was
    refused, when it was (nothing is saved then)."""
    iteration = _iteration_to_translate(request, slug, language)
    if not request.user.has_perm("recommendations.mark_language_ready", language):
        raise PermissionDenied
    names = {"iteration": iteration.name, "language": dict(settings.LANGUAGES)[language]}
    if request.POST.get("action") == "unmark":
        if services.translation_readiness_unmark(
            iteration=iteration, language=language, user=request.user
        ):
            messages.success(
                request, _("%(language)s is no longer marked ready for %(iteration)s.") % names
            )
        else:
            messages.info(request, _("%(language)s was not marked ready.") % names)
    else:
        try:
            services.translation_readiness_mark(
                iteration=iteration, language=language, user=request.user
            )
        except ValidationError as refused:
            messages.error(
                request,
                " ".join(
                    [
                        _("%(language)s cannot be marked ready for %(iteration)s yet.") % names,
                        *refused.messages,
                    ]
                ),
            )
        else:
            messages.success(request, _("%(language)s is marked ready for %(iteration)s.") % names)
    return redirect("translations:iteration_files", slug=slug, language=language)
