"""Line numbers of frozen versions (recommendations/text/lines.py): cut on the server at a
fixed width, the same whatever shows them, numbered through the whole body."""

import re

from recommendations.text.anchoring import Passage, highlight, plain_text
from recommendations.text.lines import (
    WIDTH,
    columns,
    lines_of,
    number_lines,
    number_parts,
)
from recommendations.text.markdown import render_markdown


def numbered(source: str, **options) -> dict[int, str]:
    html, _next = number_lines(render_markdown(source), **options)
    return lines_of(html)


def width(text: str) -> int:
    return sum(columns(character) for character in text.rstrip())


def test_a_short_paragraph_is_one_line():
    assert numbered("We recommend a hub.") == {1: "We recommend a hub."}


def test_a_latin_paragraph_breaks_at_spaces_within_the_width():
    words = " ".join(["advocacy", "partners", "knowledge", "everyone"] * 12)
    lines = numbered(words)
    # 443 columns, 74 to a line (the four words and their spaces, twice).
    assert len(words) == 443
    assert len(lines) == 6
    for text in lines.values():
        assert width(text) <= WIDTH
    # No word is cut: every line ends at a space (but the last) and starts with a word.
    assert all(text.endswith(" ") for number, text in lines.items() if number < len(lines))
    assert "".join(lines.values()) == words


def test_a_chinese_character_takes_two_columns_and_a_line_may_break_between_any_two():
    assert columns("中") == 2
    assert columns("a") == 1
    text = "倡导自由知识" * 20  # 120 characters, 240 columns
    lines = numbered(text)
    assert [len(line) for line in lines.values()] == [40, 40, 40]
    assert "".join(lines.values()) == text


def test_chinese_punctuation_does_not_start_a_line():
    text = "知" * 40 + "。" + "识" * 5
    lines = numbered(text)
    assert not lines[2].startswith("。")
    assert "".join(lines.values()) == text


def test_arabic_breaks_at_spaces_and_its_vowel_signs_take_no_column():
    assert columns("\u064e") == 0  # fatha
    words = " ".join(["المعرفة", "الحرة", "لِلْجَمِيعِ", "الشركاء"] * 10)
    lines = numbered(words)
    assert len(lines) > 1
    assert all(width(text) <= WIDTH for text in lines.values())
    assert all(text.endswith(" ") for number, text in lines.items() if number < len(lines))
    assert "".join(lines.values()) == words


def test_a_word_longer_than_a_line_is_cut_at_the_width():
    address = "https://example.org/" + "a" * 150
    lines = numbered(f"See {address} now")
    assert lines[1] == "See "
    assert lines[2] == address[:WIDTH]
    assert "".join(lines.values()) == f"See {address} now"


def test_lists_and_headings_are_numbered_and_numbers_run_through_the_body():
    source = (
        "## Why\n\nA first paragraph.\n\n- one item\n- "
        + "a long item " * 10
        + "\n\n1. numbered\n\nLast paragraph."
    )
    lines = numbered(source)
    assert lines[1] == "Why"
    assert lines[2] == "A first paragraph."
    assert lines[3] == "one item"
    assert lines[4].startswith("a long item")
    assert "a long item" in lines[5]
    assert lines[6] == "numbered"
    assert lines[7] == "Last paragraph."
    assert sorted(lines) == list(range(1, 8))


def test_a_line_cut_inside_emphasis_keeps_the_emphasis_on_both_lines():
    html, _next = number_lines(render_markdown("*" + "word " * 30 + "end*"))
    assert html.count("<em>") == 2
    assert html.count("</em>") == 2
    assert re.search(r"</em></span><span[^>]*><a[^>]*></a><em>", html)


def test_a_hard_break_ends_a_line():
    assert numbered("first  \nsecond") == {1: "first", 2: "\nsecond"}


def test_the_numbers_are_the_same_every_time_and_only_tags_are_added():
    source = "Para one.\n\n" + "倡导" * 50 + "\n\n- " + "item " * 30
    first, _ = number_lines(render_markdown(source))
    again, _ = number_lines(render_markdown(source))
    assert first == again
    # The text a reader selects (and quotes) is the same as before numbering.
    assert re.sub(r"<[^>]+>", "", first) == re.sub(r"<[^>]+>", "", render_markdown(source))


def test_numbering_starts_where_asked_with_a_prefix_on_the_ids():
    html, following = number_lines(render_markdown("a\n\nb"), first=12, prefix="advocacy-3-")
    assert following == 14
    assert 'id="advocacy-3-L12"' in html
    assert 'href="#advocacy-3-L13"' in html


def test_a_quoted_passage_over_a_line_break_is_still_highlighted():
    source = " ".join(f"word{index}" for index in range(40))
    body = plain_text(source)
    html, _ = number_lines(render_markdown(source))
    lines = lines_of(html)
    assert len(lines) > 1
    # The last two words of line 1 and the first of line 2.
    quote = f"{lines[1].split()[-2]} {lines[1].split()[-1]} {lines[2].split()[0]}"
    start = body.index(quote)
    marked = highlight(html, [Passage(start=start, length=len(quote), href="/t/1", label="x")])
    marks = re.findall(r'<mark class="quoted"><a href="/t/1" title="x">(.*?)</a></mark>', marked)
    assert len(marks) == 2, "one mark in each line"
    assert "".join(marks).replace(" ", "") == quote.replace(" ", "")


def test_a_translated_part_is_marked_with_the_source_lines_it_stands_for():
    parts = [
        (render_markdown("Short."), None),
        (render_markdown("word " * 30), render_markdown("mot " * 40)),
        (render_markdown("After."), None),
    ]
    shown = number_parts(parts)
    assert lines_of(shown[0]) == {1: "Short."}
    assert 'id="L2" data-first="2" data-last="3"' in shown[1]
    assert 'data-line="2\u20133"' in shown[1]
    assert 'id="L3"' in shown[1]
    assert "mot mot" in shown[1]
    assert lines_of(shown[2]) == {4: "After."}


def test_each_line_of_a_code_block_is_a_line_and_its_markup_stays_whole():
    html, _next = number_lines(render_markdown("```\nfirst code\nsecond code\n```"))
    assert lines_of(html) == {1: "first code\n", 2: "second code\n"}
    assert html.count("<code>") == html.count("</code>") == 2
    assert html.endswith("</code></span></pre>\n")


def test_each_cell_of_a_table_is_a_line():
    html, _next = number_lines(render_markdown("| a | b |\n|---|---|\n| one | two |"))
    assert lines_of(html) == {1: "a", 2: "b", 3: "one", 4: "two"}


def test_an_image_alone_is_no_line_and_character_references_stay_as_they_are():
    assert numbered("![a map](http://example.org/map.png)") == {}
    html, _next = number_lines(render_markdown("a &amp; b &lt; c"))
    assert "a &amp; b &lt; c</span>" in html
