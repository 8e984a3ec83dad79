"""The translators' tools (working pages, under /workspace/): how complete each language
is, and translating one recommendation into one language side by side with its source."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from recommendations import selectors, services
from recommendations.forms.translations import TranslationForm
from recommendations.predicates import may_translate
from recommendations.selectors.translations import (
    recommendation_to_translate,
    translation_statuses,
)
from recommendations.text import translation_units


@login_required
@require_http_methods(["GET", "POST"])
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """Translators edit a language side by side with the source the public reads."""
    if not may_translate(request.user):
        raise PermissionDenied
    if language not in translation_units.translation_languages():
        raise Http404
    recommendation = recommendation_to_translate(pk=pk)
    source = services.source_text(recommendation.published_version.revision)
    status = translation_units.status(recommendation, source, language)
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
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def translation_table(request: HttpRequest) -> HttpResponse:
    """How complete each language is, per working group (core team and translators)."""
    if not may_translate(request.user):
        raise PermissionDenied
    languages = translation_units.translation_languages()
    names = dict(settings.LANGUAGES)
    rows: dict = {}
    outdated: dict = {}
    for version, status in translation_statuses(selectors.public_versions(), languages=languages):
        group = version.recommendation.working_group
        row = rows.setdefault(
            group, {language: translation_units.Tally() for language in languages}
        )
        row[status.language].add(status)
        if status.outdated:
            outdated.setdefault(status.language, []).append(version.recommendation)
    table = [
        {
            "group": group,
            "cells": [
                {"language": language, "percent": tally.percent} for language, tally in row.items()
            ],
        }
        for group, row in rows.items()
    ]
    return render(
        request,
        "recommendations/translations/translation_table.html",
        {
            "table": table,
            "languages": [(code, names[code]) for code in languages],
            "outdated": outdated,
        },
    )
