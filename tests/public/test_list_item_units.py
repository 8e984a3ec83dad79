"""Each item of a list is a translation unit of its own: its mark ("- ", "2. ") kept out of
the text to translate and put back in the translation, labelled by its place ("List in
paragraph 2, item 3"); a translation that breaks the item or drops a link is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from recommendations import services
from recommendations.models import TranslationDraft
from recommendations.text import lines, translation_units
from recommendations.text.markdown import render_markdown
from tests.factories import UserFactory
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.django_db

BODY = (
    "We recommend a hub.\n\n"
    "- Hire one person per region.\n"
    "- Publish the [minutes](https://example.org/minutes)\n"
    "  of every meeting.\n"
    "- Report yearly.\n\n"
    "1. **First** step.\n"
    "2. Second step.\n"
)


def test_a_list_s_items_are_units_without_their_marks():
    found = translation_units.units({"title": "Hub", "body": BODY})
    assert found == [
        ("title", "Hub"),
        ("body.0", "We recommend a hub."),
        ("body.1.0", "Hire one person per region."),
        ("body.1.1", "Publish the [minutes](https://example.org/minutes)\nof every meeting."),
        ("body.1.2", "Report yearly."),
        ("body.2.0", "**First** step."),
        ("body.2.1", "Second step."),
    ]
    # Not a list: a line neither an item nor indented under one.
    assert translation_units.list_items("Plain words.\n- not a list") is None
    assert translation_units.list_items("- one\nlazy line") is None


def test_items_are_labelled_by_their_list_and_place():
    label = translation_units.unit_label
    assert label("body.1.2", "Report yearly.") == "List in paragraph 2, item 3"
    assert label("body.0.0", "First step.") == "List in paragraph 1, item 1"
    with translation.override("zh-hans"):
        assert label("body.1.2", "Report yearly.") == "第 2 段列表\uff0c第 3 项"
    with translation.override("arz"):
        assert label("body.1.2", "Report yearly.") == "القايمه اللى فى الفقرة 2، البند 3"


@pytest.fixture
def listed(working_group, user, iterations):
    made = make(working_group, user, title="Hub", body=BODY)
    return publish(made, user, iterations[0])


def source_of(recommendation):
    recommendation.refresh_from_db()
    return services.source_text(recommendation.published_version.revision)


def test_the_translation_keeps_the_source_s_marks(listed, user):
    services.translation_save(
        recommendation=listed,
        user=user,
        language="zh-hans",
        source=source_of(listed),
        translations={
            "body.1.0": "每个地区雇一个人。",
            "body.1.1": "公布每次会议的[记录](https://example.org/minutes)\n\uff0c供大家阅读。",
            "body.2.1": "第二步。",
        },
    )
    listed.refresh_from_db()
    assert listed.body_zh_hans == (
        "\n\n"
        "- 每个地区雇一个人。\n"
        "- 公布每次会议的[记录](https://example.org/minutes)\n"
        "  \uff0c供大家阅读。\n"
        "-\n\n"
        "1.\n"
        "2. 第二步。"
    )
    status = translation_units.status(listed, source_of(listed), "zh-hans")
    assert [unit.key for unit in status.units if unit.translated] == [
        "body.1.0",
        "body.1.1",
        "body.2.1",
    ]
    assert status.unit("body.1.2").text == "Report yearly."  # falls back to the source
    assert status.unit("body.2.1").mark == "2. "
    assert status.total == 8  # with the summary
    assert status.done == 3
    assert listed.translation_sources["zh-hans"]["body.1.0"]["source"] == (
        "Hire one person per region."
    )


def test_an_item_whose_source_changed_goes_stale_alone(listed, user, iterations):
    services.translation_save(
        recommendation=listed,
        user=user,
        language="arz",
        source=source_of(listed),
        translations={"body.1.0": "عيّنوا واحد فى كل منطقه.", "body.1.2": "اعملوا تقرير كل سنه."},
    )
    publish(listed, user, iterations[1], body=BODY.replace("Report yearly.", "Report monthly."))
    status = translation_units.status(listed, source_of(listed), "arz")
    assert not status.unit("body.1.0").outdated
    assert status.unit("body.1.2").outdated
    assert status.unit("body.1.2").translated_from == "Report yearly."


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("body.1.0", "每个地区。\n- 还有一项", "must stay one item"),
        ("body.1.1", "公布每次会议的记录。", "drops the link to https://example.org/minutes"),
        ("body.0", "- 我们建议设立中心。", "would start a list"),
        ("body.2.0", "第一步。", "must keep the source's bold marks (**)"),
    ],
)
def test_a_translation_that_breaks_an_item_or_drops_a_link_is_refused(
    listed, user, key, text, reason
):
    with pytest.raises(ValidationError) as refused:
        services.translation_save(
            recommendation=listed,
            user=user,
            language="zh-hans",
            source=source_of(listed),
            translations={key: text},
        )
    assert reason in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.translation_draft_save(
            recommendation=listed,
            user=user,
            language="zh-hans",
            source=source_of(listed),
            translations={key: text},
        )
    assert not TranslationDraft.objects.exists()


def test_the_form_shows_the_reason_beside_the_item(client, listed):
    volunteer = UserFactory(translates_into=["zh-hans"])
    client.force_login(volunteer)
    url = reverse("translations:edit", args=[listed.pk, "zh-hans"])
    html = client.get(url).content.decode()
    assert "List in paragraph 2, item 3" in html
    assert "- Report yearly." not in html  # the mark is not the translator's to type
    response = client.post(url, {"body.1.1": "公布每次会议的记录。"})
    assert response.status_code == 422
    assert (
        "List in paragraph 2, item 2: The translation drops the link to "
        "https://example.org/minutes." in response.content.decode()
    )
    assert not TranslationDraft.objects.exists()


LISTS = (
    "We recommend a hub.\n\n"
    "- Hire one person per region.\n"
    "- Publish the [minutes](https://example.org/minutes)\n"
    "  of every meeting.\n"
    "- Report yearly.\n\n"
    "1. **First** step.\n"
    "2. Second step.\n"
    "3. Third step.\n"
)
# Items 1 and 3 of each list translated, item 2 not.
LISTS_TRANSLATED = {
    "zh-hans": {
        "body.1.0": "每个地区雇一个人。",
        "body.1.2": "每年报告。",
        "body.2.0": "**第一**步。",
        "body.2.2": "第三步。",
    },
    "arz": {
        "body.1.0": "عيّنوا واحد فى كل منطقه.",
        "body.1.2": "اعملوا تقرير كل سنه.",
        "body.2.0": "**أول** خطوه.",
        "body.2.2": "تالت خطوه.",
    },
}


@pytest.fixture
def lists(working_group, user, iterations):
    made = publish(make(working_group, user, title="Lists", body=LISTS), user, iterations[0])
    for language, items in LISTS_TRANSLATED.items():
        services.translation_save(
            recommendation=made,
            user=user,
            language=language,
            source=source_of(made),
            translations=items,
        )
    return made


def body_of(html, element_id="version-body"):
    from lxml import html as parser

    return parser.fromstring(html).get_element_by_id(element_id)


def outline(element) -> list:
    """The lists, items and paragraphs under `element`, nested, as (tag, start, inside):
    its structure as a reader's screen reader announces it, the wrappers of units and lines
    and the labels of units left out."""
    found = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        inside = outline(child)
        labels = {"fallback-label", "outdated-mark"}
        if child.tag in ("ul", "ol", "li", "p") and not labels & set(child.classes):
            found.append((child.tag, child.get("start"), inside))
        else:
            found += inside
    return found


def source_outline(body: str) -> list:
    from lxml import html as parser

    return outline(parser.fragment_fromstring(str(render_markdown(body)), create_parent="div"))


def source_lines(body: str) -> set[int]:
    """The line numbers of the whole body rendered at once (as the review pages number it)."""
    return set(lines.lines_of(str(lines.number_lines(render_markdown(body))[0])))


def in_english(language):
    with translation.override(language):
        return pgettext("label of a part shown in the source language", "In English")


def lines_shown(body) -> set[int]:
    """The source's line numbers that `body` has an anchor for: its own lines, and the
    ranges that a translated unit stands for."""
    found = set()
    for line in body.xpath('.//span[@class="line"]'):
        assert line.get("id") == f"L{line.get('data-line')}"
        found.add(int(line.get("data-line")))
    for shown in body.xpath('.//div[@class="lines-range"]'):
        first, last = int(shown.get("data-first")), int(shown.get("data-last"))
        ids = [shown.get("id")] + [anchor.get("id") for anchor in shown.xpath("./span[@id]")]
        assert ids == [f"L{number}" for number in range(first, last + 1)]
        assert shown.xpath("./a/@href") == [f"#L{first}"]
        found |= set(range(first, last + 1))
    return found


@pytest.mark.parametrize("language", ["zh-hans", "arz"])
def test_a_list_translated_in_part_is_one_list_on_the_translated_page(client, lists, language):
    """Each list of the source is one list element, its items each in their own language:
    the untranslated middle one in English with the label that says so; every source line
    still has its anchor."""
    html = client.get(f"/{language}{lists.get_public_url()}").content.decode()
    body = body_of(html)
    assert len(body.xpath(".//ul")) == 1
    assert len(body.xpath(".//ol")) == 1
    translated = LISTS_TRANSLATED[language]
    for tag, keys in (("ul", ["body.1.0", "body.1.2"]), ("ol", ["body.2.0", "body.2.2"])):
        (element,) = body.xpath(f".//{tag}")
        assert element.get("start") is None  # from 1, as the source
        items = list(element)
        assert [item.tag for item in items] == ["li", "li", "li"]
        first, middle, last = items
        for item, key in ((first, keys[0]), (last, keys[1])):
            assert item.classes == {"unit"}
            assert (item.get("dir"), item.get("lang")) == ("auto", None)
            assert not item.xpath('.//*[@class="fallback-label"]')
            plain = translated[key].replace("**", "")
            assert item.text_content() == plain
        assert middle.classes == {"unit", "untranslated"}
        assert (middle.get("lang"), middle.get("dir")) == ("en", "ltr")
        (label,) = middle.xpath("./p[@class='fallback-label']")
        assert label.text_content() == in_english(language)
        assert label.get("lang") == language
    assert "Publish the minutes\nof every meeting." in body.xpath(".//ul/li")[1].text_content()
    assert "Second step." in body.xpath(".//ol/li")[1].text_content()
    # A line anchor for each of the source's 7 lines, the untranslated items' their own.
    assert lines_shown(body) == source_lines(LISTS) == set(range(1, 8))
    assert body.xpath('.//ul/li[2]/span[@id="L3"]')
    assert body.xpath('.//ol/li[2]/span[@id="L6"]')
    # As many lists, items and paragraphs as the source: the labels aside.
    assert outline(body) == source_outline(LISTS)


def test_the_english_page_has_the_source_s_lists(client, lists):
    """In English every unit is the source's: one list element for each list, its lines
    numbered."""
    body = body_of(client.get(lists.get_public_url()).content.decode())
    assert [len(element) for element in body.xpath(".//ul|.//ol")] == [3, 3]
    assert not body.xpath('.//*[contains(@class, "untranslated")]')
    assert lines_shown(body) == source_lines(LISTS)
    assert outline(body) == source_outline(LISTS)


@pytest.mark.parametrize(
    "body",
    [
        # A list whose items are apart: one loose list, its items' paragraphs kept.
        "- One.\n\n- Two.\n\n- Three.",
        # Numbered from 3; another delimiter, another list.
        "3. Three.\n4. Four.\n\n1) One.\n2) Two.",
        # Another bullet, another list; a paragraph ends a list.
        "- Dash.\n* Star.\n\nWords.\n\n- Dash again.",
        # An item with a list inside it.
        "- Outer.\n  - inner one\n  - inner two\n- Second.",
        # A rule among the items, shown as a rule.
        "- Before.\n\n* * *\n\n- After.",
    ],
)
def test_the_lists_of_the_page_are_those_the_markdown_makes(
    client, working_group, user, iterations, body
):
    """The page's lists, their items and their starts are those of the whole body rendered
    at once, in English and translated in part."""
    made = publish(make(working_group, user, title="Lists", body=body), user, iterations[0])
    source = source_of(made)
    # Every other item of one line translated.
    items = [
        key
        for key, text in translation_units.units(source)
        if key.count(".") == 2 and "\n" not in text
    ]
    services.translation_save(
        recommendation=made,
        user=user,
        language="arz",
        source=source,
        translations=dict.fromkeys(items[::2], "اتترجمت."),
    )
    expected = source_outline(body)
    assert outline(body_of(client.get(made.get_public_url()).content.decode())) == expected
    arabic = body_of(client.get("/arz" + made.get_public_url()).content.decode())
    assert outline(arabic) == expected
    assert lines_shown(arabic) == source_lines(body)


def test_an_outdated_item_is_marked_in_its_list(client, lists, user, iterations):
    publish(lists, user, iterations[1], body=LISTS.replace("Third step.", "Last step."))
    body = body_of(client.get("/zh-hans" + lists.get_public_url()).content.decode())
    (element,) = body.xpath(".//ol")
    last = element[2]
    assert last.classes == {"unit", "outdated"}
    assert last.xpath("./p[@class='outdated-mark']")
    assert len(element) == 3


@pytest.mark.parametrize("language", ["zh-hans", "arz"])
def test_the_iteration_page_and_its_pdf_have_one_list_for_each_list(lists, iterations, language):
    """The iteration's set, on screen and in its PDF's HTML, the same: one list each, its
    lines named after the recommendation."""
    from public import pdfs
    from public.views.iterations import iteration_groups, iteration_page

    prefix = f"{lists.working_group.slug}-{lists.number}-"
    with translation.override(language):
        page = iteration_page(iterations[0], 1)
        groups = iteration_groups(page.object_list, language)
        printed = pdfs._html(iterations[0], page, groups)
    article = body_of(printed, f"{lists.working_group.slug}-{lists.number}")
    assert [len(element) for element in article.xpath(".//ul|.//ol")] == [3, 3]
    middle = article.xpath(".//ol/li")[1]
    assert "untranslated" in middle.classes
    assert middle.xpath(".//span[@class='line']/@id") == [f"{prefix}L6"]
    assert outline(article.xpath('.//div[@class="numbered"]')[0]) == source_outline(LISTS)


def test_the_translated_page_reads_as_many_queries_for_3_and_30_items(
    client, working_group, user, iterations, django_assert_num_queries
):
    counts = []
    for size in (3, 30):
        body = "Intro.\n\n" + "\n".join(f"- Item {index}." for index in range(size))
        made = publish(make(working_group, user, title=f"{size}", body=body), user, iterations[0])
        services.translation_save(
            recommendation=made,
            user=user,
            language="zh-hans",
            source=source_of(made),
            translations={f"body.1.{index}": "译文。" for index in range(0, size, 2)},
        )
        with translation.override("en"):
            url = "/zh-hans" + made.get_public_url()
        client.get(url)  # what is read once per process
        with django_assert_num_queries(1, exact=False) as read:
            response = client.get(url, HTTP_CACHE_CONTROL="no-cache")
        assert len(body_of(response.content.decode()).xpath(".//ul/li")) == size
        counts.append(len(read))
    assert counts[0] == counts[1]


def test_a_po_file_s_item_that_drops_its_link_is_refused_the_rest_saved(client, listed):
    from tests.public.test_translation_files import download, said, upload, volunteer

    client.force_login(volunteer("zh-hans"))
    po = download(client, listed)
    entries = {entry.msgctxt: entry for entry in po}
    assert entries["body.1.1"].msgid == (
        "Publish the [minutes](https://example.org/minutes)\nof every meeting."
    )
    assert "List in paragraph 2, item 2" in entries["body.1.1"].comment
    entries["body.1.1"].msgstr = "公布每次会议的记录。"
    entries["body.1.2"].msgstr = "每年报告。"
    response = upload(client, listed, po)
    assert said(response) == [
        "List in paragraph 2, item 2: The translation drops the link to "
        "https://example.org/minutes.",
        "1 unit from the file saved as a draft: it is public once proofread.",
    ]
    assert dict(TranslationDraft.objects.values_list("unit", "text")) == {"body.1.2": "每年报告。"}
