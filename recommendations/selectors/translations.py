"""Reads for translations: how complete and how current each language is."""

from collections.abc import Iterable, Iterator

from django.shortcuts import get_object_or_404

from recommendations.models import Recommendation, Version
from recommendations.services.drafting import source_text
from recommendations.text import translation_units
from recommendations.text.translation_units import Status

from .reading import public_versions, recommendations_published


def recommendation_to_translate(*, pk: int) -> Recommendation:
    """The recommendation with its group and its published version's revision: translators
    translate what the public reads, so one without a published version (or withdrawn) has
    nothing to translate (404)."""
    return get_object_or_404(
        recommendations_published().select_related("published_version__revision", "working_group"),
        pk=pk,
    )


def translation_statuses(
    versions: Iterable[Version], *, languages: list[str] | None = None
) -> Iterator[tuple[Version, Status]]:
    """Each published version with its translation status in each language (every
    translation language unless `languages`): the one place completeness is counted."""
    languages = translation_units.translation_languages() if languages is None else languages
    for version in versions:
        source = source_text(version.revision)
        prepared = translation_units.fingerprinted(source)
        for language in languages:
            yield (
                version,
                translation_units.status(
                    version.recommendation, source, language, source_units=prepared
                ),
            )


def translator_languages(*, user) -> list[str]:
    """The languages `user` translates into: the language they chose for the site, if it is
    one to translate into, else every one. (A profile does not list the languages one
    translates yet: this is the one place to read them from when it does.)"""
    languages = translation_units.translation_languages()
    return [user.language] if user.language in languages else languages


def translations_waiting(*, languages: list[str]) -> list[tuple[Version, Status]]:
    """Each published version with its status in each of `languages` where a unit is
    missing or outdated, the longest published first. One query."""
    versions = public_versions().order_by("created_at", "pk")
    return [
        (version, status)
        for version, status in translation_statuses(versions, languages=languages)
        if status.done < status.total or status.outdated
    ]
