"""Three-way merges and word diffs, in Latin, Chinese and Arabic text, and how long they may
take whatever the input. No database."""

import random
import re
import time

import pytest

from recommendations.text.diffing import (
    DIFF_SECONDS,
    MERGE_SECONDS,
    compare,
    diff_html,
    merge_three_way,
    tokens,
)


def merge(base, theirs, yours):
    return merge_three_way(base, theirs, yours, their_label="theirs", your_label="yours")


def test_changes_in_different_places_both_survive():
    base = "The quick brown fox jumps over the lazy dog.\n\nSecond paragraph stays."
    theirs = "The quick red fox jumps over the lazy dog.\n\nSecond paragraph stays."
    yours = "The quick brown fox jumps over the lazy dog.\n\nSecond paragraph stays, longer."
    result = merge(base, theirs, yours)
    assert result.conflicts == 0
    assert (
        result.text
        == "The quick red fox jumps over the lazy dog.\n\nSecond paragraph stays, longer."
    )


def test_changes_in_the_same_words_keep_both_lines_between_markers():
    result = merge(
        "We recommend a hub.", "We recommend a global hub.", "We recommend a regional hub."
    )
    assert result.conflicts == 1
    assert result.text == (
        "<<<<<<< theirs\nWe recommend a global hub.\n=======\n"
        "We recommend a regional hub.\n>>>>>>> yours\n"
    )


def test_conflict_markers_never_split_the_line_they_interrupt():
    """The probe: "- A \n<<<<<<< their version ...": the list line was cut before the
    markers, its start left above them as a line of its own."""
    base = "Intro.\n\n- A first\n- B\n\nEnd."
    theirs = "Intro.\n\n- A early, then first\n- B\n\nEnd."
    yours = "Intro.\n\n- A later first\n- B\n\nEnd."
    result = merge(base, theirs, yours)
    assert result.conflicts == 1
    assert result.text == (
        "Intro.\n\n<<<<<<< theirs\n- A early, then first\n=======\n- A later first\n"
        ">>>>>>> yours\n- B\n\nEnd."
    )
    lines = result.text.splitlines()
    assert all(line.rstrip() != "- A" for line in lines)


def test_two_conflicts_on_one_line_are_one_block_of_that_line():
    result = merge("one two three four\nrest\n", "1 two 3 four\nrest\n", "I two III four\nrest\n")
    assert result.conflicts == 1
    assert result.text == (
        "<<<<<<< theirs\n1 two 3 four\n=======\nI two III four\n>>>>>>> yours\nrest\n"
    )


def test_same_change_on_both_sides_is_no_conflict():
    result = merge("one two three", "one 2 three", "one 2 three")
    assert (result.text, result.conflicts) == ("one 2 three", 0)


def test_deletion_on_one_side_and_edit_elsewhere():
    base = "Keep this. Delete this sentence. Edit this."
    theirs = "Keep this. Edit this."
    yours = "Keep this. Delete this sentence. Edit this, carefully."
    result = merge(base, theirs, yours)
    assert result.conflicts == 0
    assert result.text == "Keep this. Edit this, carefully."


def test_deleting_what_the_other_edited_is_a_conflict():
    result = merge("A. B. C.", "A. C.", "A. B changed. C.")
    assert result.conflicts == 1
    assert "B changed." in result.text


def test_chinese_merges_character_by_character():
    base = "工作组致力于运动的主题领域。"
    theirs = "九个工作组致力于运动的主题领域。"
    yours = "工作组致力于运动的重要主题领域。"
    result = merge(base, theirs, yours)
    assert result.conflicts == 0
    assert result.text == "九个工作组致力于运动的重要主题领域。"


def test_egyptian_arabic_merges_word_by_word():
    base = "مجموعات الشغل بتكتب توصيات للحركه."
    theirs = "تسع مجموعات الشغل بتكتب توصيات للحركه."
    yours = "مجموعات الشغل بتكتب توصيات جديده للحركه."
    result = merge(base, theirs, yours)
    assert result.conflicts == 0
    assert result.text == "تسع مجموعات الشغل بتكتب توصيات جديده للحركه."


def test_tokens_split_han_characters_and_keep_everything():
    text = "Hello 世界, مرحبا  world"
    assert "".join(tokens(text)) == text
    assert "世" in tokens(text)
    assert "مرحبا" in tokens(text)


def test_word_diff_marks_insertions_and_deletions_and_escapes():
    html = diff_html("a <b>bold</b> claim\nsame line\n", "a <i>bold</i> claim\nsame line\n")
    assert "<del>&lt;b&gt;bold&lt;/b&gt;</del>" in html
    assert "<ins>&lt;i&gt;bold&lt;/i&gt;</ins>" in html
    assert "same line" in html
    assert "<b>" not in html


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("", "new text", "<ins>new text</ins>"),
        ("old text", "", "<del>old text</del>"),
        ("一二三", "一二四", "<del>三</del><ins>四</ins>"),
    ],
)
def test_word_diff_edges(old, new, fragment):
    assert fragment in diff_html(old, new)


# Bounded work: anonymous readers choose what the public compare page diffs.


def _sides(html: str) -> tuple[str, str]:
    """The old and the new text back out of a diff's HTML."""
    from html import unescape

    old = re.sub(r"<ins>.*?</ins>", "", html, flags=re.S)
    new = re.sub(r"<del>.*?</del>", "", html, flags=re.S)
    strip = re.compile(r"</?(?:del|ins)>")
    return unescape(strip.sub("", old)), unescape(strip.sub("", new))


