"""Word-level diffs and three-way merges of prose, in any script.

Text is cut into tokens: runs of white space, single Han, Hiragana and Katakana characters
(those scripts have no spaces between words), and runs of anything else. Diffs go line by
line first and word by word inside changed lines, which keeps long texts fast to compare.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import merge3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _opcodes(a: list[str], b: list[str]):
    return SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _coalesced(a: list[str], b: list[str]):
    """Opcodes in which a change, a lone space and another change read as one change:
    "<del>Drop that.</del><ins>Add more.</ins>" rather than word by word."""
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
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


def _words_html(old: str, new: str, out: list[str]) -> None:
    a, b = tokens(old), tokens(new)
    for tag, i1, i2, j1, j2 in _coalesced(a, b):
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")


def diff_html(old: str, new: str) -> SafeString:
    """Both texts in one, deletions in <del> and insertions in <ins>, white space kept."""
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in _opcodes(old_lines, new_lines):
        if tag == "equal":
            out.append(escape("".join(old_lines[i1:i2])))
        elif tag == "replace":
            _words_html("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]), out)
        elif tag == "delete":
            out.append(f"<del>{escape(''.join(old_lines[i1:i2]))}</del>")
        else:
            out.append(f"<ins>{escape(''.join(new_lines[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def has_changes(old: str, new: str) -> bool:
    return (old or "") != (new or "")


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: int


def merge_three_way(
    base: str, theirs: str, yours: str, *, their_label: str, your_label: str
) -> MergeResult:
    """Merge two edits of `base` word by word. Where both changed the same words, keep both
    versions between conflict markers (on their own lines), theirs first."""
    groups = merge3.Merge3(tokens(base or ""), tokens(theirs or ""), tokens(yours or ""))
    out: list[str] = []
    conflicts = 0
    for group in groups.merge_groups():
        kind = group[0]
        if kind == "conflict":
            conflicts += 1
            _base, their_part, your_part = group[1:]
            out.append(
                f"\n<<<<<<< {their_label}\n{''.join(their_part)}\n=======\n"
                f"{''.join(your_part)}\n>>>>>>> {your_label}\n"
            )
        else:
            out.append("".join(group[1]))
    return MergeResult(text="".join(out), conflicts=conflicts)
