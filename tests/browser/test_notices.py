import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from strategy import notices
from strategy.models import Delivery, Topic

pytestmark = pytest.mark.browser


def test_member_changes_a_preference_and_unsubscribes_from_a_message(
    page, login_as, working_group, mailoutbox, browser, live_server, shot
):
    member = login_as("member", group=working_group, first_name="Mei", last_name="Lin")
    page.goto(reverse("notices:preferences"))
    page.locator("input[name=reviews][value=digest]").check()
    page.get_by_label("Language of notices").select_option("zh-hans")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your preferences are saved.")
    shot("preferences")
    assert notices.delivery_for(user=member, topic=Topic.REVIEWS) == Delivery.DIGEST

    # A milestone notice arrives, by e-mail and in the list.
    notices.notice_create(
        key="browser-test",
        recipient=member,
        topic=Topic.MILESTONES,
        kind="milestone.today",
        template="timeline/notices/milestone_today",
        context={
            "milestone": {"title": "Harmonization Sprint", "description": ""},
            "group": working_group,
        },
        url="/timeline/",
    )
    page.goto("/")
    expect(page.locator(".badge")).to_have_text("1")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/notifications/unsubscribe/\S+/", mailoutbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    # The link works without signing in.
    stranger = browser.new_context(base_url=live_server.url).new_page()
    stranger.goto(path)
    stranger.get_by_role("button").filter(has_text=re.compile(".")).last.click()
    expect(stranger.get_by_role("status")).to_be_visible()
    shot("unsubscribed", target=stranger)
    assert notices.delivery_for(user=member, topic=Topic.MILESTONES) == Delivery.OFF
    assert notices.delivery_for(user=member, topic=Topic.REVIEWS) == Delivery.DIGEST
    stranger.context.close()

    page.goto(reverse("notices:list"))
    page.get_by_role("button", name=re.compile("Harmonization Sprint")).click()
    expect(page).to_have_url(re.compile(r"/timeline/$"))
    expect(page.locator(".badge")).to_have_count(0)
