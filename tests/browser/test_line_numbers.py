"""A reader cites lines of a published version: clicks a line number, shift-clicks
another, and gets the citation with a link that marks those lines; in Arabic the numbers
stand on the right."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.browser


@pytest.fixture
def hub(transactional_db, working_group_factory, user):
    second = iteration("second-iteration", "Second iteration")
    advocacy = working_group_factory(name_en="Advocacy", slug="advocacy")
    # Letters, not digits, name the paragraphs: no digit is in the text but the numbers.
    paragraphs = [
        f"Paragraph {chr(65 + index)} " + "of the advocacy hub " * 5 for index in range(20)
    ]
    body = "\n\n".join(paragraphs)
    return publish(make(advocacy, user, title="Advocacy hub", body=body), user, second)


def test_clicking_two_line_numbers_cites_the_lines_between(page, hub, shot):
    page.goto(hub.get_public_url())
    body = page.locator("#version-body")
    expect(body.locator(".line")).to_have_count(40)
    # The numbers are not part of the text a reader selects or copies.
    assert not re.search(r"\d", body.evaluate("element => element.textContent"))
    page.locator("#L12 > .line-number").click()
    cited = page.locator(".line-cite-selected")
    expect(cited.locator(".line-cite-text")).to_have_text(
        f"Advocacy {hub.number}, Second iteration, line 12"
    )
    page.locator("#L14 > .line-number").click(modifiers=["Shift"])
    expect(cited.locator(".line-cite-text")).to_have_text(
        f"Advocacy {hub.number}, Second iteration, lines 12-14"
    )
    href = cited.get_by_role("link", name="Link to these lines").get_attribute("href")
    assert href == f"{hub.get_public_url()}#L12-L14"
    expect(page.locator(".line-selected")).to_have_count(3)
    shot("lines-cited")

    # The link marks the lines it names when it is opened.
    page.goto("about:blank")
    page.goto(href)
    expect(page.locator(".line-selected")).to_have_count(3)
    for number in (12, 13, 14):
        expect(page.locator(f"#L{number}")).to_have_class(re.compile(r"\bline-selected\b"))
    expect(page.locator("#L11")).not_to_have_class(re.compile(r"\bline-selected\b"))
    expect(page.locator("#L15")).not_to_have_class(re.compile(r"\bline-selected\b"))


def test_in_arabic_the_numbers_stand_on_the_right_and_the_citation_is_arabic(page, hub):
    page.goto("/arz" + hub.get_public_url())
    number = page.locator("#L3 > .line-number").bounding_box()
    text = page.locator("#L3").bounding_box()
    assert number["x"] >= text["x"] + text["width"] - 1, (number, text)
    page.locator("#L3 > .line-number").click()
    page.locator("#L5 > .line-number").click(modifiers=["Shift"])
    expect(page.locator(".line-cite-text")).to_contain_text("السطور 3-5")


def test_on_a_latin_page_the_numbers_stand_on_the_left(page, hub):
    page.goto(hub.get_public_url())
    number = page.locator("#L3 > .line-number").bounding_box()
    text = page.locator("#L3").bounding_box()
    assert number["x"] + number["width"] <= text["x"] + 1, (number, text)


def test_a_review_snapshot_cites_its_lines_and_marks_them_on_load(page, login_as, working_group):
    from tests.factories import review_version

    coordinator = login_as("coordinator", group=working_group)
    body = "\n\n".join(
        f"Part {chr(65 + index)} " + "of the snapshot text " * 5 for index in range(8)
    )
    version = review_version(working_group, coordinator, body=body)
    page.goto(version.get_absolute_url() + "#L3-L5")
    expect(page.locator("#version-body .line-selected")).to_have_count(3)
    page.locator("#L7 > .line-number").click()
    page.locator("#L6 > .line-number").click(modifiers=["Shift"])
    name = f"{working_group.name} {version.recommendation.number}, {version.name}"
    expect(page.locator(".line-cite-text")).to_have_text(f"{name}, lines 6-7")
    expect(page).to_have_url(re.compile(r"#L6-L7$"))
