"""A reader searches and finds where the words matched; a group's page leads to its
recommendations and its feed."""

import pytest
from playwright.sync_api import expect

from tests.factories import iteration
from tests.factories import recommendation as make
from tests.public.conftest import publish

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf(transactional_db, working_group_factory, user):
    second = iteration("second-iteration", "Second iteration, September 2019")
    advocacy = working_group_factory(name_en="Advocacy", slug="advocacy")
    hub = make(
        advocacy,
        user,
        title="Advocacy hub",
        summary="A hub for campaigns.",
        body="## Why\n\nA **regional** hub coordinates the campaigns of every affiliate.\n",
    )
    publish(hub, user, second)
    make(advocacy, user, title="Secret draft", body="Confidential campaigns.\n")
    return {"group": advocacy, "hub": hub}


def test_search_results_show_where_the_words_matched(page, shelf, shot):
    page.goto("/recommendations/")
    page.get_by_role("textbox", name="Search").fill("affiliate")
    page.get_by_role("button", name="Show").click()
    results = page.locator(".results > li")
    expect(results).to_have_count(1)
    snippet = results.first.locator(".snippet")
    expect(snippet.locator("mark")).to_have_text("affiliate")
    expect(snippet).to_contain_text("A regional hub coordinates the campaigns of every")
    assert "**" not in snippet.inner_text()
    shot("search-snippet")


def test_a_group_page_leads_to_its_recommendations_and_feed(page, shelf, shot):
    page.goto("/groups/advocacy/")
    listed = page.get_by_role("region", name="Recommendations")
    expect(listed.get_by_role("listitem")).to_have_count(1)
    expect(listed).not_to_contain_text("Secret draft")
    feed = listed.get_by_role("link", name="The group's Atom feed")
    assert (
        page.request.get(feed.get_attribute("href"))
        .headers["content-type"]
        .startswith("application/atom+xml")
    )
    shot("group-recommendations")
    listed.get_by_role("link", name="1. Advocacy hub").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advocacy hub")
