"""A recommendation's translation into one language as a file for translators' own tools
(gettext PO: po_files; XLIFF 1.2: xliff_files), and back.

Each format only writes and parses; what a file holds and what an upload changes is said
here, once for both. A file has one entry per unit: its key, its source text, what the
translation page starts from (the unit's draft, else its public translation, else nothing),
the unit's label as the page shows it, and whether the translation is outdated (PO: fuzzy;
XLIFF: state="needs-review-translation"). Reading an upload back (read) compares each entry
with the units as they are now: only a changed, non-empty text counts, and one whose source
changed since the export, or whose unit is gone, is refused on its own, never the whole
file. An outdated unit that comes back with its text unchanged but no longer marked
outdated (the fuzzy flag removed, the state "translated") is one its translator reviewed:
it is confirmed, and becomes current once saved.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from django.utils.translation import gettext as _

from recommendations.text import translation_units

# Bigger than any recommendation's translation file is: a file above it is refused unread.
MAX_BYTES = 2 * 1024 * 1024


class MalformedFile(ValueError):
    """The file is no translation file this page can read; its message says why."""


@dataclass(frozen=True)
class Entry:
    """One unit as a file holds it."""

    key: str
    source: str
    text: str
    label: str = ""
    outdated: bool = False  # marked so: fuzzy, or a "needs-…" state
    previous_source: str = ""  # what an outdated translation was made from


@dataclass
class Parsed:
    """What a format's parser found in a file: the language it declares ("" if none) and
    its entries."""

    language: str
    entries: list[Entry]


@dataclass
class Reading:
    changed: dict[str, str] = field(default_factory=dict)  # by unit key, the new text
    # The keys of outdated units whose unchanged text the translator marked current.
    confirmed: set[str] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)  # one message per unit refused

    def __bool__(self) -> bool:
        return bool(self.changed or self.confirmed)


# A file is written this many entries at a time (export_parts): a streamed download's
# chunks, and what a format holds in memory at once.
PART_ENTRIES = 100


def in_parts(found: Iterable[Entry]) -> Iterator[list[Entry]]:
    """`found`, PART_ENTRIES entries at a time, read as they come."""
    found, size = iter(found), PART_ENTRIES
    while part := list(islice(found, size)):
        yield part


def starting_texts(status: translation_units.Status, drafts: dict) -> dict[str, str]:
    """By unit key, what the translation page's field starts from, and the export gives."""
    found = {}
    for unit in status.units:
        draft = drafts.get(unit.key)
        found[unit.key] = draft.text if draft else (unit.text if unit.translated else "")
    return found


def entries(status: translation_units.Status, drafts: dict, *, recommendation=None) -> list[Entry]:
    """What an export holds: one entry per unit, in the text's order. With
    `recommendation` (an iteration's file), each key and label names it too (iteration_key)."""
    texts = starting_texts(status, drafts)
    key_prefix = label_prefix = ""
    if recommendation is not None:
        key_prefix = iteration_key(recommendation.pk, "")
        label_prefix = f"{recommendation.working_group.name} {recommendation.number} — "
    return [
        Entry(
            key=key_prefix + unit.key,
            source=unit.source,
            text=texts[unit.key],
            label=label_prefix + translation_units.unit_label(unit.key, unit.source),
            outdated=unit.outdated,
            previous_source=unit.translated_from,
        )
        for unit in status.units
    ]


# An iteration's file: every recommendation of its set in one, each unit's key (msgctxt,
# the trans-unit's id) the recommendation's id and the unit's key, "12:body.3"; what comes
# back is split again (by_recommendation) and each recommendation's entries checked by the
# same rules as its own file's.
ITERATION_MAX_BYTES = 64 * 1024 * 1024


def iteration_key(pk: int, key: str) -> str:
    return f"{pk}:{key}"


def by_recommendation(found: list[Entry]) -> tuple[dict[int, list[Entry]], list[Entry]]:
    """An iteration's file's entries by recommendation pk, each with its unit's own key;
    and the entries whose key names no recommendation."""
    grouped: dict[int, list[Entry]] = {}
    unnamed = []
    for entry in found:
        pk, _sep, key = entry.key.partition(":")
        if not pk.isdigit() or not key:
            unnamed.append(entry)
            continue
        grouped.setdefault(int(pk), []).append(replace(entry, key=key))
    return grouped, unnamed


def decoded(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """An upload as text, or MalformedFile saying why it is none."""
    if len(data) > max_bytes:
        raise MalformedFile(
            _("The file is too big to be a recommendation's translation.")
            if max_bytes == MAX_BYTES
            else _("The file is too big to be an iteration's translation.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedFile(
            _("The file is not UTF-8 text: save it as UTF-8 and try again.")
        ) from None
    if not text.strip():
        raise MalformedFile(_("The file is empty."))
    return text


def is_xliff(text: str, filename: str = "") -> bool:
    """Whether an upload is XLIFF (else PO): by its name's extension, else by its content
    (XML starts with "<"; a PO file never does)."""
    name = filename.lower()
    if name.endswith((".xlf", ".xliff")):
        return True
    if name.endswith((".po", ".pot")):
        return False
    return text.lstrip().startswith("<")


def read(
    data: bytes,
    *,
    filename: str = "",
    status: translation_units.Status,
    drafts: dict,
    language: str,
) -> Reading:
    """What an uploaded PO or XLIFF file changes in the translation `status` describes.
    Raises MalformedFile when the file cannot be read, or is for another language."""
    return checked(parsed(data, filename=filename, language=language), status=status, drafts=drafts)


def parsed(
    data: bytes, *, filename: str = "", language: str, max_bytes: int = MAX_BYTES
) -> list[Entry]:
    """The entries of an uploaded PO or XLIFF file into `language`, or MalformedFile
    saying why it has none (unreadable, or for another language)."""
    from recommendations.text import po_files, xliff_files

    text = decoded(data, max_bytes=max_bytes)
    found = (xliff_files if is_xliff(text, filename) else po_files).parse(text)
    declared = found.language.strip().lower().replace("_", "-")
    if declared and declared != language:
        raise MalformedFile(
            _("The file is a translation into “%(declared)s”, not into “%(language)s”.")
            % {"declared": declared, "language": language}
        )
    return found.entries


def checked(found: list[Entry], *, status: translation_units.Status, drafts: dict) -> Reading:
    """Each entry of a file against the units as they are now: the one set of rules."""
    units = {unit.key: unit for unit in status.units}
    starting = starting_texts(status, drafts)
    reading = Reading()
    for entry in found:
        if not entry.text.strip():
            continue
        unit = units.get(entry.key)
        if unit is None:
            reading.refused.append(
                _("“%(key)s”: the recommendation has no such unit any more.")
                % {"key": entry.key or entry.source[:40]}
            )
            continue
        label = translation_units.unit_label(unit.key, unit.source)
        fingerprint = translation_units.fingerprint
        if fingerprint(entry.source) != fingerprint(unit.source):
            reading.refused.append(
                _(
                    "%(label)s: its source changed since the file was exported; "
                    "translate it again from its new source."
                )
                % {"label": label}
            )
            continue
        new = translation_units.one_paragraph(entry.text)
        problem = translation_units.markup_problem(unit.key, unit.source, new)
        if problem:
            reading.refused.append(
                _("%(label)s: %(problem)s") % {"label": label, "problem": problem}
            )
            continue
        if new != translation_units.one_paragraph(starting[unit.key]):
            reading.changed[unit.key] = new
        elif unit.outdated and not entry.outdated and new == unit.text:
            reading.confirmed.add(unit.key)
    return reading
