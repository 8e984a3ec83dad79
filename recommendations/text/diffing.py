"""Word-level diffs and three-way merges of prose, in any script.

Text is cut into tokens: runs of white space, single Han, Hiragana and Katakana characters
(those scripts have no spaces between words), and runs of anything else. Diffs go line by
line first and word by word inside changed lines, which keeps long texts fast to compare.

Sequences are matched with diff-match-patch (Myers' O(ND) algorithm, each token standing
for one character) under a deadline, not with difflib's SequenceMatcher, whose work grows
with the square of the text when tokens repeat ("a b a b ..." against "b a b a ...": a
minute at 40 KB). Anonymous readers choose what the public compare page diffs, so no
comparison may run for longer than DIFF_SECONDS: past it, what is left is compared
paragraph by paragraph, and the result says so.
"""

import re
import time
from dataclasses import dataclass
from functools import partial

import merge3
from diff_match_patch import diff_match_patch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")

# The most time one diff (or one three-way merge) of two texts may take. At the 200 KB
# limit an ordinary edit takes a few milliseconds; only texts that differ almost
# everywhere come near it.
DIFF_SECONDS = 0.3
# A three-way merge runs when a member saves over someone else's edit, never for an
# anonymous reader, and gives a better merge for the time: it may take longer.
MERGE_SECONDS = 2.0


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _matching_blocks(a, b, deadline: float) -> list[tuple[int, int, int]]:
    """The runs (i, j, size) where a[i:i + size] == b[j:j + size], in order, ending with
    (len(a), len(b), 0) as difflib's get_matching_blocks does. Past `deadline` the parts
    not yet compared count as different."""
    codes: dict = {}
    # Each distinct token becomes one character, so that diff-match-patch compares tokens.
    old = "".join([chr(codes.setdefault(token, len(codes))) for token in a])
    new = "".join([chr(codes.setdefault(token, len(codes))) for token in b])
    matcher = diff_match_patch()
    # No "half match" speed-up: it is not bounded by the deadline, and quadratic itself when
    # tokens repeat. The deadline passed to diff_main still bounds the search.
    matcher.Diff_Timeout = 0
    blocks, i, j = [], 0, 0
    for operation, text in matcher.diff_main(old, new, False, deadline):
        if operation == diff_match_patch.DIFF_EQUAL:
            blocks.append((i, j, len(text)))
            i, j = i + len(text), j + len(text)
        elif operation == diff_match_patch.DIFF_DELETE:
            i += len(text)
        else:
            j += len(text)
    blocks.append((len(a), len(b), 0))
    return blocks


class _BoundedMatcher:
    """The part of difflib.SequenceMatcher's interface that merge3 uses, answered by
    _matching_blocks under a deadline."""

    def __init__(self, isjunk=None, a=(), b=(), *, deadline: float):
        self.a, self.b, self.deadline = a, b, deadline

    def get_matching_blocks(self) -> list[tuple[int, int, int]]:
        return _matching_blocks(self.a, self.b, self.deadline)


