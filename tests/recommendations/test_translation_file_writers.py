"""The PO and XLIFF files are written by hand, for speed (an iteration's file has a hundred
thousand units): each is byte for byte the file polib and the Translate Toolkit write for
the same entries, whatever the text holds."""

from dataclasses import replace

import polib
import pytest
from django.utils.translation import gettext as _
from lxml import etree
from translate.misc.xml_helpers import valid_chars_only

from recommendations.text import po_files, xliff_files
from recommendations.text.translation_files import PART_ENTRIES, Entry

TRICKY = [
    "",
    " ",
    "He said \"no\" 'twice'",
    "back\\slash \\n not a newline \\",
    "two\nlines",
    "ends with a newline\n",
    "\nstarts with one",
    "carriage\r\nreturn\rand\ttab",
    "vertical\vtab, form\ffeed, back\bspace",
    "<b>bold</b> & <script>alert('x')</script> &amp; ]]> </trans-unit>",
    "non-BMP: 😀 \U0001d518 𠜎 🇪🇬",
    "RTL: مرحبا بالعالم \u200f(אבג)\u200e",
    'msgid_plural "%(count)s items" %d %s {0} msgstr[0]',
    '#. not a comment\n#, fuzzy\nmsgid "x"',
    "line\u2028separator and next\x85line",
    "  padded  ",
    "a very long line " * 20,
]


def _entries() -> list[Entry]:
    found = []
    for index, text in enumerate(TRICKY):
        other = TRICKY[(index + 3) % len(TRICKY)]
        found += [
            Entry(key=f"{index}:title", source=text or "x", text="", label=""),
            Entry(key=f"{index}:body.0", source=text or "x", text=other, label=text),
            Entry(
                key=f"{index}:body.1",
                source=other or "y",
                text=text,
                label=f"Group {index} — {text}",
                outdated=True,
                previous_source=text,
            ),
            Entry(key=f"{index}:summary", source="s", text=text, outdated=True, label="L"),
        ]
    return found


def _polib_file(entries, *, language, title) -> bytes:
    """What polib writes, as po_files wrote it before it wrote entries by hand."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": title,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for entry in entries:
        po.append(
            polib.POEntry(
                msgctxt=entry.key,
                msgid=entry.source,
                msgstr=entry.text,
                comment=entry.label,
                flags=["fuzzy"] if entry.outdated else [],
                previous_msgid=entry.previous_source or None,
            )
        )
    return str(po).encode("utf-8")


def _toolkit_file(entries, *, language, title, original) -> bytes:
    """What the Translate Toolkit writes, as xliff_files wrote it before it wrote units by
    hand: one store of all the units."""
    store = xliff_files.Xliff12File(sourcelanguage="en", targetlanguage=language)
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
    header = etree.Element(f"{{{xliff_files.NAMESPACE}}}header")
    etree.SubElement(header, f"{{{xliff_files.NAMESPACE}}}note").text = title
    store.getfilenode(original).insert(0, header)
    return bytes(store)


@pytest.mark.parametrize("count", [0, 1, None, PART_ENTRIES + 1])
@pytest.mark.parametrize("language", ["de", "arz", "zh-hans"])
def test_po_file_is_what_polib_writes(count, language):
    """Quotes, backslashes, newlines, tabs, markup, non-BMP and right-to-left text, empty
    strings and text that looks like PO syntax or plurals: the same bytes as polib's, for
    no entry, one, and more than one part of them."""
    entries = (_entries() * 3)[:count] if count is not None else _entries()
    for title in ["Third iteration, 2020", 'A "quoted" title\\ with\nlines — 😀']:
        written = po_files.export(entries=entries, language=language, title=title)
        assert written == _polib_file(entries, language=language, title=title)


@pytest.mark.parametrize("count", [0, 1, None, PART_ENTRIES + 1])
@pytest.mark.parametrize("language", ["de", "arz", "zh-hans"])
def test_xliff_file_is_what_the_toolkit_writes(count, language):
    """The same tricky text: the same bytes as the toolkit's XLIFF, for no entry, one, and
    more than one part of them. (The toolkit fails on a note XML cannot hold: those are
    left out here, and written without it: test_xliff_leaves_out_what_xml_cannot_hold.)"""
    entries = [
        replace(
            entry,
            label=valid_chars_only(entry.label),
            previous_source=valid_chars_only(entry.previous_source),
        )
        for entry in ((_entries() * 3)[:count] if count is not None else _entries())
    ]
    for title, original in [
        ("Third iteration, 2020", "iteration-third-2020-de"),
        ('A "quoted" <title> & 😀', "recommendation-12-de"),
    ]:
        written = xliff_files.export(
            entries=entries, language=language, title=title, original=original
        )
        expected = _toolkit_file(entries, language=language, title=title, original=original)
        assert written == expected


def test_xliff_leaves_out_what_xml_cannot_hold():
    """A control character XML cannot hold is left out of a unit's source and target, as
    the toolkit leaves it out; from a note too (where the toolkit would fail)."""
    entries = [Entry(key="1:title", source="a\x00b\x1fc", text="d\x0be", label="Title")]
    written = xliff_files.export(entries=entries, language="de", title="T", original="o")
    expected = _toolkit_file(entries, language="de", title="T", original="o")
    assert written == expected
    noted = [replace(entries[0], label="Ti\x0ctle")]
    written = xliff_files.export(entries=noted, language="de", title="T\x08", original="o")
    assert written == expected
