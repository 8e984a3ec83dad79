"""The demo's reviewer signs in, sees in the header that something waits for them, opens
"Needs me" and follows the item to where it is done."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recommendations.models import ReviewAssignment

from .accessibility import axe_violations

pytestmark = pytest.mark.browser


def test_the_reviewer_finds_what_waits_and_does_it(demo, page, shot):
    assignment = ReviewAssignment.objects.get(reviewer__username="reviewer")
    page.goto("/accounts/login/")
    page.get_by_label("User name or e-mail address").fill("reviewer")
    page.get_by_label("Password", exact=True).fill("strategy-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()

    needs_me = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Needs me")
    )
    expect(needs_me.locator(".needs-me-count")).to_have_text("1")
    expect(needs_me.locator(".needs-me-count")).to_have_attribute("aria-label", "1 waiting")
    needs_me.click()

    expect(page).to_have_url(re.compile(re.escape(reverse("needs_me")) + "$"))
    section = page.get_by_role("region", name=re.compile("As a reviewer"))
    expect(section.get_by_role("listitem")).to_have_count(1)
    item = section.get_by_role("link", name=re.compile("Answer a review request"))
    expect(item).to_contain_text(assignment.version.source_title)
    expect(section).to_contain_text("Advocacy")
    expect(section).to_contain_text("since")
    assert axe_violations(page, "main") == []
    shot("needs-me")

    # The link leads to the assignment on the list of one's reviews, where it is answered.
    item.click()
    expect(page).to_have_url(re.compile(f"{re.escape(reverse('reviews'))}#assignment-"))
    row = page.locator(f"#assignment-{assignment.pk}")
    expect(row).to_contain_text(assignment.version.source_title)
    row.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted.")

    # Accepted, it waits still: now to be reviewed, on the version itself.
    page.goto(reverse("needs_me"))
    review = page.get_by_role("link", name=re.compile("Review this version"))
    review.click()
    expect(page).to_have_url(re.compile(re.escape(assignment.version.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(assignment.version.source_title)
