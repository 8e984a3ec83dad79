"""A recommendation's translation into one language as an XLIFF 1.2 file (the version
OmegaT, Poedit, memoQ and Trados all read), and back, through the Translate Toolkit
(translation_files says what the file holds and what an upload changes).

Each unit is one trans-unit: its id (and resname) the unit's key, its source the source
text, its target what the translator's page starts from, a note naming the unit as the page
does; a translated unit's target is state="translated", an outdated one's
state="needs-review-translation" (not approved), with the source it was made from in a
second note. A unit that comes back "translated", "signed-off" or "final" is one its
translator reviewed; any "needs-…" state, or none, keeps it outdated.
"""

import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from lxml import etree
from translate.misc.xml_helpers import parse_xml, valid_chars_only
from translate.storage import xliff

from recommendations.text.translation_files import Entry, MalformedFile, Parsed, in_parts

CONTENT_TYPE = "application/x-xliff+xml; charset=utf-8"
EXTENSION = "xlf"
NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
REVIEWED = {"translated", "signed-off", "final"}


class Xliff12Unit(xliff.xliffunit):
    namespace = NAMESPACE


class Xliff12File(xliff.xlifffile):
    """The toolkit's XLIFF 1.x store, written as version 1.2."""

    UnitClass = Xliff12Unit

    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{NAMESPACE}'>
<file original='NoName' source-language='en' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""
    namespace = NAMESPACE


def export(*, entries: Iterable[Entry], language: str, title: str, original: str) -> bytes:
    return b"".join(
        export_parts(entries=entries, language=language, title=title, original=original)
    )


def export_parts(
    *, entries: Iterable[Entry], language: str, title: str, original: str
) -> Iterator[bytes]:
    """The file, a part at a time (what comes before its units, then
    translation_files.PART_ENTRIES units each, then what comes after), `entries` read as
    they come: the file the Translate Toolkit writes for all of them at once (an Xliff12File
    with their units, the title in the file's header), written here for speed, as the
    toolkit indents and escapes it (an iteration's file has a hundred thousand units; tests
    compare the two on tricky text). What comes before the units is sent before the first
    is read."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<xliff xmlns="{NAMESPACE}" version="1.2">\n'
        f'  <file original="{_attribute(original)}" source-language="en"'
        f' datatype="plaintext" target-language="{_attribute(language)}">\n'
        "    <header>\n"
        f"      {_element('note', title)}\n"
        "    </header>\n"
    )
    # The source an outdated translation was made from, in the second note.
    made_from = _("Translated from: %(source)s")
    yield head.encode("utf-8")
    opened = False
    for part in in_parts(entries):
        text = "".join([_unit(entry, made_from) for entry in part])
        if not opened:
            text = "    <body>" + text
            opened = True
        yield text.encode("utf-8")
    # No entries: the body is empty, an element the toolkit closes in its start tag.
    yield (
        b"\n    </body>\n  </file>\n</xliff>\n" if opened else b"    <body/>\n  </file>\n</xliff>\n"
    )


# What XML cannot hold (lxml refuses it); the toolkit leaves it out of a unit's source and
# target (xml_helpers.valid_chars_only). A note holding it is left without it here too.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\n\r\t]')


def _text(text: str) -> str:
    """Text as lxml writes it in an element."""
    if _INVALID.search(text) is not None:
        text = valid_chars_only(text)
    if _TEXT_SPECIAL.search(text) is None:
        return text
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(text: str) -> str:
    """Text as lxml writes it in an attribute's value (in double quotes)."""
    if _INVALID.search(text) is not None:
        text = valid_chars_only(text)
    if _ATTRIBUTE_SPECIAL.search(text) is None:
        return text
    for plain, escaped in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("\n", "&#10;"),
        ("\r", "&#13;"),
        ("\t", "&#9;"),
    ):
        text = text.replace(plain, escaped)
    return text


def _element(name: str, text: str, attributes: str = "") -> str:
    return f"<{name}{attributes}>{_text(text)}</{name}>"


def _unit(entry: Entry, made_from: str) -> str:
    """A trans-unit as the toolkit writes it (xlifffile.addsourceunit, then its id and
    resname, target, state and notes as _toolkit_store in the tests sets them), after the
    line break and indentation that come before it. A note is stripped, and none is
    written for empty text (xliffunit.addnote)."""
    key = _attribute(entry.key)
    lines = [f'\n      <trans-unit xml:space="preserve" id="{key}" resname="{key}"']
    if entry.text:
        lines.append(' approved="no">' if entry.outdated else ' approved="yes">')
    else:
        lines.append(">")
    lines.append(f"\n        {_element('source', entry.source)}")
    if entry.text:
        state = ' state="needs-review-translation"' if entry.outdated else ' state="translated"'
        lines.append("\n        " + _element("target", entry.text, state))
    notes = [entry.label]
    if entry.outdated and entry.previous_source:
        notes.append(made_from % {"source": entry.previous_source})
    for note in notes:
        note = note.strip()
        if note:
            lines.append("\n        " + _element("note", note, ' from="developer"'))
    lines.append("\n      </trans-unit>")
    return "".join(lines)


def _target_state(unit) -> str:
    target = unit.getlanguageNode(lang=None, index=1)
    return (target.get("state") or "") if target is not None else ""


def parse(text: str) -> Parsed:
    """The entries of an XLIFF 1.x file's text, or MalformedFile saying why it has none."""
    data = text.encode("utf-8")
    try:
        # The toolkit's safe parser: no entities resolved, nothing fetched.
        root = parse_xml(data)
    except etree.XMLSyntaxError as error:
        raise MalformedFile(
            _("The file is not a readable XLIFF file: %(reason)s") % {"reason": error}
        ) from error
    if etree.QName(root).localname != "xliff" or not root.get("version", "").startswith("1."):
        raise MalformedFile(
            _("The file is not an XLIFF 1.2 file: export XLIFF 1.2 from your tool.")
        )
    try:
        store = xliff.xlifffile.parsestring(data)
    except (etree.XMLSyntaxError, ValueError, AssertionError, StopIteration) as error:
        raise MalformedFile(
            _("The file is not a readable XLIFF file: %(reason)s")
            % {"reason": str(error) or _("it has no file element.")}
        ) from error
    units = [unit for unit in store.getunits() if unit.xmlelement.get("id") is not None]
    if not units:
        raise MalformedFile(_("The file is not a readable XLIFF file: it has no units."))
    return Parsed(
        language=store.gettargetlanguage() or "",
        entries=[
            Entry(
                key=unit.xmlelement.get("resname") or unit.xmlelement.get("id") or "",
                source=unit.source or "",
                text=unit.target or "",
                outdated=_target_state(unit) not in REVIEWED,
            )
            for unit in units
        ],
    )
