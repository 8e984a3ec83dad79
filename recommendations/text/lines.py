"""Line numbers of a frozen text: the one rule, for the screen, the print view and the PDF.

A line must not depend on the reader's screen or font, or the screen and the PDF would
number differently and a citation ("Advocacy 3, Second iteration, lines 12-14") would point
at different words in each. So, as in amendment tools that number lines, a line is cut on
the server: every run of text between two blocks of the rendered Markdown (a paragraph, a
list item, a heading, a table cell (numbered inside the cell, not in the margin), a code
block) is broken into lines of at most WIDTH
columns, at a space where there is one, between any two characters of a script written
without spaces (Chinese, Japanese: two columns each, as `unicodedata.east_asian_width`
says W or F), and inside a word only when the word alone is longer than a line. A hard
break (`<br>`, a new line in a code block) ends a line.

Numbers run through the whole body of a version, not per paragraph, so "line 12" is one
line. The title and the summary are not numbered: a citation names them ("the summary").
The numbering is a pure function of the frozen text: the same version always has the
same numbers.

Each line becomes `<span class="line" id="L12" data-line="12">` holding, first, an empty
link to itself (`<a class="line-number" href="#L12">`) whose number the stylesheet shows
(`content: attr(data-line)`), so that the number is never part of the text: a selection, a
copy and the offsets of quoted passages (anchoring.py) see the same words as before.
"""

import html
import re
import unicodedata

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Columns of a line: a Latin letter is one, a Chinese character two.
WIDTH = 80

# Where a run of text ends: a block starts or ends. Inline tags (em, a, code...) do not.
_BLOCK = re.compile(
    r"</?(?:p|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|hr)\b", re.IGNORECASE
)
_BREAK = re.compile(r"<br\b", re.IGNORECASE)
_CLOSING = re.compile(r"</(\w+)")
_OPENING = re.compile(r"<(\w+)")
_VOID = {"br", "img", "hr"}
# A tag, a character reference, or one character of text (as anchoring.highlight counts).
_UNIT = re.compile(r"<(?:[^>\"]|\"[^\"]*\")*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);|[^<&]|&", re.S)


def columns(character: str) -> int:
    """How many columns a character takes: two for wide ones (CJK), none for marks that
    sit on the character before them (Arabic vowel signs, accents), else one."""
    if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def _is_tag(token: str) -> bool:
    return token.startswith("<") and len(token) > 1


# Punctuation a line of Chinese or Japanese does not start with.
_NO_LINE_START = set("。，、；：？！）」』】〉》”’・ー…")  # noqa: RUF001 - these very marks


def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def break_points(text: str, width: int = WIDTH) -> list[int]:
    """Where `text` (one run, no hard breaks) is cut into lines: the index at which each
    line after the first starts. A space stays at the end of the line before it."""
    points: list[int] = []
    line_start, used = 0, 0
    # The last place a line may end (an index a new line could start at), and the columns
    # used up to it.
    last_opportunity, used_at_opportunity = None, 0
    for index, character in enumerate(text):
        wide = _is_wide(character)
        if (
            index > line_start
            and (wide or _is_wide(text[index - 1]))
            and not text[index - 1].isspace()
            and character not in _NO_LINE_START
        ):
            last_opportunity, used_at_opportunity = index, used
        size = columns(character)
        if character.isspace():
            used += size
            last_opportunity, used_at_opportunity = index + 1, used
            continue
        if used + size > width and used > 0:
            if last_opportunity is not None and last_opportunity > line_start:
                cut, used = last_opportunity, used - used_at_opportunity
            else:  # one word longer than a line
                cut, used = index, 0
            points.append(cut)
            line_start, last_opportunity = cut, None
        used += size
    return points


def _text_of(units: list[str]) -> str:
    """The characters of a run's text units (a character reference counts as one)."""
    return "".join("x" if unit.startswith("&") and len(unit) > 1 else unit for unit in units)


def _line_open(number: int, prefix: str) -> str:
    anchor = f"{prefix}L{number}"
    return format_html(
        '<span class="line" id="{}" data-line="{}"><a class="line-number" href="#{}" '
        'data-line="{}" aria-hidden="true" tabindex="-1"></a>',
        anchor,
        number,
        anchor,
        number,
    )


