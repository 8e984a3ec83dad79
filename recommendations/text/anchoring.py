"""Quoted passages and how to find them again in a newer text.

A quote is kept as annotation tools keep it: the exact words, some text before and after
(prefix, suffix) and where it started. In a newer text a quote is

- anchored: the same words with the same words on at least one side of them;
- moved: the same words elsewhere, or words close enough (fuzzy match) near where they were;
- orphaned: nothing close enough is left.
"""

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .markdown import render_markdown

CONTEXT = 32
# How alike a changed passage must stay to count as moved rather than orphaned.
SIMILAR_ENOUGH = 0.7

ANCHORED, MOVED, ORPHANED = "anchored", "moved", "orphaned"


def plain_text(markdown_source: str) -> str:
    """The words a reader sees (and selects) in the rendered text."""
    return html.unescape(strip_tags(render_markdown(markdown_source)))


def _normalise(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str
    start: int


@dataclass(frozen=True)
class Found:
    state: str
    start: int | None = None


def anchor(text: str, quote: str, *, near: int | None = None) -> Anchor | None:
    """Where `quote` stands in `text` (the occurrence nearest `near`), or None."""
    quote = quote.strip()
    if not quote:
        return None
    starts, position = [], text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(s - near)) if near is not None else starts[0]
    return Anchor(
        quote=quote,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[start + len(quote) : start + len(quote) + CONTEXT],
        start=start,
    )


def find_again(text: str, quote: str, prefix: str, suffix: str, start: int | None) -> Found:
    """Find a quote made on an earlier text in `text`."""
    if not quote:
        return Found(ANCHORED)
    starts, position = [], text.find(quote)
    while position != -1:
        starts.append(position)
        position = text.find(quote, position + 1)
    for candidate in starts:
        before = text[max(0, candidate - CONTEXT) : candidate]
        after = text[candidate + len(quote) : candidate + len(quote) + CONTEXT]
        if _side_matches(prefix, before, at_end=True) or _side_matches(suffix, after, at_end=False):
            return Found(ANCHORED, candidate)
    if starts:
        return Found(MOVED, min(starts, key=lambda s: abs(s - (start or 0))))
    return _fuzzy(text, quote, start or 0)


# How much of the context next to a quote must be the same for it to count as in place.
SIDE = 16


def _side_matches(expected: str, actual: str, *, at_end: bool) -> bool:
    """Whether the words right next to the quote (before it when `at_end`, else after it)
    are still those it had. A quote at the very start or end of the text keeps that edge."""
    expected, actual = _normalise(expected), _normalise(actual)
    if not expected:
        return not actual
    size = min(len(expected), SIDE)
    if at_end:
        return expected[-size:] == actual[-size:]
    return expected[:size] == actual[:size]


def _fuzzy(text: str, quote: str, start: int) -> Found:
    matcher = diff_match_patch()
    matcher.Match_Threshold = 0.4
    matcher.Match_Distance = max(1000, len(text))
    head = quote[: matcher.Match_MaxBits]
    location = matcher.match_main(text, head, min(start, len(text)))
    if location == -1:
        return Found(ORPHANED)
    candidate = text[location : location + len(quote) + len(quote) // 4]
    ratio = SequenceMatcher(None, quote, candidate[: len(quote)]).ratio()
    if ratio >= SIMILAR_ENOUGH:
        return Found(MOVED, location)
    return Found(ORPHANED)


# A letter or digit of a script written with spaces between words: a quote that starts or
# ends next to one has cut a word. (Han, kana and the like are words one character each.)
_SPACED_WORD = re.compile(r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_whole_words(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds at least one word and cuts none at either end: the
    least a quote must be (an accidental drag selected "ho" of "who")."""
    passage = text[start:end]
    if not re.search(r"\w", passage):
        return False
    cuts_start = (
        start > 0 and _SPACED_WORD.match(text[start - 1]) and _SPACED_WORD.match(passage[0])
    )
    cuts_end = end < len(text) and _SPACED_WORD.match(passage[-1]) and _SPACED_WORD.match(text[end])
    return not (cuts_start or cuts_end)


@dataclass(frozen=True)
class Passage:
    """A commented passage of a text: where it starts in plain_text(), how long it is, and
    the thread to link it to."""

    start: int
    length: int
    href: str
    label: str


# A tag, a character reference, or one character of text.
_HTML_UNIT = re.compile(r"<(?:[^>\"]|\"[^\"]*\")*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);|[^<&]|&", re.S)


def highlight(rendered: str, passages: list[Passage]) -> SafeString:
    """`rendered` (sanitised HTML from render_markdown) with each passage in a <mark> that
    links to its thread. Offsets count the characters of plain_text(), as quotes do; a mark
    never crosses a tag (a passage over two paragraphs is marked in each). Overlapping
    passages: the one that starts first is marked there."""
    if not passages:
        return mark_safe(rendered)  # noqa: S308 - the sanitised rendering, unchanged
    ordered = sorted(passages, key=lambda passage: passage.start)
    out: list[str] = []
    offset = 0
    current: Passage | None = None
    is_open = False

    def close():
        nonlocal is_open
        if is_open:
            out.append("</a></mark>")
            is_open = False

    for unit in _HTML_UNIT.findall(rendered):
        if unit.startswith("<") and len(unit) > 1:
            close()
            out.append(unit)
            continue
        if current is not None and offset >= current.start + current.length:
            close()
            current = None
        while current is None and ordered and ordered[0].start <= offset:
            candidate = ordered.pop(0)
            if offset < candidate.start + candidate.length:
                current = candidate
        # No mark opens on white space: between blocks (</p>\n<ul>) it would stand where
        # no text may.
        if current is not None and not is_open and not unit.isspace():
            out.append(
                format_html(
                    '<mark class="quoted"><a href="{}" title="{}">', current.href, current.label
                )
            )
            is_open = True
        out.append(unit)
        offset += 1
    close()
    # Every piece is a tag or text of the sanitised rendering, or a mark made above.
    return mark_safe("".join(out))  # noqa: S308
