import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Role
from recommendations.models import Recommendation, Thread
from tests.factories import MembershipFactory, UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.browser


def test_review_from_freeze_to_publication(
    open_as, page, login_as, browser, live_server, working_group, working_group_factory, shot
):
    """A coordinator freezes a version and assigns a reviewer; the reviewer selects a
    passage and comments; a member replies and resolves; the coordinator publishes the
    iteration; a newer version shows the earlier thread with its version."""
    second = iteration()
    member = UserFactory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=member, working_group=working_group)
    reviewer = UserFactory(first_name="Rania", last_name="Haddad")
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    draft = make(
        working_group,
        member,
        title="Transparency",
        body="We recommend open minutes for every meeting.\n\nEach group publishes a "
        "monthly summary.\n",
    )

    login_as("coordinator", group=working_group, first_name="Kofi", last_name="Mensah")
    page.goto(draft.get_absolute_url())
    page.get_by_label("Name of the snapshot").fill("Review 1")
    page.get_by_role("button", name="Freeze and submit for review").click()
    expect(page.get_by_text("Submitted for review: the snapshot is frozen.")).to_be_visible()
    page.get_by_label("Reviewer", exact=True).select_option(label=reviewer.display_name)
    page.get_by_label("Due on").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_label("Brief").fill("Is this feasible for small groups?")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("Rania Haddad is asked to review")

    # The reviewer finds the assignment, selects a passage and comments on it.
    reviewer_page = open_as(reviewer)
    reviewer_page.goto(reverse("reviews"))
    expect(reviewer_page.get_by_role("row").nth(1)).to_contain_text("Is this feasible")
    reviewer_page.get_by_role("button", name="Accept").click()
    reviewer_page.get_by_role("link", name=re.compile("Transparency")).click()
    # The selection is quoted by a deferred script: select once the page has loaded.
    reviewer_page.wait_for_load_state()
    reviewer_page.locator("#version-body p").first.select_text()
    quote = reviewer_page.get_by_label("Quoted passage")
    expect(quote).to_have_value("We recommend open minutes for every meeting.")
    reviewer_page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Every meeting, even small ones?"
    )
    reviewer_page.get_by_role("button", name="Add the comment").click()
    expect(reviewer_page.locator("blockquote")).to_have_text(
        "We recommend open minutes for every meeting."
    )
    # A second comment, pasted without selecting, stays open.
    reviewer_page.goto(draft.versions.get().get_absolute_url())
    reviewer_page.get_by_label("Quoted passage").fill("monthly summary")
    reviewer_page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Monthly is a lot of work."
    )
    reviewer_page.get_by_role("button", name="Add the comment").click()
    shot("reviewer-thread", target=reviewer_page)

    # A member of the group replies to the first thread and resolves it.
    member_page = open_as(member)
    member_page.goto(reverse("workspace"))
    member_page.get_by_role("link", name=re.compile("Transparency: Review 1")).last.click()
    member_page.get_by_role("textbox", name="Comment", exact=True).fill("Yes: small meetings too.")
    member_page.get_by_role("button", name="Reply").click()
    expect(member_page.locator(".comments")).to_contain_text("Yes: small meetings too.")
    member_page.get_by_label("Answered").check()
    member_page.get_by_label("Note").fill("Kept as it is; answered in the thread.")
    member_page.get_by_role("button", name="Resolve the thread").click()
    expect(member_page.locator(".state").first).to_have_text("Resolved: Answered")
    shot("resolved", target=member_page)

    # The coordinator publishes the iteration.
    page.goto(draft.get_absolute_url())
    page.get_by_label("Iteration").select_option(label=second.name)
    page.get_by_role("button", name="Publish", exact=True).click()
    # A thread is still open: publishing asks first, and goes on when confirmed.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Publish “Transparency” in {second.name}?"
    )
    expect(page.locator(".publish-warnings")).to_contain_text("1 review thread is still open.")
    shot("publish-warning")
    page.get_by_role("button", name="Publish anyway").click()
    expect(page.get_by_role("status")).to_contain_text("Published.")
    draft.refresh_from_db()
    assert draft.state == Recommendation.State.PUBLISHED
    assert draft.last_published_in == second

    # Edit and freeze again: the open thread of Review 1 shows on Review 2, still anchored.
    page.goto(reverse("recommendations:edit", args=[draft.pk]))
    page.get_by_role("textbox", name="Text", exact=True).fill(
        "We recommend open minutes for every meeting.\n\nEach group publishes a monthly "
        "summary, in two languages at least.\n"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_label("Name of the snapshot").fill("Review 2")
    page.get_by_role("button", name="Freeze and submit for review").click()
    earlier = page.locator("section").filter(has_text="Open threads from earlier versions")
    expect(earlier).to_contain_text("From Review 1")
    expect(earlier).to_contain_text("Monthly is a lot of work.")
    expect(earlier.locator(".anchor")).to_have_text("still anchored")
    expect(earlier).not_to_contain_text("Every meeting, even small ones?")
    shot("newer-version")
    assert Thread.objects.filter(status="resolved", outcome="answered").count() == 1

    # The reviewer, not assigned to Review 2 yet, follows her open thread there; the
    # coordinator asks Review 1's reviewers again in one step.
    newer = draft.versions.get(name="Review 2")
    reviewer_page.goto(newer.get_absolute_url())
    expect(
        reviewer_page.locator("section").filter(has_text="Open threads from earlier versions")
    ).to_contain_text("Monthly is a lot of work.")
    expect(page.get_by_text("No reviewer is assigned yet.")).to_be_visible()
    page.get_by_role("button", name="Request re-review from the same reviewers").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1 reviewer of Review 1 is asked to review this snapshot."
    )
    expect(page.locator(".assignments")).to_contain_text("Rania Haddad")
    assert newer.assignments.get().brief == "Is this feasible for small groups?"
    for other in (reviewer_page, member_page):
        other.context.close()


