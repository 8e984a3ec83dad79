import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recommendations.models import Recommendation

pytestmark = pytest.mark.browser


def save(page, summary=""):
    if summary:
        page.get_by_label("Edit summary").fill(summary)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()


def test_member_drafts_edits_diffs_and_restores(page, shot, login_as, working_group):
    """A member creates a draft, edits it three times, reads the history, compares
    revision 1 with 3 and restores revision 2."""
    login_as("member", group=working_group, first_name="Mei", last_name="Lin")
    page.goto(reverse("workspace"))
    page.get_by_role("link", name="New draft").click()
    page.get_by_label("Title").fill("Transparency")
    page.get_by_label("Summary", exact=True).fill("Make decisions in the open.")
    page.get_by_role("textbox", name="Text", exact=True).fill("We recommend open minutes.")
    # The live preview follows the typing.
    expect(page.locator("#preview")).to_contain_text("We recommend open minutes.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transparency")

    bodies = [
        "We recommend open minutes for every meeting.",
        "We recommend open minutes for every meeting, published within a week.",
        "We recommend open minutes, published within a week.",
    ]
    for number, body in enumerate(bodies, start=2):
        page.get_by_role("link", name="Edit", exact=True).click()
        page.get_by_role("textbox", name="Text", exact=True).fill(body)
        save(page, f"Edit {number}")
    expect(page.locator(".prose")).to_have_text(bodies[-1])

    page.get_by_role("link", name="History").click()
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Edit 4")
    expect(rows.first).to_contain_text("Mei Lin")
    shot("history")

    page.get_by_label("Compare from revision 1").check()
    page.get_by_label("Compare to revision 3").check()
    page.get_by_role("button", name="Compare the chosen revisions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revision 1 against revision 3")
    diff = page.locator("section.diff").filter(has_text="Text").locator("pre")
    expect(diff.locator("ins")).to_contain_text(["for every meeting, published within a week."])
    shot("diff")

    page.goto(page.url.split("/diff/")[0] + "/revisions/2/")
    page.get_by_role("button", name="Restore revision 2").click()
    expect(page.get_by_role("status")).to_contain_text("Revision 2 restored as a new revision")
    expect(page.locator("table.history tbody tr")).to_have_count(5)
    expect(page.locator("table.history tbody tr").first).to_contain_text("Restored revision 2")
    recommendation = Recommendation.objects.get(title_en="Transparency")
    assert recommendation.body_en == bodies[0]
    assert recommendation.history.count() == 5


