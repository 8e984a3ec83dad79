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


# A list item of a paragraph that is a list: its mark at the start of a line ("- ", "* ",
# "3. ", "2) "), or alone on its line (an item not translated yet).
_ITEM = re.compile(r"^(?P<mark>[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(https?://[^>\s]+)>")
_MARKED_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", re.M)


def list_items(paragraph: str) -> list[tuple[str, str]] | None:
    """A paragraph that is a list, as its items: [(mark, text)], the mark ("- ", "1. ")
    kept out of the text, which keeps its further lines without the item's indentation.
    None for a paragraph that is not a list (one of its lines neither starts an item nor
    is indented under one)."""
    lines = paragraph.strip("\n").splitlines()
    if not lines or not _ITEM.match(lines[0]):
        return None
    items: list[list[str]] = []
    for line in lines:
        match = _ITEM.match(line)
        if match:
            items.append([match["mark"] + " ", line[match.end() :]])
        elif line.startswith((" ", "\t")):
            indent = len(items[-1][0])
            spaces = len(line) - len(line.lstrip(" "))
            items[-1][1] += "\n" + line[min(indent, spaces) :]
        else:
            return None
    return [(mark, text.strip()) for mark, text in items]


def list_paragraph(items: list[tuple[str, str]]) -> str:
    """The paragraph of `items` ([(mark, text)]): each text after its mark, its further
    lines indented under it; an item without text is its mark alone."""
    lines = []
    for mark, text in items:
        first, *rest = (text.strip() or "").splitlines() or [""]
        lines.append((mark + first).rstrip())
        lines += [(" " * len(mark) + line).rstrip() for line in rest]
    return "\n".join(lines)


def item_key(index: int, item: int) -> str:
    return f"body.{index}.{item}"


def units(text: dict[str, str]) -> list[tuple[str, str]]:
    """The units of a text (title, summary, body): [(key, source text)], empty ones left
    out. Each paragraph of the body is one ("body.3"), but a list: each of its items is
    one ("body.3.0", "body.3.1"), without its mark."""
    found = []
    if (text.get("title") or "").strip():
        found.append(("title", text["title"].strip()))
    if (text.get("summary") or "").strip():
        found.append(("summary", text["summary"].strip()))
    for index, part in enumerate(paragraphs(text.get("body"))):
        items = list_items(part)
        if items:
            found += [(item_key(index, item), text) for item, (_mark, text) in enumerate(items)]
        else:
            found.append((f"body.{index}", part))
    return found


def list_marks(text: dict[str, str]) -> dict[str, str]:
    """By unit key, the mark of each list item of the text's body ("- ", "2. ")."""
    return {
        item_key(index, item): mark
        for index, part in enumerate(paragraphs(text.get("body")))
        for item, (mark, _text) in enumerate(list_items(part) or [])
    }


def body_paragraphs(text: dict[str, str]) -> list[tuple[str, list[tuple[str, str]] | None]]:
    """The source's body by paragraph: [(paragraph, its items or None)]."""
    return [(part, list_items(part)) for part in paragraphs(text.get("body"))]


def markup_problem(key: str, source: str, translation: str) -> str:
    """Why the translation of a unit would break its text, or "": it must keep the
    source's links (each address as often), its bold and code marks (as many), and its
    list marks (no new item, no item lost: a unit that is no list item may not start
    one). Emphasis with one mark (*word*, _word_) is not counted: an underscore or a star
    is often no mark at all."""
    if not translation.strip():
        return ""
    links = sorted(a or b for a, b in _LINK.findall(source))
    kept = sorted(a or b for a, b in _LINK.findall(translation))
    if links != kept:
        missing = [link for link in links if link not in kept]
        if missing:
            return _("The translation drops the link to %(link)s.") % {"link": missing[0]}
        return _("The translation has a link the source does not have.")
    for mark, name in (("**", _("bold")), ("__", _("bold")), ("`", _("code"))):
        if translation.count(mark) != source.count(mark):
            return _("The translation must keep the source's %(kind)s marks (%(mark)s).") % {
                "kind": name,
                "mark": mark,
            }
    if len(_MARKED_LINE.findall(translation)) != len(_MARKED_LINE.findall(source)):
        if key.count(".") == 2:
            return _("A list item's translation must stay one item: no line may start a new one.")
        return _("The translation would start a list the source does not have.")
    return ""


_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^\s*>")
# How much of a heading a label quotes.
LABEL_HEADING_CHARS = 60


def unit_label(key: str, source: str) -> str:
    """A unit named by its place in the text, as a translator reads it: "Title",
    "Summary", "Heading: Funding", "List in paragraph 4, item 2", "Paragraph 3"."""
    if key == "title":
        return _("Title")
    if key == "summary":
        return _("Summary")
    if key.count(".") == 2:
        paragraph, item = (int(part) + 1 for part in key.removeprefix("body.").split("."))
        return _("List in paragraph %(number)s, item %(item)s") % {
            "number": paragraph,
            "item": item,
        }
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
    # A list's items line up with the source's items: an item not translated yet is its
    # mark alone.
    for index, part in enumerate(body.replace("\r\n", "\n").split(UNIT_SEPARATOR)):
        if not part.strip():
            continue
        items = list_items(part)
        if items:
            for item, (_mark, text) in enumerate(items):
                if text:
                    found[item_key(index, item)] = text
        else:
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
    mark: str = ""  # a list item's mark ("- ", "2. "), kept out of its text

    def shown(self, text: str) -> str:
        """`text` (the source's or the translation's) as the body has it: a list item
        after its mark."""
        return list_paragraph([(self.mark, text)]) if self.mark else text


def list_kind(mark: str) -> str:
    """Which list an item's mark continues: its bullet ("-", "*", "+") or, numbered, its
    delimiter ("." or ")"). As in CommonMark, another kind starts another list."""
    return mark.rstrip()[-1:]


@dataclass
class ListRun:
    """Units of a body shown together: the consecutive items of one list of the source
    (`listed`), or any other unit alone."""

    units: list[Unit]
    listed: bool

    @property
    def loose(self) -> bool:
        """Its items in more than one paragraph, blank lines between them: CommonMark then
        keeps each item's paragraphs as paragraphs."""
        return len({unit.key.rsplit(".", 1)[0] for unit in self.units}) > 1


def list_runs(units: list[Unit]) -> list[ListRun]:
    """A body's `units`, in order, grouped as its Markdown groups them: a list goes on from
    one paragraph to the next while its items are of one kind (list_kind), and ends at a
    unit that is no list item or at an item of another kind."""
    runs: list[ListRun] = []
    for unit in units:
        last = runs[-1] if runs else None
        if (
            unit.mark
            and last is not None
            and last.listed
            and list_kind(last.units[-1].mark) == list_kind(unit.mark)
        ):
            last.units.append(unit)
        else:
            runs.append(ListRun([unit], listed=bool(unit.mark)))
    return runs


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
    marks = list_marks(source) if any(key.count(".") == 2 for key, *_ in source_units) else {}
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return Status(
            language,
            [Unit(k, t, t, True, False, mark=marks.get(k, "")) for k, t, _fp in source_units],
        )
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
                mark=marks.get(key, ""),
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
