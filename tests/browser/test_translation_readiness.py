"""A proofreader of Chinese marks Chinese ready for an iteration: refused, with the reason,
while a draft waits for proofreading; once they have proofread it, marked; and the public
iteration page, which a reader had open (and the page cache kept), then says that the
Chinese translation is ready."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recommendations import services
from recommendations.text import translation_units
from strategy.accounts.services import user_proofread_languages_set, user_translator_languages_set
from tests.factories import CoreTeamFactory, UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.browser


def test_a_proofreader_marks_chinese_ready_and_the_public_page_says_so(
    transactional_db, page, open_as, working_group, user, shot
):
    second = iteration("second", "Second iteration")
    hub = make(working_group, user, title="Advocacy hub", body="It coordinates campaigns.\n")
    services.recommendation_publish(recommendation=hub, user=user, iteration=second)
    hub.refresh_from_db()
    source = services.source_text(hub.published_version.revision)
    services.translation_save(
        recommendation=hub,
        user=CoreTeamFactory(),
        language="zh-hans",
        source=source,
        translations={key: f"译 {key}" for key, _text in translation_units.units(source)},
    )
    volunteer = UserFactory()
    user_translator_languages_set(user=volunteer, languages=["zh-hans"])
    services.translation_draft_save(
        recommendation=hub,
        user=volunteer,
        language="zh-hans",
        source=source,
        translations={"title": "倡导中心"},
    )
    proofreader = UserFactory()
    user_proofread_languages_set(user=proofreader, languages=["zh-hans"])

    # A reader has the iteration's page open: no translation is ready yet.
    public_url = reverse("public:iteration", args=[second.slug])
    page.goto(public_url)
    expect(page.locator(".translations-ready")).to_have_count(0)

    other = open_as(proofreader)
    other.goto(reverse("translations:iteration_files", args=[second.slug, "zh-hans"]))
    counts = other.locator(".iteration-language-counts")
    expect(counts.locator('[data-count="drafts"]')).to_have_text("1 draft waiting for proofreading")
    mark = other.get_by_role("button", name="Mark Simplified Chinese ready for Second iteration")
    mark.click()
    expect(other.locator(".messages")).to_contain_text(
        "Simplified Chinese cannot be marked ready for Second iteration yet. "
        "1 draft is waiting for proofreading."
    )
    expect(other.locator(".iteration-language")).to_contain_text("Not marked ready.")

    # They proofread the draft, and mark the language ready.
    other.goto(reverse("translations:edit", args=[hub.pk, "zh-hans"]))
    other.get_by_label("Proofread: Title is ready").check()
    other.get_by_role("button", name="Mark the checked drafts ready").click()
    expect(other.locator(".messages")).to_contain_text("1 unit proofread and public.")
    other.goto(reverse("translations:iteration_files", args=[second.slug, "zh-hans"]))
    expect(counts.locator('[data-count="drafts"]')).to_have_text(
        "0 drafts waiting for proofreading"
    )
    mark.click()
    expect(other.locator(".messages")).to_contain_text(
        "Simplified Chinese is marked ready for Second iteration."
    )
    expect(other.locator('.iteration-language [data-readiness="ready"]')).to_be_visible()
    shot("marked-ready", other)

    # The reader's page, loaded again, says so.
    page.reload()
    ready = page.locator(".translations-ready")
    expect(ready).to_contain_text("Translations ready:")
    expect(ready.locator('[lang="zh-hans"]')).to_have_text("简体中文")
    shot("public-ready")
