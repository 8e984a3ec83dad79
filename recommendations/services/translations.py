"""Writes for translations: a translator saves the units of one language."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recommendations.models import Recommendation
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
    return recommendation
