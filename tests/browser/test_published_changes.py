import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recommendations import selectors, services
from tests.factories import iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.browser


def test_an_edited_published_recommendation_shows_its_changes_since(
    page, login_as, working_group, shot
):
    """After publishing, an edit makes the workspace and the page say "Published, with
    changes since"; the link opens the diff from the published version to the text now."""
    coordinator = login_as("coordinator", group=working_group)
    draft = make(working_group, coordinator, title="Transparency", body="Open minutes.\n")
    services.recommendation_publish(recommendation=draft, user=coordinator, iteration=iteration())
    draft.refresh_from_db()

    page.goto(reverse("workspace"))
    row = page.get_by_role("row").filter(has_text="Transparency")
    expect(row.locator(".state")).to_have_text("Published")

    page.goto(reverse("recommendations:edit", args=[draft.pk]))
    page.get_by_role("textbox", name="Text", exact=True).fill("Open minutes, in two languages.\n")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".meta .state")).to_have_text("Published, with changes since")

    page.goto(reverse("workspace"))
    expect(row.locator(".state")).to_have_text("Published, with changes since")
    shot("workspace")
    row.get_by_role("link", name="Changes since publication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revision 1 against revision 3")
    expect(page.locator("ins").filter(has_text="in two languages")).to_be_visible()
    shot("diff")
    assert selectors.revision_count(recommendation=draft) == 3
