"""A recommendation's translation into one language as a gettext PO file, and back
(translation_files says what the file holds and what an upload changes).

Each unit is one entry: msgctxt is the unit's key, msgid its source text, msgstr what the
translator's page starts from, a comment names the unit as the page does, and an outdated
translation is flagged fuzzy, with the source it was made from as the previous msgid (which
tools such as Poedit show as a diff). An entry whose fuzzy flag is removed on the way back
is one its translator reviewed.
"""

import re
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
    each), `entries` read as they come: what polib writes for the whole file (with no
    wrapping), which is its header then each entry, a blank line apart. The header is
    polib's; the entries are written here (_entry), as polib writes them, for speed: an
    iteration's file has a hundred thousand (tests compare the two on tricky text)."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": title,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    yield str(po).encode("utf-8")
    for part in in_parts(entries):
        yield "".join([_entry(entry) for entry in part]).encode("utf-8")


# What polib escapes in a quoted string (polib.escape), in its order: the backslash first.
_ESCAPES = (
    ("\\", "\\\\"),
    ("\t", "\\t"),
    ("\r", "\\r"),
    ("\n", "\\n"),
    ("\v", "\\v"),
    ("\b", "\\b"),
    ("\f", "\\f"),
    ('"', '\\"'),
)
_NEEDS_ESCAPING = re.compile(r'[\\\t\r\n\v\b\f"]')


def _escaped(text: str) -> str:
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    for plain, escaped in _ESCAPES:
        text = text.replace(plain, escaped)
    return text


def _field(prefix: str, name: str, text: str) -> str:
    """A field's lines as polib writes them with no wrapping (POEntry._str_field): one
    quoted string, or, for text of several lines (str.splitlines, as polib splits), an
    empty string then a line each."""
    lines = text.splitlines(True)
    if len(lines) > 1:
        return f'{prefix}{name} ""\n' + "".join([f'{prefix}"{_escaped(line)}"\n' for line in lines])
    return f'{prefix}{name} "{_escaped(text)}"\n'


def _entry(entry: Entry) -> str:
    """An entry as polib writes it (POEntry.__unicode__ with no wrapping) after the blank
    line that parts it from the one before: its extracted comment (a line each), the
    fuzzy flag, the previous msgid, then msgctxt, msgid and msgstr."""
    text = "\n"
    if entry.label:
        text += "".join([f"#. {line}\n" for line in entry.label.split("\n")])
    if entry.outdated:
        text += "#, fuzzy\n"
    if entry.previous_source:
        text += _field("#| ", "msgid", entry.previous_source)
    return (
        text
        + _field("", "msgctxt", entry.key)
        + _field("", "msgid", entry.source)
        + _field("", "msgstr", entry.text)
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
