"""Reads for the translators' aids: the translation memory (earlier public translations of
similar source text in the same language, from any recommendation) and the glossary terms
a unit's source contains. Each answers every unit of a page in one query, however large
the memory or the glossary."""

import difflib
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Greatest

from recommendations.models import GlossaryTerm, TranslationMemory

# A match below this similarity (0 to 1) is not offered. pg_trgm's own threshold for its
# `%` operator (0.3) picks the candidates through the index; this one is the same on
# PostgreSQL and on SQLite.
MEMORY_SIMILARITY = 0.3
# Matches offered per unit, the closest first.
MEMORY_SHOWN = 3
# The rows one page reads from the memory at most (the closest first on PostgreSQL).
MEMORY_READ = 200
# Without PostgreSQL (the demo's SQLite), the newest entries of the language compared in
# Python.
MEMORY_SCANNED = 2000


@dataclass
class MemoryMatch:
    source: str
    translation: str
    similarity: float

    @property
    def percent(self) -> int:
        return round(100 * self.similarity)


def translation_memory_matches(
    *,
    language: str,
    units: list[tuple[str, str]],
    current: dict[str, str] | None = None,
    trigrams: bool | None = None,
) -> dict[str, list[MemoryMatch]]:
    """For each unit (key, source text), the closest earlier translations into `language`
    of similar source text: up to MEMORY_SHOWN, most similar first, each translation once,
    the unit's own `current` translation left out. One query. `trigrams`: PostgreSQL's
    trigram similarity (pg_trgm), by default where the database is PostgreSQL; else the
    newest MEMORY_SCANNED entries compared in Python."""
    units = [(key, text) for key, text in units if text.strip()]
    if not units:
        return {}
    current = current or {}
    entries = TranslationMemory.objects.filter(language=language)
    if trigrams is None:
        trigrams = connection.vendor == "postgresql"
    if trigrams:
        names = [f"similarity_{index}" for index in range(len(units))]
        near = Q()
        for _key, text in units:
            near |= Q(source__trigram_similar=text)
        similar = {
            name: TrigramSimilarity("source", text)
            for name, (_k, text) in zip(names, units, strict=True)
        }
        closest = Greatest(*similar.values()) if len(similar) > 1 else next(iter(similar.values()))
        rows = [
            (row["source"], row["translation"], [row[name] for name in names])
            for row in entries.filter(near)
            .annotate(**similar, closest=closest)
            .order_by("-closest", "-pk")
            .values("source", "translation", *names)[:MEMORY_READ]
        ]
    else:
        rows = [
            (
                row["source"],
                row["translation"],
                [_similarity(row["source"], text) for _key, text in units],
            )
            for row in entries.order_by("-pk").values("source", "translation")[:MEMORY_SCANNED]
        ]
    found: dict[str, list[MemoryMatch]] = {}
    for index, (key, _text) in enumerate(units):
        matches = sorted(
            (
                MemoryMatch(source, translation, scores[index])
                for source, translation, scores in rows
                if scores[index] >= MEMORY_SIMILARITY and translation != current.get(key)
            ),
            key=lambda match: -match.similarity,
        )
        seen, kept = set(), []
        for match in matches:
            if match.translation not in seen:
                seen.add(match.translation)
                kept.append(match)
        if kept:
            found[key] = kept[:MEMORY_SHOWN]
    return found


_WORD = re.compile(r"\w+")


def _similarity(one: str, other: str) -> float:
    """Without trigrams: how alike two texts are word by word (0 to 1); by characters, two
    unrelated sentences of a language already share a third."""
    matcher = difflib.SequenceMatcher(
        None, _WORD.findall(one.casefold()), _WORD.findall(other.casefold()), autojunk=False
    )
    if matcher.real_quick_ratio() < MEMORY_SIMILARITY:
        return 0.0
    return matcher.ratio()


def glossary_terms_in(
    *, language: str, units: list[tuple[str, str]]
) -> dict[str, list[GlossaryTerm]]:
    """For each unit (key, source text), the glossary terms of `language` its source
    contains as whole words, in any case, in the glossary's order. One query."""
    terms = list(GlossaryTerm.objects.filter(language=language).order_by("term"))
    if not terms:
        return {}
    patterns = [
        (term, re.compile(r"(?<!\w)" + re.escape(term.term) + r"(?!\w)", re.IGNORECASE))
        for term in terms
    ]
    found = {}
    for key, text in units:
        shown = [term for term, pattern in patterns if pattern.search(text)]
        if shown:
            found[key] = shown
    return found
