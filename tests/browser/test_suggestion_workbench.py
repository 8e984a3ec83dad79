"""The merge workbench in a browser: the coordinator decides three suggestions at once."""

from datetime import date

import pytest
from playwright.sync_api import expect

from groups.models import Role
from recommendations import services
from recommendations.models import Suggestion
from tests.browser.accessibility import axe_violations
from tests.factories import MembershipFactory, UserFactory, review_version

pytestmark = pytest.mark.browser

BODY = (
    "We recommend open minutes for every meeting.\n\n"
    "Each group publishes a monthly summary.\n\n"
    "我们建议每年报告一次。\n"
)


def test_the_coordinator_merges_three_suggestions_two_on_the_same_sentence(
    open_as, working_group, working_group_factory, shot
):
    """Two suggestions touch the same sentence, the page says so; the coordinator accepts
    one of them and the Chinese one, declines the other with a reason, and saves: one
    revision names the two taken and holds their words; the states are shown."""
    coordinator = UserFactory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=coordinator, working_group=working_group, role=Role.COORDINATOR)
    reviewer = UserFactory(first_name="Rania", last_name="Haddad")
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    version = review_version(working_group, coordinator, title="Transparency", body=BODY)
    services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=None, due_on=date(2030, 1, 1)
    )

    def suggest(quote, words, reason):
        return services.suggestion_make(
            version=version,
            user=reviewer,
            target="passage",
            quote=quote,
            replacement=words,
            reason=reason,
        )

    minutes = suggest("open minutes", "public minutes", "Anyone may read them.")
    meeting = suggest("open minutes for every meeting", "minutes of each meeting", "Shorter.")
    chinese = suggest("每年", "每季度", "更及时。")

    page = open_as(coordinator)
    page.goto(version.get_absolute_url())
    page.get_by_role("link", name="Merge the open suggestions at once").click()
    expect(page.locator("h1")).to_have_text("Merge the suggestions of Review 1")
    # Of two changes on the same words the text marks the first; the list shows both.
    expect(page.locator("#workbench-body del.suggested").first).to_have_text("open minutes")
    expect(page.locator("#workbench-body del.suggested").last).to_have_text("每年")
    first = page.locator(f"#suggestion-{minutes.pk}")
    second = page.locator(f"#suggestion-{meeting.pk}")
    third = page.locator(f"#suggestion-{chinese.pk}")
    expect(first).to_contain_text(f"Touches the same words as suggestion {meeting.pk}")
    expect(second).to_contain_text(f"Touches the same words as suggestion {minutes.pk}")
    expect(third).not_to_contain_text("Touches the same words")
    expect(third).to_contain_text("Rania Haddad")
    expect(third).to_contain_text("更及时。")
    expect(third).to_contain_text("line 3")
    assert axe_violations(page) == []

    first.get_by_label("Accept", exact=True).check()
    second.get_by_label("Decline", exact=True).check()
    second.get_by_label(f"Why (to decline suggestion {meeting.pk})").fill(
        "Suggestion 1 keeps the meeting."
    )
    third.get_by_label("Accept", exact=True).check()
    # The result below was made from no choices: the page says so before it is edited.
    stale = page.locator("#result-stale")
    expect(stale).to_be_visible()
    page.get_by_role("button", name="Show the result").click()
    expect(stale).to_be_hidden()
    expect(page.get_by_label("Text")).to_have_value(
        BODY.replace("open minutes", "public minutes").replace("每年", "每季度")
    )
    shot("workbench", page)
    page.get_by_role("button", name="Save as one revision").click()
    expect(page.get_by_text("Saved: 2 accepted, 1 declined.")).to_be_visible()

    draft = version.recommendation
    draft.refresh_from_db()
    latest = draft.history.latest()
    assert latest.history_change_reason == (
        f"Suggestion {minutes.pk} accepted (Rania Haddad, on Review 1); "
        f"Suggestion {chinese.pk} accepted (Rania Haddad, on Review 1)"
    )
    assert "We recommend public minutes for every meeting." in draft.body
    assert "我们建议每季度报告一次。" in draft.body
    states = dict(Suggestion.objects.values_list("pk", "state"))
    assert states == {minutes.pk: "accepted", meeting.pk: "declined", chinese.pk: "accepted"}
    for suggestion, state in ((minutes, "Accepted"), (meeting, "Declined"), (chinese, "Accepted")):
        expect(page.locator(f"#suggestion-{suggestion.pk} [data-state]")).to_have_text(state)
    expect(page.locator(f"#suggestion-{meeting.pk}")).to_contain_text(
        "Suggestion 1 keeps the meeting."
    )
    expect(page.get_by_role("link", name="Merge the open suggestions at once")).to_have_count(0)
