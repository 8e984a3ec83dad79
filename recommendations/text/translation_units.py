"""Translations, unit by unit.

A recommendation's text is cut into units: its title, its summary, and each paragraph of
its body. A translation keeps the source's paragraph structure, so units line up. For each
translated unit the recommendation keeps the fingerprint (and the text) of the source unit
it was made from: when the source unit changes, the translated unit is outdated, and the
translator sees what changed since.

A change its editor marks minor (a typo, punctuation) outdates nothing: each unit it
touches adds its new fingerprint to those its translations accept (minor_edit_carried), and
a translated unit is current while the source's fingerprint is one of them
(accepted_fingerprints): the one rule of staleness.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

_PARAGRAPHS = re.compile(r"\n\s*\n")
UNIT_SEPARATOR = "\n\n"


def one_paragraph(text: str) -> str:
    """A unit's text with no blank line inside, so that it stays one paragraph."""
    return _PARAGRAPHS.sub("\n", text.strip())


def paragraphs(body: str) -> list[str]:
    return [part.strip() for part in _PARAGRAPHS.split(body or "") if part.strip()]


def units(text: dict[str, str]) -> list[tuple[str, str]]:
    """The units of a text (title, summary, body): [(key, source text)], empty ones left
    out."""
    found = []
    if (text.get("title") or "").strip():
        found.append(("title", text["title"].strip()))
    if (text.get("summary") or "").strip():
        found.append(("summary", text["summary"].strip()))
    found += [(f"body.{index}", part) for index, part in enumerate(paragraphs(text.get("body")))]
    return found


_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^\s*>")
# How much of a heading a label quotes.
LABEL_HEADING_CHARS = 60


def unit_label(key: str, source: str) -> str:
    """A unit named by its place in the text, as a translator reads it: "Title",
    "Summary", "Heading: Funding", "List (paragraph 4)", "Paragraph 3"."""
    if key == "title":
        return _("Title")
    if key == "summary":
        return _("Summary")
    number = int(key.removeprefix("body.")) + 1
    lines = [line for line in source.splitlines() if line.strip()]
    heading = _HEADING.match(lines[0]) if len(lines) == 1 else None
    if heading:
        text = heading["text"]
        if len(text) > LABEL_HEADING_CHARS:
            text = text[: LABEL_HEADING_CHARS - 1].rstrip() + "…"
        return _("Heading: %(text)s") % {"text": text}
    if lines and all(_LIST_ITEM.match(line) or line.startswith((" ", "\t")) for line in lines):
        items = sum(1 for line in lines if _LIST_ITEM.match(line))
        return _("List of %(items)s items (paragraph %(number)s)") % {
            "items": items,
            "number": number,
        }
    if lines and all(_QUOTE.match(line) for line in lines):
        return _("Quotation (paragraph %(number)s)") % {"number": number}
    return _("Paragraph %(number)s") % {"number": number}


def fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def translated_heading(recommendation, language: str) -> dict[str, str]:
    """The title and summary of the recommendation's translation in `language`, where
    translated: what lists show, without reading the body."""
    suffix = language.replace("-", "_")
    found = {}
    for name in ("title", "summary"):
        text = (getattr(recommendation, f"{name}_{suffix}", "") or "").strip()
        if text:
            found[name] = text
    return found


def translated_units(recommendation, language: str) -> dict[str, str]:
    """The recommendation's translation in `language`, by unit key."""
    suffix = language.replace("-", "_")
    title = getattr(recommendation, f"title_{suffix}", "") or ""
    summary = getattr(recommendation, f"summary_{suffix}", "") or ""
    body = getattr(recommendation, f"body_{suffix}", "") or ""
    found = {}
    if title.strip():
        found["title"] = title.strip()
    if summary.strip():
        found["summary"] = summary.strip()
    # The translation's paragraphs line up one to one with the source's units; an empty
    # paragraph stands for a unit not translated yet (see services.translation_save).
    for index, part in enumerate(body.replace("\r\n", "\n").split(UNIT_SEPARATOR)):
        if part.strip():
            found[f"body.{index}"] = part.strip()
    return found