def test_repeated_words_swapped_diff_in_linear_time_word_by_word():
    """ "a b a b ..." against "b a b a ..." at 40 KB took a minute with difflib; now it is
    a word-level diff (one word moved) in well under a second."""
    size = 40 * 1024
    old, new = "a b " * (size // 4), "b a " * (size // 4)
    start = time.perf_counter()
    result = compare(old, new)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.5
    assert not result.by_paragraph
    assert result.html.startswith("<del>a </del>b a")
    assert result.html.endswith("<ins>a </ins>")
    assert _sides(result.html) == (old, new)


def test_texts_that_differ_everywhere_fall_back_to_paragraphs_in_bounded_time():
    """Two unrelated 200 KB texts (a Myers diff of them is quadratic): the deadline stops
    the word diff, the result is the paragraphs removed and added, and says so."""
    rng = random.Random(21)
    vocabulary = [f"word{index}" for index in range(300)]

    def text():
        return "\n\n".join(" ".join(rng.choice(vocabulary) for _ in range(150)) for _ in range(150))

    old, new = text(), text()
    start = time.perf_counter()
    result = compare(old, new)
    elapsed = time.perf_counter() - start
    assert elapsed < DIFF_SECONDS + 1.5
    assert result.by_paragraph
    assert _sides(result.html) == (old, new)


def test_no_time_left_shows_changed_paragraphs_whole():
    result = compare("Same.\nOld words here.\n", "Same.\nNew words here.\n", seconds=0)
    assert result.by_paragraph
    assert result.html == "Same.\n<del>Old words here.\n</del><ins>New words here.\n</ins>"


def test_ordinary_edits_stay_word_level_and_exact():
    """Random edits to a long text: a word diff (never by paragraph) from which both texts
    come back exactly."""
    rng = random.Random(2019)
    words = ["movement", "community", "equity", "partners", "the", "of", "a", "并", "的"]
    base = "\n\n".join(" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(120))
    for _ in range(20):
        edited = base.split(" ")
        for _ in range(rng.randint(1, 30)):
            position = rng.randrange(len(edited))
            edited[position : position + rng.randint(0, 2)] = rng.sample(words, 2)
        new = " ".join(edited)
        result = compare(base, new)
        assert not result.by_paragraph
        assert _sides(result.html) == (base, new)


def test_merge_of_repeated_words_is_fast_and_keeps_both_edits():
    size = 200 * 1024
    base = "a b " * (size // 4)
    theirs = "c " + base
    yours = base + "d "
    start = time.perf_counter()
    result = merge(base, theirs, yours)
    assert time.perf_counter() - start < 1.5
    assert (result.text, result.conflicts) == ("c " + base + "d ", 0)


def test_merge_of_unrelated_texts_is_bounded_and_loses_nothing():
    rng = random.Random(3)
    vocabulary = [f"w{index}" for index in range(200)]
    base, theirs, yours = (" ".join(rng.choice(vocabulary) for _ in range(30000)) for _ in range(3))
    start = time.perf_counter()
    result = merge(base, theirs, yours)
    assert time.perf_counter() - start < MERGE_SECONDS + 1.5
    assert result.conflicts >= 1
    assert theirs in result.text
    assert yours in result.text


def _rendered(old: str, new: str, **kwargs):
    from recommendations.text.diffing import compare_rendered
    from recommendations.text.markdown import render_markdown

    return compare_rendered(render_markdown(old), render_markdown(new), **kwargs)


def test_a_rendered_comparison_shows_the_text_not_its_markdown():
    """Headings, emphasis and lists as a reader sees them, the changed words marked inside
    them, a new paragraph added whole."""
    result = _rendered(
        "## Aim\n\nWe recommend a **global** hub.\n\n- one\n- two\n",
        "## Aim\n\nWe recommend a **regional** hub.\n\n- one\n- three\n\nEach region hires.\n",
    )
    assert "##" not in result.html
    assert "**" not in result.html
    assert result.html == (
        "<h2>Aim</h2>\n"
        "<p>We recommend a <strong><del>global</del><ins>regional</ins></strong> hub.</p>\n"
        "<ul>\n<li>one</li>\n<li><del>two</del><ins>three</ins></li>\n</ul>\n"
        "<ins><p>Each region hires.</p></ins>"
    )
    assert not result.by_paragraph


def test_a_rendered_comparison_is_sanitised():
    """Raw HTML in either text stays text; the only tags added are <del> and <ins>, and
    none of them cuts a tag or an attribute (a title with ">" in it)."""
    result = _rendered(
        '<script>alert(1)</script> [x](http://a.example "a>b") old',
        '<script>alert(2)</script> [x](http://a.example "a>b") new <img src=x onerror=y>',
    )
    assert "<script" not in result.html
    assert "<img" not in result.html
    assert 'title="a&gt;b"' in result.html
    tags = set(re.findall(r"</?([a-z0-9]+)", result.html))
    assert tags <= {"p", "a", "del", "ins"}


def test_a_rendered_comparison_of_texts_that_differ_everywhere_is_bounded():
    rng = random.Random(22)
    vocabulary = [f"word{index}" for index in range(300)]

    def text():
        return "\n\n".join(
            "- " + " ".join(rng.choice(vocabulary) for _ in range(150)) for _ in range(150)
        )

    start = time.perf_counter()
    result = _rendered(text(), text())
    assert time.perf_counter() - start < DIFF_SECONDS + 1.5
    assert result.by_paragraph


def test_no_time_left_shows_changed_blocks_whole():
    result = _rendered("Same.\n\nOld words.\n", "Same.\n\nNew words.\n", seconds=0)
    assert result.by_paragraph
    assert result.html == "<p>Same.</p>\n<del><p>Old words.</p></del>\n<ins><p>New words.</p></ins>"
