"""Quoted passages and how to find them again in a newer text.

A quote is kept as annotation tools keep it: the exact words, some text before and after
(prefix, suffix) and where it started. In a newer text a quote is

- anchored: the same words with the same words on at least one side of them;
- moved: the same words elsewhere, or words close enough (fuzzy match) near where they were;
- orphaned: nothing close enough is left.
"""

import html
from dataclasses import dataclass
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch
from django.utils.html import strip_tags

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
