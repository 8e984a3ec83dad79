"""A recommendation's translation into one language as a gettext PO file, and back
(translation_files says what the file holds and what an upload changes).

Each unit is one entry: msgctxt is the unit's key, msgid its source text, msgstr what the
translator's page starts from, a comment names the unit as the page does, and an outdated
translation is flagged fuzzy, with the source it was made from as the previous msgid (which
tools such as Poedit show as a diff). An entry whose fuzzy flag is removed on the way back
is one its translator reviewed.
"""

from collections.abc import Iterable, Iterator

import polib
from django.utils.translation import gettext as _

from recommendations.text.translation_files import Entry, MalformedFile, Parsed, in_parts

CONTENT_TYPE = "text/x-gettext-translation; charset=utf-8"
EXTENSION = "po"


def export(*, entries: Iterable[Entry], language: str, title: str) -> bytes:
    return b"".join(export_parts(entries=entries, language=language, title=title))


def export_parts(*, entries: Iterable[Entry], language: str, title: str) -> Iterator[bytes]:
    """The file, a part at a time (its header, then translation_files.PART_ENTRIES entries
    each), `entries` read as they come: what polib writes for the whole file, which is
    its header then each entry as polib writes it, a blank line apart."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": title,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    yield str(po).encode("utf-8")
    # polib writes an entry with its file's wrap width through __unicode__ (str() would
    # wrap at 78 columns), and a file as its entries joined by a newline.
    for part in in_parts(entries):
        yield "".join("\n" + _po_entry(entry).__unicode__(po.wrapwidth) for entry in part).encode(
            "utf-8"
        )


def _po_entry(entry: Entry) -> polib.POEntry:
    return polib.POEntry(
        msgctxt=entry.key,
        msgid=entry.source,
        msgstr=entry.text,
        comment=entry.label,
        flags=["fuzzy"] if entry.outdated else [],
        previous_msgid=entry.previous_source or None,
    )


def parse(text: str) -> Parsed:
    """The entries of a PO file's text, or MalformedFile saying why it has none."""
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
    return Parsed(
        language=po.metadata.get("Language") or "",
        entries=[
            Entry(
                key=entry.msgctxt or "",
                source=entry.msgid,
                text=entry.msgstr,
                outdated=entry.fuzzy,
            )
            for entry in po
            if not entry.obsolete
        ],
    )
