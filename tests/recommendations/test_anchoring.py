from recommendations.text.anchoring import ANCHORED, MOVED, ORPHANED, anchor, find_again, plain_text

TEXT = "We recommend a global hub for advocacy, with staff in every region. Funding follows."


def quote(text=TEXT, words="global hub for advocacy"):
    return anchor(text, words)


def test_a_quote_keeps_its_words_context_and_position():
    found = quote()
    assert found.start == TEXT.index("global")
    assert found.prefix.endswith("We recommend a ")
    assert found.suffix.startswith(", with staff")


def test_a_quote_not_in_the_text_is_refused():
    assert anchor(TEXT, "regional hub") is None
    assert anchor(TEXT, "   ") is None


def test_near_picks_the_occurrence_that_was_selected():
    text = "the hub. And again the hub."
    assert anchor(text, "the hub", near=20).start == text.rindex("the hub")


def test_same_words_in_the_same_place_are_still_anchored_even_if_shifted():
    found = quote()
    again = find_again(
        "An introduction. " + TEXT, found.quote, found.prefix, found.suffix, found.start
    )
    assert again.state == ANCHORED
    assert again.start == found.start + len("An introduction. ")


def test_same_words_elsewhere_have_moved():
    found = quote()
    new = "Funding follows. The global hub for advocacy is what we want."
    assert find_again(new, found.quote, found.prefix, found.suffix, found.start).state == MOVED


def test_slightly_changed_words_have_moved():
    found = quote()
    new = "We recommend a global hub for advocates, with staff in every region."
    assert find_again(new, found.quote, found.prefix, found.suffix, found.start).state == MOVED


def test_words_that_are_gone_are_orphaned():
    found = quote()
    new = "Funding follows, and nothing else is said here at all."
    assert find_again(new, found.quote, found.prefix, found.suffix, found.start).state == ORPHANED


def test_chinese_and_arabic_quotes():
    zh = "工作组致力于运动的九个重要主题领域之一。"
    found = anchor(zh, "九个重要主题领域")
    assert (
        find_again("二〇一八年," + zh, found.quote, found.prefix, found.suffix, found.start).state
        == ANCHORED
    )
    arz = "مجموعات الشغل بتكتب توصيات للحركه."
    found = anchor(arz, "بتكتب توصيات")
    assert (
        find_again(
            arz.replace("بتكتب", "كتبت"), found.quote, found.prefix, found.suffix, found.start
        ).state
        == MOVED
    )


def test_plain_text_is_what_a_reader_sees():
    assert plain_text("We **recommend** a [hub](https://example.org) & more.") == (
        "We recommend a hub & more.\n"
    )


def test_a_quote_must_hold_a_whole_word_and_cut_none():
    from recommendations.text.anchoring import is_whole_words

    text = "Who we are, 全民参与."
    assert not is_whole_words(text, 1, 3)  # "ho"
    assert not is_whole_words(text, 0, 2)  # "Wh"
    assert not is_whole_words(text, 10, 11)  # ","
    assert is_whole_words(text, 0, 3)  # "Who"
    assert is_whole_words(text, 4, 10)  # "we are"
    assert is_whole_words(text, 13, 14)  # "民": a Han character is a word


def test_highlight_marks_each_passage_without_crossing_a_tag():
    from recommendations.text.anchoring import Passage, highlight
    from recommendations.text.markdown import render_markdown

    source = "Who we are.\n\n- A & B grow\n- C"
    text = plain_text(source)
    start = text.index("are.")
    html = highlight(
        render_markdown(source),
        [Passage(start=start, length=len("are.\n\nA & B"), href="/t/1", label="T")],
    )
    assert '<mark class="quoted"><a href="/t/1" title="T">are.</a></mark></p>' in html
    assert (
        '<li><mark class="quoted"><a href="/t/1" title="T">A &amp; B</a></mark> grow</li>' in html
    )
    assert html.count("<mark") == 2