# The first text node of the element: its lines are numbered (recommendations/text/lines.py),
# so the words stand after the number's empty link.
SELECT = """([selector, start, end]) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const node = walker.nextNode();
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
}"""


def test_a_quote_is_whole_words_and_commented_passages_are_marked(
    page, login_as, working_group, shot
):
    """The probe: an accidental drag quoted "ho", and no commented passage was marked in
    the text."""
    from tests.factories import review_version

    coordinator = login_as("coordinator", group=working_group)
    version = review_version(
        working_group, coordinator, body="Who we are matters.\n\nFunding follows the people.\n"
    )
    page.goto(version.get_absolute_url())
    quote = page.get_by_label("Quoted passage")
    # "ho" of "Who": less than a word, so nothing is quoted.
    page.evaluate(SELECT, ["#version-body p", 1, 3])
    page.wait_for_timeout(200)
    expect(quote).to_have_value("")
    # "ho we ar": the whole words in it, "we".
    page.evaluate(SELECT, ["#version-body p", 1, 9])
    expect(quote).to_have_value("we")
    page.locator("#version-body p").nth(1).select_text()
    expect(quote).to_have_value("Funding follows the people.")
    page.get_by_role("textbox", name="Comment", exact=True).fill("Which people?")
    page.get_by_role("button", name="Add the comment").click()
    thread = version.threads.get()
    page.goto(version.get_absolute_url())
    marked = page.locator("#version-body mark.quoted")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text("Funding follows the people.")
    shot("marked-passage")
    marked.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(thread.get_absolute_url()) + "$"))


def test_earlier_replies_and_more_threads_come_in_place_with_focus_and_an_announcement(
    page, login_as, working_group, browser, live_server
):
    """On a version with 25 threads, one of 60 comments: "Show N earlier replies" brings
    them in place, 50 and then the other 6; "More threads" brings the next page of threads
    below the first. Focus moves to what came, the live region says it. Without script
    both links open the page that holds them."""
    from simple_history.utils import bulk_create_with_history

    from recommendations import services
    from recommendations.models import Comment
    from tests.factories import review_version

    coordinator = login_as("coordinator", group=working_group)
    version = review_version(working_group, coordinator, body="Funding follows the people.\n")
    long = services.thread_start(version=version, user=coordinator, body="The opening words")
    bulk_create_with_history(
        [Comment(thread=long, author=coordinator, body=f"Reply {n}") for n in range(59)],
        Comment,
    )
    for number in range(24):
        services.thread_start(version=version, user=coordinator, body=f"Thread {number}")
    page.goto(version.get_absolute_url())
    card = page.locator(f"#thread-{long.pk}")
    expect(card.locator(".comment")).to_have_count(4)
    card.get_by_role("link", name="Show 56 earlier replies").click()
    expect(card.locator(".comment")).to_have_count(54)
    expect(page.locator("[data-announce]")).to_have_text("50 earlier replies shown.")
    expect(card.locator(".comment").nth(1)).to_be_focused()
    expect(card.locator(".comment").nth(1)).to_contain_text("Reply 6")
    card.get_by_role("link", name="Show 6 earlier replies").click()
    expect(card.locator(".comment")).to_have_count(59 + 1)
    expect(card.get_by_role("link", name=re.compile("earlier repl"))).to_have_count(0)
    bodies = card.locator(".comment .prose").all_inner_texts()
    assert bodies == ["The opening words", *(f"Reply {n}" for n in range(59))]

    expect(page.locator("article.thread")).to_have_count(20)
    page.get_by_role("link", name="More threads (20 of 25 shown)").click()
    expect(page.locator("article.thread")).to_have_count(25)
    expect(page.locator("[data-announce]")).to_have_text("5 more threads shown.")
    expect(page.locator("article.thread").nth(20)).to_be_focused()
    expect(page.get_by_role("link", name=re.compile("More threads"))).to_have_count(0)

    # Without script, the links are pages.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies(page.context.cookies())
    plain = context.new_page()
    plain.goto(version.get_absolute_url())
    plain.get_by_role("link", name="More threads (20 of 25 shown)").click()
    expect(plain.locator("article.thread")).to_have_count(5)
    expect(plain).to_have_url(re.compile(r"\?page=2"))
    plain.goto(version.get_absolute_url())
    plain.get_by_role("link", name="Show 56 earlier replies").click()
    expect(plain).to_have_url(re.compile(re.escape(long.get_absolute_url()) + r"\?page=2$"))
    context.close()
