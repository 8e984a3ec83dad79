from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Role, WorkingGroup
from recommendations import services
from recommendations.models import ReviewAssignment
from tests.factories import MembershipFactory, UserFactory, review_version

pytestmark = pytest.mark.browser


def test_core_team_follows_overdue_to_the_list_and_assigns_in_bulk(
    open_as, page, login_as, browser, live_server, working_group_factory, user, shot
):
    """A core-team member opens the dashboard, follows an "overdue" figure to the
    filtered list, assigns reviewers to versions in bulk, and the reviewer sees them."""
    advocacy = working_group_factory(name_en="Advocacy", slug="advocacy")
    synthesis = WorkingGroup.objects.create(
        name_en="Synthesis group", slug="synthesis", kind=WorkingGroup.Kind.SYNTHESIS
    )
    late = UserFactory(first_name="Lars", last_name="Late")
    versions = [
        review_version(advocacy, user, name=f"Review {i}", title=f"Topic {i}") for i in range(2)
    ]
    services.assignment_create(
        version=versions[0],
        reviewer=late,
        assigned_by=user,
        due_on=timezone.localdate() - timedelta(days=4),
    )
    reviewer = UserFactory(first_name="Rania", last_name="Haddad")
    MembershipFactory(user=reviewer, working_group=synthesis, role=Role.REVIEWER)

    login_as("core_team", first_name="Corinne", last_name="Okafor")
    page.goto("/admin/")
    page.get_by_role("link", name="Dashboard: every group at a glance").click()
    expect(page.get_by_role("heading", name="The process at a glance")).to_be_visible()
    overdue = page.locator(f"a.overdue-figure[data-group='{advocacy.slug}']")
    expect(overdue).to_have_text("1")
    shot("dashboard")
    overdue.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Lars Late")

    page.goto("/admin/recommendations/version/")
    for version in versions:
        page.locator(f"input[name=_selected_action][value='{version.pk}']").check()
    page.locator("select[name=action]").select_option("assign_reviewers")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("This applies to 2 items")).to_be_visible()
    page.get_by_label("Reviewers").select_option(str(reviewer.pk))
    page.get_by_label("Due on").fill((timezone.localdate() + timedelta(days=9)).isoformat())
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".messagelist")).to_contain_text("2 review assignments created.")
    assert ReviewAssignment.objects.filter(reviewer=reviewer).count() == 2

    inbox = open_as(reviewer)
    inbox.goto(reverse("reviews"))
    expect(inbox.locator("tbody tr")).to_have_count(2)
    expect(inbox.locator("tbody")).to_contain_text("Topic 0")
    expect(inbox.locator("tbody")).to_contain_text("Topic 1")
    shot("reviewer-inbox", target=inbox)
    inbox.context.close()


def test_core_team_edits_a_recommendation_in_the_admin_with_a_reason(
    page, login_as, working_group_factory, user, shot
):
    """The core team corrects a recommendation's text in the admin, giving a reason; the
    workflow's fields are shown, not offered; the history names the editor and the reason."""
    from recommendations import selectors
    from tests.factories import recommendation as make

    made = make(working_group_factory(), user, title="Open data", body="Frist paragraph.\n")
    core = login_as("core_team", first_name="Corinne", last_name="Okafor")
    page.goto(f"/admin/recommendations/recommendation/{made.pk}/change/")
    expect(page.locator("select[name=state]")).to_have_count(0)
    expect(page.locator(".field-state")).to_contain_text("Draft")
    page.locator("textarea[name=body_en]").fill("First paragraph.")
    page.get_by_role("button", name="Save", exact=True).click()
    # The reason is required: the form says so and keeps the text.
    expect(page.locator(".errorlist")).to_be_visible()
    expect(page.locator("textarea[name=body_en]")).to_have_value("First paragraph.")
    page.get_by_label("Change reason").fill("Typo")
    shot("change-form")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    latest = selectors.revision_latest(recommendation=made)
    assert (latest.body_en, latest.history_user, latest.history_change_reason) == (
        "First paragraph.",
        core,
        "Typo",
    )
    page.goto(f"/admin/recommendations/recommendation/{made.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Typo")
    expect(page.get_by_role("button", name="Revert")).to_have_count(0)
