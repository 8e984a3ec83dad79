"""A signed-in community member volunteers for Chinese on their profile; the published
recommendation's page then has a "Translate" link for them, the translators' home lists
its missing units, they translate one and save, and the progress shown changes."""

import re

import pytest
from playwright.sync_api import expect

from recommendations import services
from recommendations.models import TranslationProgress
from tests.factories import iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.browser


def test_a_volunteer_for_chinese_finds_and_translates_a_published_recommendation(
    transactional_db, page, login_as, working_group, user, shot
):
    hub = make(
        working_group,
        user,
        title="Advocacy hub",
        summary="A hub for campaigns.",
        body="## Why a hub\n\nIt coordinates campaigns.\n",
    )
    services.recommendation_publish(
        recommendation=hub, user=user, iteration=iteration("second", "Second iteration")
    )
    person = login_as("community")

    # No way in before volunteering.
    page.goto(hub.get_public_url())
    expect(page.locator(".translate-links")).to_have_count(0)

    page.goto("/accounts/profile/")
    languages = page.get_by_role("group", name="Languages I translate into")
    languages.get_by_label("Simplified Chinese").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    expect(
        page.get_by_role("group", name="Languages I translate into").get_by_label(
            "Simplified Chinese"
        )
    ).to_be_checked()

    page.goto(hub.get_public_url())
    links = page.locator(".translate-links")
    expect(links).to_contain_text("Translate into:")
    expect(links.get_by_role("link", name="Simplified Chinese")).to_be_visible()
    expect(links.get_by_role("link", name="Egyptian Arabic")).to_have_count(0)
    shot("translate-link")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Translations").click()
    expect(page.get_by_role("heading", name="Translations", level=1)).to_be_visible()
    progress = page.locator('.translation-progress [data-language="zh-hans"]')
    expect(progress).to_contain_text("0% translated (0 of 4 units)")
    missing = page.locator("#missing")
    expect(missing).to_contain_text("Advocacy hub")
    expect(missing).to_contain_text("4 of 4 units missing")
    shot("home")

    missing.get_by_role("link", name=re.compile("Advocacy hub")).click()
    expect(page.locator(".unit-label").nth(2)).to_have_text("Heading: Why a hub")
    expect(page.locator(".unit-label").nth(3)).to_have_text("Paragraph 2")
    page.get_by_label("Translation of Title").fill("倡导中心")
    page.get_by_label("Translation of Paragraph 2").fill("它协调各项活动。")
    page.get_by_role("button", name="Save the translation").click()
    expect(page.locator(".messages")).to_contain_text("Translation saved.")
    expect(page.locator("p.meta").first).to_contain_text("50% translated")

    page.get_by_role("link", name="Translations").last.click()
    expect(progress).to_contain_text("50% translated (2 of 4 units)")
    expect(page.locator("#missing")).to_contain_text("2 of 4 units missing")
    shot("progress")
    stored = TranslationProgress.objects.get(recommendation=hub, language="zh-hans")
    assert (stored.translated, stored.total) == (2, 4)
    person.refresh_from_db()
    assert person.translates_into == ["zh-hans"]
