"""A demo member watches a recommendation of another group from its public page, sees that
they watch it, finds it on the list of what they watch, and stops watching it; their own
group they watch already."""

import re

import pytest
from playwright.sync_api import expect

from groups.demo import DEMO_PASSWORD
from recommendations.models import Recommendation, Watch
from recommendations.selectors import recommendations_published

pytestmark = pytest.mark.browser


def test_a_member_watches_a_recommendation_of_another_group_then_stops(page, demo, shot):
    elsewhere = (
        recommendations_published()
        .exclude(working_group__slug="advocacy")
        .select_related("working_group")
        .order_by("pk")
        .first()
    )
    assert isinstance(elsewhere, Recommendation)

    page.goto("/accounts/login/")
    page.get_by_label("User name or e-mail address").fill("member")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name=re.compile("^Sign out"))).to_be_visible()

    # Their own group: watched already, as a member.
    page.goto("/groups/advocacy/")
    box = page.get_by_role("region", name="Watching")
    expect(box).to_contain_text("You watch this group")
    expect(box.get_by_role("button", name="Stop watching")).to_be_visible()

    page.goto(elsewhere.get_public_url())
    box = page.get_by_role("region", name="Watching")
    expect(box).to_contain_text("You do not watch this recommendation")
    box.get_by_role("button", name="Watch", exact=True).click()
    # Back on the page the form was on.
    expect(page).to_have_url(re.compile(re.escape(elsewhere.get_public_url()) + "$"))
    expect(page.locator(".messages")).to_contain_text("You watch recommendation")
    box = page.get_by_role("region", name="Watching")
    expect(box.locator(".watch-state")).to_contain_text("Watching")
    expect(box).to_contain_text("You watch this recommendation")
    shot("watching")
    assert Watch.objects.get(user__username="member", recommendation=elsewhere).watching

    box.get_by_role("link", name="Everything you watch").click()
    watched = page.get_by_role("region", name="Recommendations you chose to watch")
    expect(watched.get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_role("region", name="Groups")).to_contain_text("Advocacy")
    page.go_back()

    page.get_by_role("region", name="Watching").get_by_role("button", name="Stop watching").click()
    expect(page.locator(".messages")).to_contain_text("You no longer watch recommendation")
    box = page.get_by_role("region", name="Watching")
    expect(box.get_by_role("button", name="Watch", exact=True)).to_be_visible()
    expect(box.locator(".watch-state")).not_to_contain_text("Watching")
    assert not Watch.objects.get(user__username="member", recommendation=elsewhere).watching
    shot("stopped")


def test_the_public_sees_nothing_of_watching(page, demo):
    page.goto("/groups/advocacy/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".watch")).to_have_count(0)
