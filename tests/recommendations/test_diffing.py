"""Three-way merges and word diffs, in Latin, Chinese and Arabic text. No database."""

import pytest

from recommendations.diffing import diff_html, merge_three_way, tokens


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


def test_changes_in_the_same_words_keep_both_between_markers():
    result = merge(
        "We recommend a hub.", "We recommend a global hub.", "We recommend a regional hub."
    )
    assert result.conflicts == 1
    assert "<<<<<<< theirs\nglobal" in result.text
    assert "=======\nregional" in result.text
    assert ">>>>>>> yours" in result.text
    assert result.text.startswith("We recommend a ")
    assert result.text.rstrip().endswith("hub.")


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
