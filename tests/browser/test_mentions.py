"""@mentions in the browser: a reviewer types "@" and letters in a reply, picks a member of
the group from the list by keyboard and posts; the member finds the mention in her
notifications, and its e-mail names the place."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Role
from recommendations import services
from recommendations.models import ReviewAssignment
from strategy import notices
from strategy.models import Notice
from tests.browser.accessibility import axe_violations
from tests.factories import MembershipFactory, UserFactory, review_version

pytestmark = pytest.mark.browser


def test_a_reviewer_mentions_a_member_by_keyboard_and_she_is_told_once(
    page, open_as, working_group, working_group_factory, mailoutbox, shot
):
    mei = UserFactory(username="mei", first_name="Mei", last_name="Lin")
    MembershipFactory(user=mei, working_group=working_group, role=Role.MEMBER)
    meir = UserFactory(username="meir", first_name="Meir", last_name="Cohen")
    MembershipFactory(user=meir, working_group=working_group, role=Role.MEMBER)
    # Matches the letters, but may not read the version: never listed.
    UserFactory(username="meiling", first_name="Meiling")
    reviewer = UserFactory(username="rania", first_name="Rania", last_name="Haddad")
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    version = review_version(working_group, mei, title="Transparency")
    ReviewAssignment.objects.create(
        version=version, reviewer=reviewer, assigned_by=mei, due_on=date(2030, 1, 10)
    )
    thread = services.thread_start(version=version, user=mei, body="Is the scope right?")

    reviewing = open_as(reviewer)
    reviewing.goto(thread.get_absolute_url())
    box = reviewing.get_by_role("textbox", name="Comment", exact=True)
    box.click()
    box.press_sequentially("Agreed with @me")
    choices = reviewing.get_by_role("listbox", name="People to mention")
    options = choices.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Mei Lin")
    expect(options.nth(1)).to_contain_text("Meir Cohen")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-controls", choices.get_attribute("id"))
    expect(reviewing.locator(".mentions-list")).to_be_visible()
    shot("mention-choices", reviewing)
    assert axe_violations(reviewing, "#reply") == []
    # Down to Meir, Up back to Mei, Enter inserts her username.
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("Enter")
    expect(box).to_have_value("Agreed with @mei ")
    expect(reviewing.locator(".mentions-list")).to_be_hidden()
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    # Escape closes a list opened again, and leaves the text as typed.
    box.press_sequentially("and @ra")
    expect(options).to_have_count(1)
    box.press("Escape")
    expect(reviewing.locator(".mentions-list")).to_be_hidden()
    expect(box).to_have_value("Agreed with @mei and @ra")
    # A letter more opens it again; Tab inserts too.
    box.press_sequentially("n")
    expect(options).to_have_count(1)
    box.press("Tab")
    expect(box).to_have_value("Agreed with @mei and @rania ")
    expect(box).to_be_focused()
    box.press_sequentially("too.")
    reviewing.get_by_role("button", name="Reply").click()
    reply = thread.comments.get(author=reviewer)
    expect(reviewing.locator(f"#comment-{reply.pk} .mention")).to_have_text(["@mei", "@rania"])

    # One notice for Mei, the mention (not the reply as well); none for who wrote it.
    assert list(Notice.objects.filter(recipient=mei).values_list("kind", flat=True)) == [
        "comment.mention"
    ]
    assert not Notice.objects.filter(recipient=reviewer).exists()
    later = timezone.now() + timedelta(hours=1)
    for recipient_id, gather_key in notices.notices_gathering_due(now=later):
        notices.notices_gather(recipient_id=recipient_id, gather_key=gather_key, now=later)
    (mail,) = [message for message in mailoutbox if message.to == [mei.email]]
    assert mail.subject == "Rania Haddad mentioned you in a comment on 1. Transparency"
    assert 'in a comment on "Review 1" of 1. Transparency' in mail.body
    assert f"/threads/{thread.pk}/#comment-{reply.pk}" in mail.body
    assert "/notifications/unsubscribe/" in mail.body

    reading = open_as(mei)
    reading.goto(reverse("notices:list"))
    notice = reading.get_by_role(
        "button", name=re.compile("Rania Haddad mentioned you in a comment on 1. Transparency")
    )
    expect(notice).to_be_visible()
    shot("mention-notified", reading)
    notice.click()
    expect(reading).to_have_url(re.compile(rf"/threads/{thread.pk}/#comment-{reply.pk}$"))