def made_from_sources(recommendation, language: str) -> list[tuple[str, str, str, str]]:
    """The translated units of the recommendation (or of a row of its history) in
    `language`, each with the source it was made from: [(key, source, fingerprint, text)].
    A unit whose source was never recorded is left out: what the memory can pair."""
    made_from = (recommendation.translation_sources or {}).get(language, {})
    found = []
    for key, text in translated_units(recommendation, language).items():
        origin = made_from.get(key) or {}
        if origin.get("fp") and origin.get("source"):
            found.append((key, origin["source"], origin["fp"], text))
    return found


@dataclass
class Unit:
    key: str
    source: str
    text: str  # what a reader sees: the translation, or the source where there is none
    translated: bool
    outdated: bool
    translated_from: str = ""  # the source the translation was made from, when outdated


@dataclass
class Status:
    language: str
    units: list[Unit]

    @property
    def total(self) -> int:
        return len(self.units)

    @property
    def done(self) -> int:
        return sum(unit.translated for unit in self.units)

    @property
    def outdated(self) -> int:
        return sum(unit.outdated for unit in self.units)

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)

    def unit(self, key: str) -> Unit | None:
        return next((unit for unit in self.units if unit.key == key), None)

    def body(self) -> list[Unit]:
        return [unit for unit in self.units if unit.key.startswith("body.")]


def percent(done: int, total: int) -> int:
    """How complete a translation is, in percent: with nothing to translate, complete."""
    return round(100 * done / total) if total else 100


@dataclass
class Tally:
    """Units translated out of units in all, summed over several statuses."""

    done: int = 0
    total: int = 0

    def add(self, status: Status) -> None:
        self.done += status.done
        self.total += status.total

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


def fingerprinted(source: dict[str, str]) -> list[tuple[str, str, str]]:
    """The units of `source`, each with its fingerprint: [(key, text, fingerprint)]. What
    status() compares translations with, worked out once for all the languages."""
    return [(key, text, fingerprint(text)) for key, text in units(source)]


def status(
    recommendation,
    source: dict[str, str],
    language: str,
    *,
    source_units: list[tuple[str, str, str]] | None = None,
) -> Status:
    """How complete and how current the translation of `source` into `language` is.
    `source_units`: fingerprinted(source), if the caller has it already."""
    if source_units is None:
        source_units = fingerprinted(source)
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return Status(language, [Unit(k, t, t, True, False) for k, t, _fp in source_units])
    translation = translated_units(recommendation, language)
    made_from = (recommendation.translation_sources or {}).get(language, {})
    found = []
    for key, text, print_ in source_units:
        translated = translation.get(key)
        origin = made_from.get(key) or {}
        outdated = bool(translated) and print_ not in accepted_fingerprints(origin)
        found.append(
            Unit(
                key=key,
                source=text,
                text=translated or text,
                translated=bool(translated),
                outdated=outdated,
                translated_from=origin.get("source", "") if outdated else "",
            )
        )
    return Status(language, found)


def accepted_fingerprints(origin: dict) -> set[str]:
    """The fingerprints of the source a translated unit is a translation of: the one it was
    made from, and those minor edits led to since."""
    return {origin.get("fp"), *origin.get("minor", [])} - {None}


def minor_edit_carried(sources: dict, *, before: dict[str, str], after: dict[str, str]) -> dict:
    """The recommendation's translation_sources once an edit marked minor turned the text
    `before` into `after`: each unit the edit touched, whose translation accepted its text
    before, accepts its text after too. An edit that adds or removes units is no minor one
    for the units: nothing is carried then."""
    old, new = fingerprinted(before), fingerprinted(after)
    if [key for key, _t, _f in old] != [key for key, _t, _f in new]:
        return sources
    carried = {}
    for language, made_from in (sources or {}).items():
        made_from = dict(made_from)
        for (key, _text, was), (_key, _new_text, now) in zip(old, new, strict=True):
            origin = made_from.get(key)
            if was == now or not origin or was not in accepted_fingerprints(origin):
                continue
            made_from[key] = {**origin, "minor": [*origin.get("minor", []), now]}
        carried[language] = made_from
    return carried


def translation_languages() -> list[str]:
    return [
        code
        for code, _name in settings.LANGUAGES
        if code != settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    ]