def number_lines(rendered: str, *, first: int = 1, prefix: str = "") -> tuple[SafeString, int]:
    """`rendered` (sanitised HTML from render_markdown) with its lines numbered from
    `first`, and the number the next line would have. `prefix` goes before each line's id
    (`L12`), for pages that show several versions. The text itself is unchanged: only tags
    are added, and an inline element cut by a line is closed and opened again."""
    tokens = _UNIT.findall(rendered)
    out: list[str] = []
    number = first
    run: list[str] = []  # the tokens of the current run of text
    in_pre = False

    def flush():
        nonlocal number
        if not run:
            return
        if not _text_of([t for t in run if not _is_tag(t)]).strip():
            # White space between blocks: no line here.
            out.extend(run)
            run.clear()
            return
        # Hard breaks cut the run into pieces, each broken into lines.
        pieces: list[list[str]] = [[]]
        for token in run:
            pieces[-1].append(token)
            if _BREAK.match(token) or (in_pre and token == "\n"):
                pieces.append([])
        # A piece with nothing to read (what follows the last break: closing tags, white
        # space) belongs to the line before it.
        for index in range(len(pieces) - 1, 0, -1):
            if not _text_of([t for t in pieces[index] if not _is_tag(t)]).strip():
                pieces[index - 1] += pieces.pop(index)
        open_inline: list[str] = []
        for piece in pieces:
            texts = [t for t in piece if not _is_tag(t)]
            if not "".join(texts).strip():
                # Nothing to read in it (a trailing white space, a lone break): left as is.
                _emit_plain(piece, open_inline)
                continue
            cuts = set(break_points(_text_of(texts)))
            position = 0
            out.append(_line_open(number, prefix))
            out.extend(open_inline)
            for token in piece:
                if _is_tag(token):
                    _track(token, open_inline)
                    out.append(token)
                    continue
                if position in cuts:
                    out.extend(_closing(open_inline))
                    out.append("</span>")
                    number += 1
                    out.append(_line_open(number, prefix))
                    out.extend(open_inline)
                out.append(token)
                position += 1
            out.extend(_closing(open_inline))
            out.append("</span>")
            number += 1
        # Inline elements still open at the end of the run stay open in the markup after.
        out.extend(open_inline)
        run.clear()

    def _emit_plain(piece, open_inline):
        for token in piece:
            if _is_tag(token):
                _track(token, open_inline)
            out.append(token)

    for token in tokens:
        if _is_tag(token) and _BLOCK.match(token):
            flush()
            out.append(token)
            if re.match(r"<pre\b", token, re.IGNORECASE):
                in_pre = True
            elif re.match(r"</pre\b", token, re.IGNORECASE):
                in_pre = False
            continue
        run.append(token)
    flush()
    # Only tags were added, each made above from numbers and the prefix, around the
    # sanitised rendering's own tokens.
    return mark_safe("".join(out)), number  # noqa: S308


def _track(token: str, open_inline: list[str]) -> None:
    """Keep `open_inline` the inline tags open at this point of a run."""
    closing = _CLOSING.match(token)
    if closing:
        name = closing.group(1).lower()
        for index in range(len(open_inline) - 1, -1, -1):
            if _OPENING.match(open_inline[index]).group(1).lower() == name:
                del open_inline[index]
                break
        return
    opening = _OPENING.match(token)
    if opening and opening.group(1).lower() not in _VOID and not token.endswith("/>"):
        open_inline.append(token)


def _closing(open_inline: list[str]) -> list[str]:
    return [f"</{_OPENING.match(tag).group(1)}>" for tag in reversed(open_inline)]


def number_parts(parts: list[tuple[str, str | None]], *, prefix: str = "") -> list[SafeString]:
    """The parts of a body, numbered through: each part is (its source, rendered; what is
    shown instead, rendered, or None). The numbers are always the source's, so that a
    citation means the same lines in every language: a part shown in the source has its
    lines numbered; a part shown translated is marked with the range of source lines it
    stands for (a link to the first, an anchor for each), since its own lines are not
    those of the frozen text."""
    shown: list[SafeString] = []
    number = 1
    for source_html, instead in parts:
        numbered, following = number_lines(source_html, first=number, prefix=prefix)
        if instead is None or following == number:
            shown.append(numbered if instead is None else mark_safe(instead))  # noqa: S308
        else:
            last = following - 1
            label = str(number) if last == number else f"{number}\u2013{last}"
            anchors = "".join(
                format_html('<span id="{}L{}"></span>', prefix, line)
                for line in range(number + 1, last + 1)
            )
            shown.append(
                format_html(
                    '<div class="lines-range" id="{}L{}" data-first="{}" data-last="{}">'
                    '<a class="line-number" href="#{}L{}" data-line="{}" aria-hidden="true" '
                    'tabindex="-1"></a>{}{}</div>',
                    prefix,
                    number,
                    number,
                    last,
                    prefix,
                    number,
                    label,
                    mark_safe(anchors),  # noqa: S308 - made just above from numbers
                    mark_safe(instead),  # noqa: S308 - a sanitised rendering
                )
            )
        number = following
    return shown


def lines_of(rendered_html: str) -> dict[int, str]:
    """The text of each numbered line of some numbered HTML, by number (for tests and for
    checking that two renderings agree)."""
    found: dict[int, str] = {}
    for match in re.finditer(
        r'<span class="line" id="[^"]*" data-line="(\d+)">(.*?)</span>', rendered_html, re.S
    ):
        found[int(match.group(1))] = html.unescape(re.sub(r"<[^>]+>", "", match.group(2)))
    return found
