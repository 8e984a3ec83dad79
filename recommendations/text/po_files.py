"""A recommendation's translation into one language as a gettext PO file, and back.

Each unit is one entry: msgctxt is the unit's key, msgid its source text, msgstr what the
translator's page starts from (the unit's draft, else its public translation, else
nothing), a comment names the unit as the page does, and an outdated translation is
flagged fuzzy. Reading a file back (read) compares each entry with the units as they are
now: only a changed, non-empty msgstr counts, and one whose source changed since the
export, or whose unit is gone, is refused on its own, never the whole file.
"""

from dataclasses import dataclass, field

import polib
from django.utils.translation import gettext as _

from recommendations.text import translation_units

# Bigger than any recommendation's PO file is: a file above it is refused unread.
MAX_BYTES = 2 * 1024 * 1024


class MalformedFile(ValueError):
    """The file is no PO file this page can read; its message says why."""


def starting_texts(status: translation_units.Status, drafts: dict) -> dict[str, str]:
    """By unit key, what the translation page's field starts from, and the export gives."""
    found = {}
    for unit in status.units:
        draft = drafts.get(unit.key)
        found[unit.key] = draft.text if draft else (unit.text if unit.translated else "")
    return found


def export(*, status: translation_units.Status, drafts: dict, language: str, title: str) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": title,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    texts = starting_texts(status, drafts)
    for unit in status.units:
        po.append(
            polib.POEntry(
                msgctxt=unit.key,
                msgid=unit.source,
                msgstr=texts[unit.key],
                comment=translation_units.unit_label(unit.key, unit.source),
                flags=["fuzzy"] if unit.outdated else [],
            )
        )
    return str(po).encode("utf-8")


@dataclass
class Reading:
    changed: dict[str, str] = field(default_factory=dict)  # by unit key, the new text
    refused: list[str] = field(default_factory=list)  # one message per unit refused


def read(data: bytes, *, status: translation_units.Status, drafts: dict, language: str) -> Reading:
    """What an uploaded PO file changes in the translation `status` describes. Raises
    MalformedFile when the file cannot be read, or is for another language."""
    if len(data) > MAX_BYTES:
        raise MalformedFile(_("The file is too big to be a recommendation's translation."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedFile(
            _("The file is not UTF-8 text: save it as UTF-8 and try again.")
        ) from None
    if not text.strip():
        raise MalformedFile(_("The file is empty."))
    try:
        # polib reads a string naming a file as that file: a trailing newline keeps an
        # upload that is a path ("/etc/passwd") the text it is.
        po = polib.pofile(text + "\n", wrapwidth=0, encoding="utf-8")
    except (OSError, ValueError) as error:
        raise MalformedFile(
            _("The file is not a readable PO file: %(reason)s") % {"reason": error}
        ) from error
    if not len(po) and not po.metadata:
        raise MalformedFile(_("The file is not a readable PO file: it has no entries."))
    declared = (po.metadata.get("Language") or "").strip().lower().replace("_", "-")
    if declared and declared != language:
        raise MalformedFile(
            _("The file is a translation into “%(declared)s”, not into “%(language)s”.")
            % {"declared": declared, "language": language}
        )
    units = {unit.key: unit for unit in status.units}
    starting = starting_texts(status, drafts)
    reading = Reading()
    for entry in po:
        if entry.obsolete or not entry.msgstr.strip():
            continue
        unit = units.get(entry.msgctxt or "")
        if unit is None:
            reading.refused.append(
                _("“%(key)s”: the recommendation has no such unit any more.")
                % {"key": entry.msgctxt or entry.msgid[:40]}
            )
            continue
        label = translation_units.unit_label(unit.key, unit.source)
        if translation_units.fingerprint(entry.msgid) != translation_units.fingerprint(unit.source):
            reading.refused.append(
                _(
                    "%(label)s: its source changed since the file was exported; "
                    "translate it again from its new source."
                )
                % {"label": label}
            )
            continue
        new = translation_units.one_paragraph(entry.msgstr)
        problem = translation_units.markup_problem(unit.key, unit.source, new)
        if problem:
            reading.refused.append(
                _("%(label)s: %(problem)s") % {"label": label, "problem": problem}
            )
            continue
        if new != translation_units.one_paragraph(starting[unit.key]):
            reading.changed[unit.key] = new
    return reading
