"""Suggested changes as text: where a quoted passage stands in the Markdown source, where a
new paragraph after a line goes, the text with a change applied, and a numbered rendering
with the changes shown as tracked changes (<del> and <ins>).

Quotes are found in what a reader sees (anchoring.plain_text), as review threads' are; the
change is made in the source. A passage whose words the source does not hold as they are
shown (a selection across formatting: half a link, bold and not) cannot be replaced
there, so `source_span` answers None and the suggestion is refused with a clear error.
"""

import re
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .anchoring import ORPHANED, Found, anchor, find_again, plain_text
from .lines import number_lines
from .markdown import render_markdown

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# A tag, a character reference, or one character of text (as anchoring.highlight counts).
_HTML_UNIT = re.compile(r"<(?:[^>\"]|\"[^\"]*\")*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);|[^<&]|&", re.S)
_LINE_OPEN = re.compile(r'<span class="line" id="[^"]*" data-line="(\d+)">')


def _occurrences(text: str, quote: str) -> list[int]:
    starts, position = [], text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    return starts


def source_span(source: str, plain: str, quote: str, plain_start: int) -> tuple[int, int] | None:
    """Where the quote shown at `plain_start` of `plain` (the rendered words of `source`)
    stands in `source`; None when the source does not hold those words as shown. When
    the source holds the quote as often as the rendering, the same occurrence counted
    from the start; else (an occurrence crosses formatting) the one whose rendered
    beginning comes nearest the quote's start, if near enough to be it."""
    shown = _occurrences(plain, quote)
    in_source = _occurrences(source, quote)
    if not in_source:
        return None
    if len(shown) == len(in_source):
        start = in_source[sum(1 for each in shown if each < plain_start)]
        return start, start + len(quote)
    distance, start = min(
        (abs(len(plain_text(source[:each]).rstrip()) - plain_start), each)
        for each in in_source[:50]
    )
    if distance > 2:
        return None
    return start, start + len(quote)


def _paragraph_at_line(source: str, line: int) -> tuple[int, int] | None:
    """Where in `source` the source paragraph (a run between blank lines) that holds
    numbered line `line` starts and ends; None when the text has no such line. Each
    paragraph is numbered as the whole text is (lines.py numbers block by block, so the
    numbers agree)."""
    first = 1
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(source), None]:
        end = match.start() if match else len(source)
        paragraph = source[position:end]
        if paragraph.strip():
            _, following = number_lines(render_markdown(paragraph), first=first)
            if first <= line < following:
                return position, end
            first = following
        if match is None:
            break
        position = match.end()
    return None


def paragraph_after_line(source: str, line: int) -> str | None:
    """The source paragraph that holds numbered line `line`; None when there is none."""
    span = _paragraph_at_line(source, line)
    return source[span[0] : span[1]] if span else None


def last_line_before(source: str, position: int) -> int | None:
    """The last numbered line of the source paragraphs that end at or before `position`
    of `source` (where a new paragraph inserted at `position` comes after); None before
    the first."""
    first, last = 1, None
    at = 0
    for match in [*_PARAGRAPH_BREAK.finditer(source), None]:
        end = match.start() if match else len(source)
        paragraph = source[at:end]
        if paragraph.strip():
            if end > position:
                break
            _, first = number_lines(render_markdown(paragraph), first=first)
            last = first - 1
        if match is None:
            break
        at = match.end()
    return last


def paragraph_end_after_line(source: str, line: int) -> int | None:
    """Where in `source` a new paragraph after numbered line `line` goes: the end of the
    source paragraph that holds the line; None when the text has no such line."""
    span = _paragraph_at_line(source, line)
    return span[1] if span else None


def found_again(
    *,
    target: str,
    quote: str,
    prefix: str,
    suffix: str,
    start: int | None,
    after_line: int | None,
    made_on: dict[str, str],
    text: dict[str, str],
    plain: str,
    made_on_plain: str,
) -> Found:
    """Where a suggestion made on an earlier version (its text `made_on`, rendered words
    `made_on_plain`) stands in a newer one (`text`, rendered words `plain`), by the rule
    review threads are found again by (anchoring.find_again): still anchored, moved, or
    orphaned. A title or summary is found in the new title or summary; a new paragraph by
    the paragraph it goes after."""
    if target in ("title", "summary"):
        return find_again(text[target], quote, "", "", 0)
    if target == "passage":
        return find_again(plain, quote, prefix, suffix, start)
    span = _paragraph_at_line(made_on["body"], after_line or 0)
    if span is None:
        return Found(ORPHANED)
    paragraph = anchor(made_on_plain, plain_text(made_on["body"][span[0] : span[1]]))
    if paragraph is None:
        return Found(ORPHANED)
    found = find_again(plain, paragraph.quote, paragraph.prefix, paragraph.suffix, paragraph.start)
    return Landing(found.state, found.start, len(paragraph.quote))


