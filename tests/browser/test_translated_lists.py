"""A reader of a translated recommendation whose lists are translated item by item: each
list of the source is one list on the page, its untranslated items in English with the
label that says so, its numbers those of the source, and the page passes axe."""

import pytest
from django.utils import translation
from django.utils.translation import pgettext
from playwright.sync_api import expect

from recommendations import services
from tests.browser.accessibility import axe_violations
from tests.factories import iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.browser

BODY = (
    "We recommend a hub for the campaigns of every region.\n\n"
    "- Hire one person per region.\n"
    "- Publish the minutes of every meeting.\n"
    "- Report yearly.\n\n"
    "1. Agree on the aims.\n"
    "2. Choose the people.\n"
    "3. Start the work.\n"
)
ITEMS = {
    "zh-hans": {
        "body.1.0": "每个地区雇一个人。",
        "body.1.2": "每年报告。",
        "body.2.0": "商定目标。",
        "body.2.2": "开始工作。",
    },
    "arz": {
        "body.1.0": "عيّنوا واحد فى كل منطقه.",
        "body.1.2": "اعملوا تقرير كل سنه.",
        "body.2.0": "اتفقوا على الأهداف.",
        "body.2.2": "ابدأوا الشغل.",
    },
}


@pytest.fixture
def hub(transactional_db, working_group_factory, user):
    second = iteration("second-iteration", "Second iteration")
    advocacy = working_group_factory(name_en="Advocacy", slug="advocacy")
    hub = publish(make(advocacy, user, title="Advocacy hub", body=BODY), user, second)
    for language, items in ITEMS.items():
        services.translation_save(
            recommendation=hub,
            user=user,
            language=language,
            source=services.source_text(hub.published_version.revision),
            translations=items,
        )
    return hub


@pytest.mark.parametrize("language", ["zh-hans", "arz"])
def test_a_list_translated_in_part_is_one_list_and_passes_axe(page, hub, shot, language):
    page.goto(f"/{language}{hub.get_public_url()}")
    body = page.locator("#version-body")
    expect(body.locator("ul")).to_have_count(1)
    expect(body.locator("ol")).to_have_count(1)
    with translation.override(language):
        label = pgettext("label of a part shown in the source language", "In English")
    for kind, english in (
        ("ul", "Publish the minutes of every meeting."),
        ("ol", "Choose the people."),
    ):
        items = body.locator(f"{kind} > li")
        expect(items).to_have_count(3)
        middle = items.nth(1)
        expect(middle).to_have_attribute("lang", "en")
        expect(middle.locator(".fallback-label")).to_have_text(label)
        expect(middle).to_contain_text(english)
        for translated in (items.nth(0), items.nth(2)):
            expect(translated).to_have_attribute("dir", "auto")
            expect(translated.locator(".fallback-label")).to_have_count(0)
    # One numbered list from 1: its items numbered 1, 2, 3, not 1, 1, 1.
    assert body.locator("ol").evaluate("list => [list.start, list.children.length]") == [1, 3]
    if language == "arz":
        # The English item runs left to right, its marker on the left: inside the list.
        box = body.locator("ul").bounding_box()
        item = body.locator("ul > li").nth(1).bounding_box()
        assert item["x"] - box["x"] >= 30, (item, box)
    shot(f"lists-{language}")
    assert axe_violations(page) == []
    # A citation from an English item to a translated one: the source's lines.
    page.locator("#L3 > .line-number").click()
    page.locator("#L4 > .line-number").click(modifiers=["Shift"])
    expect(page.locator(".line-cite-text")).to_contain_text("3-4")
    expect(page.locator(".line-selected")).to_have_count(2)
