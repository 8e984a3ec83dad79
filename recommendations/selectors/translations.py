"""Reads for translations: how complete and how current each language is."""

from collections.abc import Iterable, Iterator

from recommendations.models import Version
from recommendations.services.drafting import source_text
from recommendations.text import translation_units
from recommendations.text.translation_units import Status


def translation_statuses(
    versions: Iterable[Version], *, languages: list[str] | None = None
) -> Iterator[tuple[Version, Status]]:
    """Each published version with its translation status in each language (every
    translation language unless `languages`): the one place completeness is counted."""
    languages = translation_units.translation_languages() if languages is None else languages
    for version in versions:
        source = source_text(version.revision)
        for language in languages:
            yield version, translation_units.status(version.recommendation, source, language)
