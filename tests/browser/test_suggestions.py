from datetime import date

import pytest
from playwright.sync_api import expect

from groups.models import Role
from recommendations import services
from recommendations.models import Suggestion
from tests.factories import MembershipFactory, UserFactory, review_version

pytestmark = pytest.mark.browser

BODY = "We recommend open minutes for every meeting.\n\nEach group publishes a monthly summary.\n"

SELECT = """words => {
  const body = document.getElementById("version-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(words);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + words.length);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
  return false;
}"""


def test_a_reviewer_suggests_and_the_member_accepts_into_the_draft(
    open_as, working_group, working_group_factory, shot
):
    """A reviewer selects words on a review snapshot and suggests others; a member accepts
    it and the draft has the new words as a revision naming it. A suggestion on a passage
    the draft has changed since goes to the merge screen; saving the merge accepts it."""
    member = UserFactory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=member, working_group=working_group)
    reviewer = UserFactory(first_name="Rania", last_name="Haddad")
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    version = review_version(working_group, member, title="Transparency", body=BODY)
    services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=None, due_on=date(2030, 1, 1)
    )
    draft = version.recommendation

    # The reviewer selects a passage: "Suggest a change" fills the form.
    reviewer_page = open_as(reviewer)
    reviewer_page.goto(version.get_absolute_url())
    reviewer_page.wait_for_load_state()
    assert reviewer_page.evaluate(SELECT, "open minutes")
    reviewer_page.get_by_role("button", name="Suggest a change", exact=True).click()
    form = reviewer_page.locator("#suggestion-form")
    expect(form.get_by_label("Passage to replace")).to_have_value("open minutes")
    form.get_by_label("Your words").fill("public minutes")
    form.get_by_label("Why").fill("Anyone may read them.")
    form.get_by_role("button", name="Suggest", exact=True).click()
    expect(reviewer_page.get_by_text("Suggestion made.")).to_be_visible()
    first = Suggestion.objects.get(quote="open minutes")
    entry = reviewer_page.locator(f"#suggestion-{first.pk}")
    expect(entry.locator("del")).to_have_text("open minutes")
    expect(entry.locator("ins")).to_have_text("public minutes")
    expect(entry).to_contain_text("line 1")
    expect(reviewer_page.locator("#version-body del.suggested")).to_have_text("open minutes")
    # The plain form, without selecting: a second passage.
    form = reviewer_page.locator("#suggestion-form")
    form.get_by_label("Passage to replace").fill("monthly summary")
    form.get_by_label("Your words").fill("summary every month")
    form.get_by_label("Why").fill("Clearer.")
    form.get_by_role("button", name="Suggest", exact=True).click()
    expect(reviewer_page.get_by_text("Suggestion made.")).to_be_visible()
    second = Suggestion.objects.get(quote="monthly summary")
    shot("suggested", reviewer_page)

    # Meanwhile the member changes the second passage in the draft.
    services.recommendation_update(
        recommendation=draft,
        user=member,
        title="Transparency",
        summary="",
        body=BODY.replace("a monthly summary", "a weekly summary"),
        base_revision=draft.history.latest().history_id,
    )

    # The member accepts the first: a new revision naming it.
    member_page = open_as(member)
    member_page.goto(version.get_absolute_url())
    entry = member_page.locator(f"#suggestion-{first.pk}")
    entry.get_by_label("Accept", exact=True).check()
    entry.get_by_role("button", name="Decide").click()
    expect(member_page.get_by_text("Suggestion accepted")).to_be_visible()
    draft.refresh_from_db()
    assert "We recommend public minutes for every meeting." in draft.body
    latest = draft.history.latest()
    assert latest.history_change_reason == (
        f"Suggestion {first.pk} accepted (Rania Haddad, on Review 1)"
    )
    expect(member_page.locator(f"#suggestion-{first.pk}")).to_contain_text("Accepted")

    # The second: its passage changed since, so the merge screen, nothing applied.
    entry = member_page.locator(f"#suggestion-{second.pk}")
    entry.get_by_label("Accept", exact=True).check()
    entry.get_by_role("button", name="Decide").click()
    expect(member_page.get_by_text(f"Accepting suggestion {second.pk}")).to_be_visible()
    draft.refresh_from_db()
    assert "summary every month" not in draft.body
    body = member_page.get_by_role("textbox", name="Text")
    assert "<<<<<<<" in body.input_value()
    shot("merge", member_page)
    body.fill(
        BODY.replace("open minutes", "public minutes").replace(
            "a monthly summary", "a weekly summary every month"
        )
    )
    member_page.get_by_role("button", name="Save the merge").click()
    expect(member_page.get_by_text("Saved.")).to_be_visible()
    second.refresh_from_db()
    draft.refresh_from_db()
    assert second.state == Suggestion.State.ACCEPTED
    assert second.revision == draft.history.latest()
    assert "a weekly summary every month" in draft.body
    assert draft.history.latest().history_change_reason.startswith(
        f"Suggestion {second.pk} accepted"
    )
