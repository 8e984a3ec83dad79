from datetime import date

import pytest
from playwright.sync_api import expect

from groups.models import Role
from recommendations import services
from recommendations.models import Suggestion
from tests.factories import MembershipFactory, UserFactory, iteration, review_version

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


ARABIC = "نوصي بنشر محاضر مفتوحة لكل اجتماع.\n\nكل مجموعة تنشر ملخصا شهريا.\n"


def test_a_community_member_suggests_on_the_public_page_and_sees_the_outcome_there(
    open_as, working_group, shot
):
    """Someone signed in with no role selects Arabic words of a published iteration on its
    public page and suggests others; a member of the group accepts them with changes on
    the version's page; the public page shows the outcome, the words taken and why."""
    member = UserFactory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=member, working_group=working_group)
    reader = UserFactory(first_name="Nour", last_name="Said")
    version = review_version(working_group, member, title="الشفافية", body=ARABIC)
    published = services.recommendation_publish(
        recommendation=version.recommendation, user=member, iteration=iteration()
    )
    draft = version.recommendation
    public_url = draft.get_public_url()

    reader_page = open_as(reader)
    reader_page.goto(public_url)
    reader_page.wait_for_load_state()
    assert reader_page.evaluate(SELECT, "محاضر مفتوحة")
    reader_page.get_by_role("button", name="Suggest a change", exact=True).click()
    form = reader_page.locator("#suggestion-form")
    expect(form.get_by_label("Passage to replace")).to_have_value("محاضر مفتوحة")
    form.get_by_label("Your words").fill("محاضر علنية")
    form.get_by_label("Why").fill("كل الناس تقدر تقراها.")
    form.get_by_role("button", name="Suggest", exact=True).click()
    expect(reader_page.get_by_text("Suggestion made.")).to_be_visible()
    made = Suggestion.objects.get(version=published)
    assert made.author == reader
    row = reader_page.locator(f"#public-suggestion-{made.pk}")
    expect(row.locator("del")).to_have_text("محاضر مفتوحة")
    expect(row.locator("ins")).to_have_text("محاضر علنية")
    expect(row).to_contain_text("Open")

    # A member of the group accepts it with other words, on the version's page.
    member_page = open_as(member)
    member_page.goto(published.get_absolute_url())
    entry = member_page.locator(f"#suggestion-{made.pk}")
    expect(entry.locator("del")).to_have_text("محاضر مفتوحة")
    entry.get_by_label("Accept with changes").check()
    entry.get_by_label("The words, as accepted").fill("محاضر علنية كاملة")
    entry.get_by_label("Why").fill("كلمة أوضح.")
    entry.get_by_role("button", name="Decide").click()
    expect(member_page.get_by_text("Suggestion accepted")).to_be_visible()
    draft.refresh_from_db()
    assert "نوصي بنشر محاضر علنية كاملة لكل اجتماع." in draft.body
    assert draft.history.latest().history_change_reason == (
        f"Suggestion {made.pk} accepted (Nour Said, on {published.name})"
    )

    # The community member sees the outcome on the public page.
    reader_page.goto(public_url)
    row = reader_page.locator(f"#public-suggestion-{made.pk}")
    expect(row).to_contain_text("Accepted with changes")
    expect(row).to_contain_text("محاضر علنية كاملة")
    expect(row).to_contain_text("كلمة أوضح.")
    shot("public-outcome", reader_page)


CHINESE = "我们建议设立一个全球中心来协调倡导工作。\n\n资金跟随做这项工作的人员。\n"


def test_a_reviewer_selects_chinese_words_and_the_member_accepts_them(
    open_as, working_group, working_group_factory, shot
):
    """Chinese has no spaces between words: a reviewer selects a few characters in the
    middle of a sentence, the form takes them as they are, the server anchors them, and
    the member's accepting puts the new words into the draft."""
    member = UserFactory(first_name="Mei", last_name="Lin")
    MembershipFactory(user=member, working_group=working_group)
    reviewer = UserFactory(first_name="Wei", last_name="Zhang")
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    version = review_version(working_group, member, title="倡导中心", body=CHINESE)
    services.assignment_create(
        version=version, reviewer=reviewer, assigned_by=None, due_on=date(2030, 1, 1)
    )
    draft = version.recommendation

    reviewer_page = open_as(reviewer)
    reviewer_page.goto(version.get_absolute_url())
    reviewer_page.wait_for_load_state()
    assert reviewer_page.evaluate(SELECT, "全球中心")
    reviewer_page.get_by_role("button", name="Suggest a change", exact=True).click()
    form = reviewer_page.locator("#suggestion-form")
    expect(form.get_by_label("Passage to replace")).to_have_value("全球中心")
    form.get_by_label("Your words").fill("区域中心网络")
    form.get_by_label("Why").fill("更贴近各地的人。")
    form.get_by_role("button", name="Suggest", exact=True).click()
    expect(reviewer_page.get_by_text("Suggestion made.")).to_be_visible()
    made = Suggestion.objects.get(version=version)
    assert (made.quote, made.replacement) == ("全球中心", "区域中心网络")
    assert made.quote_start == CHINESE.index("全球中心")
    entry = reviewer_page.locator(f"#suggestion-{made.pk}")
    expect(entry.locator("del")).to_have_text("全球中心")
    expect(entry.locator("ins")).to_have_text("区域中心网络")
    expect(entry).to_contain_text("line 1")
    expect(reviewer_page.locator("#version-body del.suggested")).to_have_text("全球中心")
    shot("suggested-chinese", reviewer_page)

    member_page = open_as(member)
    member_page.goto(version.get_absolute_url())
    entry = member_page.locator(f"#suggestion-{made.pk}")
    entry.get_by_label("Accept", exact=True).check()
    entry.get_by_role("button", name="Decide").click()
    expect(member_page.get_by_text("Suggestion accepted")).to_be_visible()
    draft.refresh_from_db()
    assert "我们建议设立一个区域中心网络来协调倡导工作。" in draft.body
    assert "资金跟随做这项工作的人员。" in draft.body
    assert draft.history.latest().history_change_reason == (
        f"Suggestion {made.pk} accepted (Wei Zhang, on Review 1)"
    )