def _opcodes(a, b, deadline: float) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes (equal, replace, delete, insert) from the matching blocks."""
    out, i, j = [], 0, 0
    for ai, bj, size in _matching_blocks(a, b, deadline):
        if i < ai and j < bj:
            out.append(("replace", i, ai, j, bj))
        elif i < ai:
            out.append(("delete", i, ai, j, bj))
        elif j < bj:
            out.append(("insert", i, ai, j, bj))
        if size:
            out.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return out


def _coalesced(a: list[str], b: list[str], deadline: float):
    """Opcodes in which a change, a lone space and another change read as one change:
    "<del>Drop that.</del><ins>Add more.</ins>" rather than word by word."""
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b, deadline):
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
            continue
        merged.append([tag, i1, i2, j1, j2])
    out: list[list] = []
    for index, op in enumerate(merged):
        tag, i1, i2, j1, j2 = op
        between_changes = 0 < index < len(merged) - 1
        if tag == "equal" and between_changes and "".join(a[i1:i2]).isspace():
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            out[-1][2], out[-1][4] = i2, j2
            continue
        out.append([tag, i1, i2, j1, j2])
    return out


def _words_html(old: str, new: str, deadline: float) -> list[str] | None:
    """The word diff of two runs of lines, or None if it could not finish by `deadline`."""
    a, b = tokens(old), tokens(new)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in _coalesced(a, b, deadline):
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    if time.time() > deadline:
        return None
    return out


@dataclass(frozen=True)
class Comparison:
    """Both texts in one (`html`); `by_paragraph` when some changed paragraphs are shown
    whole because comparing them word by word would have taken too long."""

    html: SafeString
    by_paragraph: bool


def compare(old: str, new: str, *, seconds: float | None = None) -> Comparison:
    """Both texts in one, deletions in <del> and insertions in <ins>, white space kept;
    done in about `seconds` (DIFF_SECONDS) at most, whatever the texts."""
    deadline = time.time() + (DIFF_SECONDS if seconds is None else seconds)
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    out: list[str] = []
    by_paragraph = False
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines, deadline):
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            out.append(escape(removed))
            continue
        words = _words_html(removed, added, deadline) if tag == "replace" else None
        if words is not None:
            out.extend(words)
            continue
        by_paragraph = by_paragraph or tag == "replace"
        if removed:
            out.append(f"<del>{escape(removed)}</del>")
        if added:
            out.append(f"<ins>{escape(added)}</ins>")
    # Every piece of text is escaped above.
    return Comparison(html=mark_safe("".join(out)), by_paragraph=by_paragraph)  # noqa: S308


def changed_words(
    old: str, new: str, *, deadline: float, limit: int = 160
) -> tuple[list[tuple[str, str]], bool]:
    """Only what changed from `old` to `new`: ("del" | "ins", text) pieces in order, at most
    `limit` characters in all, and whether some were cut. Past `deadline` a changed
    paragraph is given whole, as compare() does; the cut keeps the work small either way."""
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    pieces: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines, deadline):
        if tag == "equal":
            continue
        a, b = tokens("".join(old_lines[i1:i2])), tokens("".join(new_lines[j1:j2]))
        if tag == "replace" and time.time() <= deadline:
            for inner, k1, k2, m1, m2 in _coalesced(a, b, deadline):
                if inner != "equal":
                    pieces += [("del", "".join(a[k1:k2])), ("ins", "".join(b[m1:m2]))]
        else:
            pieces += [("del", "".join(a)), ("ins", "".join(b))]
    out, left = [], limit
    for kind, text in pieces:
        text = " ".join(text.split())
        if not text:
            continue
        if left <= 0:
            return out, True
        out.append((kind, text[:left]))
        left -= len(text)
    return out, left < 0


def diff_html(old: str, new: str) -> SafeString:
    """compare()'s html alone."""
    return compare(old, new).html


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: int


