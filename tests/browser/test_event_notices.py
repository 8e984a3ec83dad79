import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from groups.models import Role
from recommendations import services
from recommendations.models import ReviewAssignment
from strategy import notices
from strategy.models import Delivery, Notice, Topic
from tests.factories import MembershipFactory, UserFactory, review_version

pytestmark = pytest.mark.browser


def test_a_member_chooses_no_email_for_replies_and_finds_the_reply_in_the_list(
    page, login_as, open_as, working_group, working_group_factory, mailoutbox, shot
):
    """Mei turns off e-mail for discussions on the grouped preferences page; a reviewer
    replies in the thread she started, in the browser; she gets no e-mail, and the
    notification in her list takes her to the reply."""
    mei = login_as("member", group=working_group, first_name="Mei", last_name="Lin")
    page.goto(reverse("notices:preferences"))
    discussions = page.get_by_role("region", name="Discussions")
    expect(discussions).to_be_visible()
    discussions.get_by_role("group", name="Comments, replies and resolved threads").get_by_label(
        "No e-mail (only in the list of notifications)"
    ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your preferences are saved.")
    shot("preferences-grouped")
    assert notices.delivery_for(user=mei, topic=Topic.COMMENTS) == Delivery.OFF
    assert notices.delivery_for(user=mei, topic=Topic.REVIEWS) == Delivery.IMMEDIATE

    reviewer = UserFactory(first_name="Rania", last_name="Haddad")
    MembershipFactory(user=reviewer, working_group=working_group_factory(), role=Role.REVIEWER)
    version = review_version(working_group, mei, title="Transparency")
    ReviewAssignment.objects.create(
        version=version, reviewer=reviewer, assigned_by=mei, due_on=date(2030, 1, 10)
    )
    thread = services.thread_start(version=version, user=mei, body="Is the scope right?")

    reviewer_page = open_as(reviewer)
    reviewer_page.goto(thread.get_absolute_url())
    reviewer_page.get_by_role("textbox", name="Comment", exact=True).fill("Narrow it to groups.")
    reviewer_page.get_by_role("button", name="Reply").click()
    expect(reviewer_page.locator(".comments")).to_contain_text("Narrow it to groups.")

    assert Notice.objects.get(recipient=mei).state == "off"
    assert mailoutbox == []
    page.goto(reverse("notices:list"))
    notice = page.get_by_role("button", name=re.compile("Rania Haddad replied in a thread"))
    expect(notice).to_be_visible()
    shot("reply-notified")
    notice.click()
    reply = thread.comments.get(author=reviewer)
    expect(page).to_have_url(re.compile(rf"/threads/{thread.pk}/#comment-{reply.pk}$"))
    expect(page.locator(f"#comment-{reply.pk}")).to_contain_text("Narrow it to groups.")
