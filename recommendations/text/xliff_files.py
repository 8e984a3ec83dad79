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

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from lxml import etree
from translate.misc.xml_helpers import parse_xml
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
    """The file, a part at a time, `entries` read as they come. The toolkit writes a whole
    store only: each part is a store of translation_files.PART_ENTRIES units, written by
    the toolkit, of which the first part gives what comes before its units too (the XML
    declaration, the file's header), each part its units, and the last what comes after.
    Put together, the parts are the file the toolkit writes for all of them at once."""
    after = None
    for part in in_parts(entries):
        text = bytes(_store(part, language=language, title=title, original=original))
        start = text.index(b"<body>") + len(b"<body>")
        end = text.rindex(b"</trans-unit>") + len(b"</trans-unit>")
        if after is None:
            yield text[:start]
        yield text[start:end]
        after = text[end:]
    # No entries: the file without units, as the toolkit writes it.
    yield (
        bytes(_store([], language=language, title=title, original=original))
        if after is None
        else after
    )


def _store(entries: list[Entry], *, language: str, title: str, original: str) -> Xliff12File:
    store = Xliff12File(sourcelanguage="en", targetlanguage=language)
    store.switchfile(original, createifmissing=True)
    for entry in entries:
        unit = store.addsourceunit(entry.source, filename=original, createifmissing=True)
        unit.setid(entry.key)
        unit.xmlelement.set("resname", entry.key)
        if entry.text:
            unit.settarget(entry.text, lang=language)
            if entry.outdated:
                unit.set_state_n(unit.S_NEEDS_REVIEW)
        unit.addnote(entry.label, origin="developer")
        if entry.outdated and entry.previous_source:
            unit.addnote(
                _("Translated from: %(source)s") % {"source": entry.previous_source},
                origin="developer",
            )
    store.settargetlanguage(language)
    # The recommendation's title, in the file's header (which comes before its body).
    header = etree.Element(f"{{{NAMESPACE}}}header")
    etree.SubElement(header, f"{{{NAMESPACE}}}note").text = title
    store.getfilenode(original).insert(0, header)
    return store


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