def _whole_lines(groups) -> list[tuple[str, str] | str]:
    """merge3's groups as text, each conflict (theirs, yours) widened to the whole lines it
    touches: the words before it on its line and after it up to the line's end go into both
    versions, and conflicts that share a line become one. So that a marker, which must
    start a line, never splits the line it interrupts ("- A " left above the markers)."""
    pieces: list[tuple[str, str] | str] = []
    for group in groups:
        if group[0] == "conflict":
            pieces.append(("".join(group[2]), "".join(group[3])))
        elif pieces and isinstance(pieces[-1], str):
            pieces[-1] += "".join(group[1])
        else:
            pieces.append("".join(group[1]))
    out: list[tuple[str, str] | str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        index += 1
        if isinstance(piece, str):
            out.append(piece)
            continue
        theirs, yours = piece
        if out and isinstance(out[-1], str):
            kept, _newline, start = out[-1].rpartition("\n")
            out[-1] = kept + _newline
            theirs, yours = start + theirs, start + yours
        while index < len(pieces):
            following = pieces[index]
            if not isinstance(following, str):
                theirs, yours = theirs + following[0], yours + following[1]
                index += 1
                continue
            if theirs.endswith("\n") and yours.endswith("\n"):
                break
            end, newline, rest = following.partition("\n")
            theirs, yours = theirs + end + newline, yours + end + newline
            if newline:
                pieces[index] = rest
                break
            index += 1
        out.append((theirs, yours))
    return [piece for piece in out if piece]


def merge_three_way(
    base: str,
    theirs: str,
    yours: str,
    *,
    their_label: str,
    your_label: str,
    keep_yours: bool = False,
) -> MergeResult:
    """Merge two edits of `base` word by word. Where both changed the same words, keep both
    versions of the whole lines concerned between conflict markers (each marker on a line
    of its own, no line cut), theirs first. Matching stops at MERGE_SECONDS: what is not
    matched by then counts as changed on both sides, a conflict the person resolves, never
    a silent loss.

    With `keep_yours`, a conflict keeps your lines alone, without markers (the live editor:
    its text stays as typed, and theirs stays in the history); it is counted all the same."""
    matcher = partial(_BoundedMatcher, deadline=time.time() + MERGE_SECONDS)
    groups = merge3.Merge3(
        tokens(base or ""), tokens(theirs or ""), tokens(yours or ""), sequence_matcher=matcher
    )
    out: list[str] = []
    conflicts = 0
    for piece in _whole_lines(groups.merge_groups()):
        if isinstance(piece, str):
            out.append(piece)
            continue
        conflicts += 1
        if keep_yours:
            out.append(piece[1])
            continue
        their_part, your_part = (part if part.endswith("\n") else part + "\n" for part in piece)
        out.append(f"<<<<<<< {their_label}\n{their_part}=======\n{your_part}>>>>>>> {your_label}\n")
    return MergeResult(text="".join(out), conflicts=conflicts)


# A tag of sanitised HTML (nh3 quotes every attribute value with double quotes, in which a
# ">" may stand), or a run of text.
_HTML_TOKEN = re.compile(r'<(?:[^>"]|"[^"]*")*>|[^<]+')
_VOID = {"br", "hr", "img"}


def _html_tokens(html: str) -> list[str]:
    """Tags whole, text cut into words and spaces as tokens() does."""
    out: list[str] = []
    for piece in _HTML_TOKEN.findall(html):
        out.extend([piece] if piece.startswith("<") else tokens(piece))
    return out


def _tag_name(token: str) -> str:
    return re.match(r"</?([a-z0-9]+)", token).group(1)


def _blocks(html: str) -> list[str]:
    """The top-level blocks of rendered HTML (a paragraph, a heading, a whole list), without
    the white space between them."""
    blocks, current, depth = [], [], 0
    for token in _HTML_TOKEN.findall(html):
        if depth == 0 and not token.startswith("<"):
            if token.strip():
                blocks.append(token.strip())
            continue
        current.append(token)
        if token.startswith("</"):
            depth -= 1
        elif token.startswith("<") and _tag_name(token) not in _VOID:
            depth += 1
        if depth == 0:
            blocks.append("".join(current))
            current = []
    if current:
        blocks.append("".join(current))
    return blocks


def _marked(tokens_: list[str], mark: str, *, keep_tags: bool) -> list[str]:
    """Each run of text in `tokens_` inside <mark>, so that no mark crosses a tag; tags kept
    (the new side's, which give the structure) or left out (the old side's)."""
    out: list[str] = []
    text: list[str] = []
    for token in [*tokens_, None]:
        if token is not None and not token.startswith("<"):
            text.append(token)
            continue
        if "".join(text).strip():
            out.append(f"<{mark}>{''.join(text)}</{mark}>")
        elif text:
            out.append("".join(text))
        text = []
        if token is not None and keep_tags:
            out.append(token)
    return out


def _block_words(old: str, new: str, deadline: float) -> str | None:
    """Two versions of a block word by word, in the new one's structure: deleted words in
    <del>, inserted in <ins>. None past `deadline`."""
    a, b = _html_tokens(old), _html_tokens(new)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in _coalesced(a, b, deadline):
        if tag == "equal":
            out.extend(b[j1:j2])
            continue
        out.extend(_marked(a[i1:i2], "del", keep_tags=False))
        out.extend(_marked(b[j1:j2], "ins", keep_tags=True))
    if time.time() > deadline:
        return None
    return "".join(out)


def compare_rendered(old: SafeString, new: SafeString, *, seconds: float | None = None):
    """Two renderings (sanitised HTML, see recommendations.text.markdown) in one, as a reader sees
    them: unchanged blocks as they are, a removed or added block whole in <del> or <ins>,
    and a changed block word by word. Only the given HTML's own tags and text appear, with
    <del> and <ins> around text; bounded in time as compare() is (past the deadline changed
    blocks are shown whole, and the result says so)."""
    deadline = time.time() + (DIFF_SECONDS if seconds is None else seconds)
    old_blocks, new_blocks = _blocks(old), _blocks(new)
    out: list[str] = []
    by_paragraph = False
    for tag, i1, i2, j1, j2 in _opcodes(old_blocks, new_blocks, deadline):
        if tag == "equal":
            out.extend(new_blocks[j1:j2])
            continue
        removed, added = old_blocks[i1:i2], new_blocks[j1:j2]
        # Blocks changed in place (a paragraph for a paragraph) are compared word by word.
        paired = min(len(removed), len(added)) if tag == "replace" else 0
        for before, after in zip(removed[:paired], added[:paired], strict=True):
            words = None
            if _tag_name(before) == _tag_name(after):
                words = _block_words(before, after, deadline)
            if words is None:
                by_paragraph = True
                out.extend([f"<del>{before}</del>", f"<ins>{after}</ins>"])
            else:
                out.append(words)
        out.extend(f"<del>{block}</del>" for block in removed[paired:])
        out.extend(f"<ins>{block}</ins>" for block in added[paired:])
    # Every piece is a tag or text of the sanitised renderings, or <del>/<ins>.
    return Comparison(html=mark_safe("\n".join(out)), by_paragraph=by_paragraph)  # noqa: S308
