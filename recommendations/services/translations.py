"""Writes for translations: a translator saves the units of one language."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recommendations.models import Recommendation, TranslationProgress, Version
from recommendations.selectors.translations import translation_statuses
from recommendations.text import translation_units


@transaction.atomic
def translation_save(
    *,
    recommendation: Recommendation,
    user,
    language: str,
    source: dict[str, str],
    translations: dict[str, str],
) -> Recommendation:
    """Save the translation of `source` (the text the public reads) into `language`.

    `translations` maps unit keys to translated text; an empty text leaves the unit
    untranslated. Each translated unit records the fingerprint of its source unit, so that
    it shows as outdated once that source changes. A revision of its own, in the history.
    """
    if language not in translation_units.translation_languages():
        raise ValidationError(
            _("There is no such language to translate into."), code="unknown_language"
        )
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    suffix = language.replace("-", "_")
    source_units = translation_units.units(source)
    previous = (recommendation.translation_sources or {}).get(language, {})
    made_from, body = {}, []
    for key, source_text in source_units:
        text = translation_units.one_paragraph(translations.get(key) or "")
        if key.startswith("body."):
            # Keep the paragraph structure: an untranslated paragraph stays empty.
            body.append(text)
        if text:
            kept = previous.get(key)
            unchanged = text == translation_units.translated_units(recommendation, language).get(
                key
            )
            made_from[key] = (
                kept
                if (unchanged and kept)
                else {
                    "fp": translation_units.fingerprint(source_text),
                    "source": source_text,
                }
            )
    setattr(recommendation, f"title_{suffix}", (translations.get("title") or "").strip())
    setattr(recommendation, f"summary_{suffix}", (translations.get("summary") or "").strip())
    setattr(recommendation, f"body_{suffix}", translation_units.UNIT_SEPARATOR.join(body).rstrip())
    sources = dict(recommendation.translation_sources or {})
    sources[language] = made_from
    recommendation.translation_sources = sources
    recommendation._history_user = user
    recommendation._change_reason = _("Translation into %(language)s") % {"language": language}
    recommendation.full_clean()
    recommendation.save()
    translation_progress_record(recommendations=[recommendation], languages=[language])
    return recommendation


def translation_progress_record(*, recommendations, languages: list[str] | None = None) -> int:
    """Count again, and store, how much of each recommendation's published version is
    translated into each language (every translation language unless `languages`): what
    the completeness table and the translators' home read (TranslationProgress). A
    recommendation without a published version has nothing counted. Call it whenever a
    translation or the published version changes; safe to call again. Returns the rows
    written. The recommendations need their translations loaded (not deferred)."""
    languages = translation_units.translation_languages() if languages is None else languages
    by_pk = {r.pk: r for r in recommendations if r.published_version_id}
    versions = list(
        Version.objects.filter(
            pk__in=[r.published_version_id for r in by_pk.values()]
        ).select_related("revision")
    )
    for version in versions:
        # The recommendation as the caller has it: with the translation just saved.
        version.recommendation = by_pk[version.recommendation_id]
    rows = [
        TranslationProgress(
            recommendation_id=version.recommendation_id,
            version_id=version.pk,
            published_at=version.created_at,
            language=status.language,
            total=status.total,
            translated=status.done,
            stale=status.outdated,
        )
        for version, status in translation_statuses(versions, languages=languages)
    ]
    # Not a tracked model: a count kept for speed, recomputed from the texts at will.
    TranslationProgress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["recommendation", "language"],
        update_fields=["version", "published_at", "total", "translated", "stale", "updated_at"],
    )
    return len(rows)