def test_two_members_edit_at_once_and_no_word_is_lost(
    browser, live_server, shot, working_group, login_as, context
):
    """Kofi and Mei open the same draft; Mei is told Kofi has it open. Kofi saves first,
    changing the first paragraph; Mei's save, changing the second, is merged with his
    without a conflict screen, and its revision says so."""
    from django.test import Client

    from tests.factories import MembershipFactory, UserFactory
    from tests.factories import recommendation as make

    kofi = UserFactory(first_name="Kofi", last_name="Mensah")
    MembershipFactory(user=kofi, working_group=working_group)
    draft = make(working_group, kofi, body="First paragraph.\n\nSecond paragraph.\n")

    def signed_in(user):
        ctx = browser.new_context(base_url=live_server.url)
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        ctx.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        return ctx.new_page()

    kofi_page = signed_in(kofi)
    kofi_page.goto(reverse("recommendations:edit", args=[draft.pk]))
    mei = login_as("member", group=working_group, first_name="Mei", last_name="Lin")
    mei_page = context.new_page()
    mei_page.goto(reverse("recommendations:edit", args=[draft.pk]))
    expect(mei_page.locator("#editing-notice")).to_contain_text(
        "Kofi Mensah has had this draft open for editing since"
    )
    shot("presence", target=mei_page)

    kofi_page.get_by_role("textbox", name="Text", exact=True).fill(
        "First paragraph, as Kofi wrote it.\n\nSecond paragraph.\n"
    )
    save(kofi_page)
    mei_page.get_by_role("textbox", name="Text", exact=True).fill(
        "First paragraph.\n\nSecond paragraph, as Mei wrote it.\n"
    )
    mei_page.get_by_role("button", name="Save", exact=True).click()

    # They changed different paragraphs: her save is merged with his, without asking.
    expect(mei_page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    expect(mei_page.locator(".prose")).to_contain_text("First paragraph, as Kofi wrote it.")
    expect(mei_page.locator(".prose")).to_contain_text("Second paragraph, as Mei wrote it.")
    shot("merged", target=mei_page)

    draft.refresh_from_db()
    assert "as Kofi wrote it" in draft.body_en
    assert "as Mei wrote it" in draft.body_en
    assert [r.history_user for r in draft.history.all()[:2]] == [mei, kofi]
    assert draft.history.first().history_change_reason == "Merged with the changes of Kofi Mensah"
    kofi_page.context.close()


def test_overlapping_edits_keep_both_versions_until_resolved(
    page, context, login_as, working_group, shot
):
    from recommendations import selectors, services
    from tests.factories import UserFactory
    from tests.factories import recommendation as make

    other = UserFactory(first_name="Kofi")
    draft = make(working_group, other, body="We recommend a hub.\n")
    base = selectors.revision_latest(recommendation=draft).history_id
    login_as("member", group=working_group)
    page.goto(reverse("recommendations:edit", args=[draft.pk]))
    services.recommendation_update(
        recommendation=draft,
        user=other,
        title=draft.title_en,
        summary=draft.summary_en,
        body="We recommend a global hub.\n",
        base_revision=base,
    )
    page.get_by_role("textbox", name="Text", exact=True).fill("We recommend a regional hub.\n")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("In 1 place you both changed the same words")
    text = page.get_by_role("textbox", name="Text", exact=True)
    # Whole lines between the markers, each marker on a line of its own.
    expect(text).to_have_value(
        re.compile(
            r"^<<<<<<< [^\n]+\nWe recommend a global hub\.\n=======\n"
            r"We recommend a regional hub\.\n>>>>>>> [^\n]+\n$"
        )
    )
    # What differs between their text and hers is marked.
    expect(page.locator("pre.diff-text del")).to_have_text("global")
    expect(page.locator("pre.diff-text ins")).to_have_text("regional")
    page.get_by_role("button", name="Save the merge").click()
    expect(page.locator(".errors")).to_contain_text("conflict markers")
    # The text with its markers is still there to finish, beside both texts, and the
    # error is said once, under one id.
    expect(text).to_have_value(re.compile("regional"))
    expect(page.get_by_role("heading", name="Their text (saved)")).to_be_visible()
    expect(page.locator("pre[data-yours=body]")).to_have_text("We recommend a regional hub.\n")
    expect(page.locator('[id="id_body_error"]')).to_have_count(1)
    expect(page.get_by_text("The text still has conflict markers")).to_have_count(1)
    shot("refused-merge")
    text.fill("We recommend a global and regional hub.\n")
    page.get_by_role("button", name="Save the merge").click()
    expect(page.locator(".prose")).to_have_text("We recommend a global and regional hub.")


def test_member_reads_every_recommendation_of_a_large_group(page, login_as, working_group):
    """The workspace shows a group's first 50 recommendations; the rest are a click away,
    page by page."""
    from tests.factories import recommendation as make

    member = login_as("member", group=working_group)
    for position in range(1, 56):
        made = make(working_group, member, title=f"Item {position}")
        Recommendation.objects.filter(pk=made.pk).update(rank=position)
    page.goto(reverse("workspace"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(50)
    page.get_by_role("link", name=f"All 55 recommendations of {working_group.name}").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Item 51")
    page.get_by_role("link", name="All my groups").click()
    expect(rows).to_have_count(50)


def test_a_text_over_the_size_limit_is_refused_with_one_error(
    page, login_as, working_group, settings
):
    """The probe: the error showed twice, in the form and in the live preview, both with
    id="id_body_error"."""
    from tests.factories import recommendation as make

    settings.RECOMMENDATION_BODY_LIMIT_KB = 1
    user = login_as("member", group=working_group)
    draft = make(working_group, user)
    page.goto(reverse("recommendations:edit", args=[draft.pk]))
    page.get_by_role("textbox", name="Text", exact=True).fill("A long text. " * 200)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".field-error .errors")).to_contain_text("the limit is 1 KB")
    page.wait_for_load_state("networkidle")
    expect(page.locator('[id="id_body_error"]')).to_have_count(1)
    expect(page.get_by_text("the limit is 1 KB")).to_have_count(1)


def test_a_coordinator_ranks_and_the_workspace_tells_rank_from_number(
    page, login_as, working_group, shot
):
    """The ranking page and the workspace agree: the first ranked reads "#1" under "Rank",
    apart from its number ("3. Transparency"), and one left out of the ranking reads "not
    ranked"; on a phone, where the columns stack, the cell itself says "Rank #1"."""
    from tests.browser.accessibility import axe_violations
    from tests.factories import recommendation as make

    coordinator = login_as("coordinator", group=working_group)
    for title in ("Accountability", "Open minutes", "Transparency"):
        make(working_group, coordinator, title=title)
    page.goto(reverse("recommendations:ranking", args=[working_group.slug]))
    page.get_by_role("spinbutton", name="Rank 3. Transparency").fill("1")
    page.get_by_role("spinbutton", name="Rank 1. Accountability").fill("2")
    page.get_by_role("spinbutton", name="Rank 2. Open minutes").fill("")
    page.get_by_role("button", name="Save the ranking").click()
    expect(page.get_by_role("status")).to_contain_text("Ranking saved")
    expect(page.get_by_role("spinbutton", name="Rank 3. Transparency")).to_have_value("1")
    assert axe_violations(page) == []
    shot("ranking")

    page.goto(reverse("workspace"))
    rows = page.locator("table tbody tr")
    expect(rows.nth(0).locator("td").first).to_have_text("#1", use_inner_text=True)
    expect(rows.nth(0).get_by_role("rowheader")).to_have_text("3. Transparency")
    expect(rows.nth(1).locator("td").first).to_have_text("#2", use_inner_text=True)
    expect(rows.nth(2).locator("td").first).to_have_text("not ranked", use_inner_text=True)
    expect(page.get_by_role("columnheader", name="Rank")).to_be_visible()
    assert axe_violations(page) == []
    shot("workspace-ranks")
    page.set_viewport_size({"width": 390, "height": 800})
    expect(rows.nth(0).locator("td").first).to_have_text("Rank #1", use_inner_text=True)
    expect(rows.nth(2).locator("td").first).to_have_text("Rank: not ranked", use_inner_text=True)
    shot("workspace-ranks-phone")