@dataclass(frozen=True)
class Landing(Found):
    """Where a new paragraph's paragraph was found again: `length` its rendered words."""

    length: int = 0


def line_at(numbered: str, offset: int) -> int | None:
    """The numbered line of `numbered` (lines.number_lines) holding the character at
    `offset` of its plain text (as tracked() counts them); None past its end."""
    seen = 0
    line = None
    for unit in _HTML_UNIT.findall(numbered):
        if unit.startswith("<") and len(unit) > 1:
            if found := _LINE_OPEN.match(unit):
                line = int(found.group(1))
            continue
        if seen == offset:
            return line
        seen += 1
    return None


def landing_line(numbered: str, found: Found) -> int | None:
    """The line of the newer version a carried new paragraph lands after: the last line of
    the paragraph it goes after, found again there; None when it was not found."""
    if not isinstance(found, Landing) or found.start is None or not found.length:
        return None
    return line_at(numbered, found.start + found.length - 1)


def with_change(source: str, *, start: int, end: int, words: str) -> str:
    return source[:start] + words + source[end:]


def with_paragraph(source: str, *, at: int, words: str) -> str:
    return source[:at].rstrip("\n") + "\n\n" + words.strip("\n") + "\n\n" + source[at:].lstrip("\n")


@dataclass(frozen=True)
class Change:
    """A suggested replacement of a passage of plain_text(): where it starts, how long it is,
    the words proposed, and the link and label of its entry in the list."""

    start: int
    length: int
    words: str
    href: str
    label: str
    key: int


def tracked(numbered: str, changes: list[Change]) -> tuple[SafeString, dict[int, tuple[int, int]]]:
    """`numbered` (a rendering numbered by lines.number_lines) with each change shown as a
    tracked change: the passage in <del> (in each block it crosses: never across a tag),
    the proposed words in an <ins> right after it (its title the change's label); and the
    first and last line of each change, by key. Offsets count plain_text()'s characters,
    as quotes do (the numbering adds tags only). Changes overlapping an earlier one are not
    marked in the text (the list still shows them) but their lines are counted."""
    ordered = sorted(changes, key=lambda change: (change.start, change.key))
    lines: dict[int, tuple[int, int]] = {}
    out: list[str] = []
    offset = 0
    line = 0
    current: Change | None = None
    is_open = False
    marked_until = -1

    def close_del():
        nonlocal is_open
        if is_open:
            out.append("</del>")
            is_open = False

    def finish():
        nonlocal current
        close_del()
        if current.words:
            out.append(
                # The words shown by the stylesheet (content: attr(data-words)), as line
                # numbers are: never part of the text, so selections and the offsets of
                # quotes count the version's own words only.
                format_html(
                    '<ins class="suggested" data-words="{}" data-href="{}" title="{}"></ins>',
                    current.words,
                    current.href,
                    current.label,
                )
            )
        current = None

    def note_lines(change: Change):
        first, last = lines.get(change.key, (line, line))
        lines[change.key] = (min(first, line), max(last, line))

    pending: list[Change] = []
    for unit in _HTML_UNIT.findall(numbered):
        is_tag = unit.startswith("<") and len(unit) > 1
        if current is not None and offset >= current.start + current.length:
            finish()
        if is_tag:
            close_del()
            out.append(unit)
            if found := _LINE_OPEN.match(unit):
                line = int(found.group(1))
            continue
        while ordered and ordered[0].start <= offset:
            change = ordered.pop(0)
            pending.append(change)
            if current is None and change.start >= marked_until:
                current = change
                marked_until = change.start + change.length
        pending = [change for change in pending if offset < change.start + change.length]
        for change in pending:
            note_lines(change)
        if current is not None and not is_open and not unit.isspace():
            out.append('<del class="suggested">')
            is_open = True
        out.append(unit)
        offset += 1
    if current is not None:
        finish()
    # Every piece is a tag or text of the numbered rendering, or a mark made above.
    return mark_safe("".join(out)), lines  # noqa: S308
