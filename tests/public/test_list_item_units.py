"""Each item of a list is a translation unit of its own: its mark ("- ", "2. ") kept out of
the text to translate and put back in the translation, labelled by its place ("List in
paragraph 2, item 3"); a translation that breaks the item or drops a link is refused."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from recommendations import services
from recommendations.models import TranslationDraft
from recommendations.text import translation_units
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


def test_the_public_page_shows_the_items_as_a_list(client, listed, user):
    services.translation_save(
        recommendation=listed,
        user=user,
        language="zh-hans",
        source=source_of(listed),
        translations={"body.1.0": "每个地区雇一个人。", "body.2.1": "第二步。"},
    )
    url = reverse("public:recommendation", args=[listed.working_group.slug, listed.number])
    html = client.get("/zh-hans" + url).content.decode()
    assert re.search(r"<ul>\s*<li>每个地区雇一个人。</li>", html)
    assert re.search(r'<ol start="2">\s*<li>第二步。</li>', html)
    # The source where there is no translation, its line numbered, in its list.
    assert re.search(r"<ul>\s*<li><span class=\"line\" id=\"L4\"[^>]*>.*Report yearly\.", html)


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
