"""A signed-in community member volunteers for Chinese on their profile; the published
recommendation's page then has a "Translate" link for them, the translators' home lists
its missing units, they translate two and save them as drafts (nothing public yet). A
second volunteer for Chinese proofreads one and marks it ready: the public page in Chinese
shows it, and the progress shown changes. The proofreader then translates the heading in
their own tool: they download the PO file and upload it back, and it is a draft. A
volunteer takes a whole iteration's file down and back, and sees its report once."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recommendations import services
from recommendations.models import (
    Iteration,
    TranslationDraft,
    TranslationMemory,
    TranslationProgress,
)
from strategy.accounts.services import user_translator_languages_set
from tests.factories import UserFactory, iteration
from tests.factories import recommendation as make

pytestmark = pytest.mark.browser


def test_a_volunteer_for_chinese_finds_and_translates_a_published_recommendation(
    transactional_db, page, login_as, open_as, working_group, user, shot
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
    TranslationMemory.objects.create(
        language="zh-hans",
        source="It coordinates the campaigns.",
        source_fingerprint="0" * 16,
        translation="它协调各项活动。",
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
    # The memory offers how similar text was translated before; one click inserts it.
    memory = page.locator(".translation-row").nth(3).locator(".memory")
    expect(memory).to_contain_text("It coordinates the campaigns.")
    memory.get_by_role("button", name="Insert").click()
    expect(page.get_by_label("Translation of Paragraph 2")).to_have_value("它协调各项活动。")
    expect(page.get_by_label("Translation of Paragraph 2")).to_be_focused()
    page.get_by_role("button", name="Save the translation").click()
    expect(page.locator(".messages")).to_contain_text("Translation saved as a draft")
    expect(page.locator(".draft-mark")).to_have_count(2)
    # Their own drafts are not theirs to mark ready.
    expect(page.locator('input[name="ready"]')).to_have_count(0)
    expect(page.locator("p.meta").first).to_contain_text("0% translated")

    # Nothing public yet: the Chinese page shows the source title.
    page.goto("/zh-hans" + hub.get_public_url())
    expect(page.locator("h1")).to_contain_text("Advocacy hub")

    # A second volunteer for Chinese proofreads the title and marks it ready.
    proofreader = UserFactory()
    user_translator_languages_set(user=proofreader, languages=["zh-hans"])
    other = open_as(proofreader)
    other.goto(f"/workspace/translations/{hub.pk}/zh-hans/")
    expect(other.get_by_label("Translation of Title")).to_have_value("倡导中心")
    expect(other.locator(".draft-mark").first).to_contain_text("waiting for proofreading")
    other.get_by_label("Proofread: Title is ready").check()
    shot("proofreading", other)
    other.get_by_role("button", name="Mark the checked drafts ready").click()
    expect(other.locator(".messages")).to_contain_text("1 unit proofread and public.")
    expect(other.locator(".draft-mark")).to_have_count(1)
    expect(other.locator("p.meta").first).to_contain_text("25% translated")

    # The public page, in Chinese, now shows the proofread title, and only it.
    page.goto("/zh-hans" + hub.get_public_url())
    expect(page.locator("h1")).to_contain_text("倡导中心")
    expect(page.locator(".prose")).not_to_contain_text("它协调各项活动。")
    shot("public")

    page.goto(f"/workspace/translations/{hub.pk}/zh-hans/")
    page.get_by_role("link", name="Translations").last.click()
    expect(progress).to_contain_text("25% translated (1 of 4 units)")
    expect(page.locator("#missing")).to_contain_text("3 of 4 units missing")
    shot("progress")
    stored = TranslationProgress.objects.get(recommendation=hub, language="zh-hans")
    assert (stored.translated, stored.total) == (1, 4)
    person.refresh_from_db()
    assert person.translates_into == ["zh-hans"]

    # The proofreader translates the heading in their own tool: a PO file, down and back.
    other.goto(f"/workspace/translations/{hub.pk}/zh-hans/")
    with other.expect_download() as download:
        other.get_by_role("link", name="Download as PO").click()
    po = polib.pofile(Path(download.value.path()).read_text() + "\n")
    assert [entry.msgctxt for entry in po] == ["title", "summary", "body.0", "body.1"]
    assert po.find("Advocacy hub", by="msgid").msgstr == "倡导中心"
    po.find("body.0", by="msgctxt").msgstr = "## 为什么设立中心"
    other.get_by_label("Upload a translated PO or XLIFF file").set_input_files(
        files=[{"name": "hub.po", "mimeType": "text/plain", "buffer": str(po).encode()}]
    )
    other.get_by_role("button", name="Upload", exact=True).click()
    expect(other.locator(".messages")).to_contain_text("1 unit from the file saved as a draft")
    expect(other.get_by_label("Translation of Heading: Why a hub")).to_have_value(
        "## 为什么设立中心"
    )
    expect(other.locator(".draft-mark")).to_have_count(2)


def test_minor_and_real_changes_then_an_egyptian_arabic_po_round_trip(
    transactional_db, page, open_as, working_group, user, membership, shot
):
    """An editor fixes a typo marked minor: the Egyptian Arabic translation stays current
    once published again. A real change, published, outdates it and tells the translator,
    who downloads the PO file in the Egyptian Arabic pages, drops a link from the changed
    unit and uploads it: refused with the reason, nothing saved; with the link, saved."""
    from strategy.models import Notice

    hub = make(
        working_group,
        user,
        title="Advocacy hub",
        summary="A hub for campaigns.",
        body="We recommend a hub.\n\nIt co-ordinates [the campaigns](https://example.org/c).\n",
    )
    services.recommendation_publish(
        recommendation=hub, user=user, iteration=iteration("second", "Second iteration")
    )
    translator = UserFactory(first_name="Nour")
    user_translator_languages_set(user=translator, languages=["arz"])
    hub.refresh_from_db()
    services.translation_save(
        recommendation=hub,
        user=UserFactory(is_staff=True, is_superuser=True),
        language="arz",
        source=services.source_text(hub.published_version.revision),
        translations={"body.1": "بينسق [الحملات](https://example.org/c)."},
    )
    assert membership.user == user  # who edits the draft
    editor = open_as(user)
    translating = f"/workspace/translations/{hub.pk}/arz/"

    def edit(body, *, minor):
        editor.goto(reverse("recommendations:edit", args=[hub.pk]))
        editor.get_by_role("textbox", name="Text", exact=True).fill(body)
        if minor:
            editor.get_by_label("Minor edit").check()
        editor.get_by_role("button", name="Save", exact=True).click()
        expect(editor.get_by_role("status").filter(has_text="Saved")).to_be_visible()

    def publish(slug):
        made = iteration(slug, slug.title())
        made.position = Iteration.objects.count()
        made.save()
        services.recommendation_publish(recommendation=hub, user=user, iteration=made)

    # A typo, marked minor: still current, nobody told.
    edit(
        "We recommend a hub.\n\nIt coordinates [the campaigns](https://example.org/c).\n",
        minor=True,
    )
    publish("third")
    reader = open_as(translator)
    reader.goto(translating)
    expect(reader.locator(".translation-row.outdated")).to_have_count(0)
    assert not Notice.objects.filter(kind="translation.stale").exists()

    # A real change: outdated, and the translator is told.
    edit(
        "We recommend a hub.\n\nIt coordinates [the campaigns](https://example.org/c) "
        "and the training.\n",
        minor=False,
    )
    publish("fourth")
    reader.goto("/arz/workspace/notifications/")
    expect(reader.locator("main")).to_contain_text("Advocacy hub")
    reader.goto("/arz" + translating)
    expect(reader.locator(".translation-row.outdated")).to_have_count(1)
    shot("stale-arz", reader)

    # The PO file, in the Egyptian Arabic pages: the changed unit is fuzzy.
    with reader.expect_download() as download:
        reader.get_by_role("link", name="نزّلها كملف PO").click()
    po = polib.pofile(Path(download.value.path()).read_text() + "\n")
    changed = po.find("body.1", by="msgctxt")
    assert changed.fuzzy
    upload = reader.locator('input[name="translation_file"]')

    def send(text):
        changed.msgstr = text
        changed.flags = []
        upload.set_input_files(
            files=[{"name": "hub.po", "mimeType": "text/plain", "buffer": str(po).encode()}]
        )
        reader.get_by_role("button", name="ارفع", exact=True).click()

    send("بينسق الحملات والتدريب.")  # the link dropped
    expect(reader.locator(".messages")).to_contain_text("example.org/c")
    shot("refused-arz", reader)
    assert not TranslationDraft.objects.filter(recommendation=hub, language="arz").exists()
    send("بينسق [الحملات](https://example.org/c) والتدريب.")
    expect(reader.locator(".messages")).not_to_contain_text("example.org/c")
    draft = TranslationDraft.objects.get(recommendation=hub, language="arz", unit="body.1")
    assert draft.text == "بينسق [الحملات](https://example.org/c) والتدريب."


def test_the_core_team_assigns_a_proofreader_who_then_proofreads(
    transactional_db, page, login_as, open_as, working_group, user, shot
):
    """The core team assigns a volunteer to proofread Chinese in the admin's account page;
    another volunteer for Chinese is then no longer offered the draft, and the assigned
    proofreader finds it on the translators' home, marks it ready, and it is public. Their
    profile says which language they proofread."""
    hub = make(working_group, user, title="Advocacy hub", body="It coordinates campaigns.\n")
    services.recommendation_publish(
        recommendation=hub, user=user, iteration=iteration("second", "Second iteration")
    )
    hub.refresh_from_db()
    author = UserFactory()
    user_translator_languages_set(user=author, languages=["zh-hans"])
    services.translation_draft_save(
        recommendation=hub,
        user=author,
        language="zh-hans",
        source=services.source_text(hub.published_version.revision),
        translations={"title": "倡导中心"},
    )
    proofreader = UserFactory(first_name="Mei", last_name="Lin")
    bystander = UserFactory()
    user_translator_languages_set(user=bystander, languages=["zh-hans"])

    login_as("core_team")
    page.goto(f"/admin/strategy/user/{proofreader.pk}/change/")
    languages = page.locator("#id_proofread_languages")
    expect(languages.get_by_label("English")).to_have_count(0)
    languages.get_by_label("Simplified Chinese").check()
    shot("admin-proofreads")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    proofreader.refresh_from_db()
    assert proofreader.proofreads == ["zh-hans"]

    # The other volunteer for Chinese still reads the draft, and may no longer mark it.
    other = open_as(bystander)
    other.goto(f"/workspace/translations/{hub.pk}/zh-hans/")
    expect(other.locator(".draft-mark").first).to_contain_text("waiting for proofreading")
    expect(other.locator('input[name="ready"]')).to_have_count(0)
    expect(other.locator("p.meta").nth(1)).to_contain_text(
        "a proofreader the core team assigned to this language"
    )

    mei = open_as(proofreader)
    mei.goto("/accounts/profile/")
    expect(mei.locator("#proofreads")).to_contain_text("Simplified Chinese")
    mei.goto(reverse("translations:table"))
    waiting = mei.locator("#proofread")
    expect(waiting).to_contain_text("Advocacy hub")
    waiting.get_by_role("link", name=re.compile("Advocacy hub")).click()
    mei.get_by_label("Proofread: Title is ready").check()
    mei.get_by_role("button", name="Mark the checked drafts ready").click()
    expect(mei.locator(".messages")).to_contain_text("1 unit proofread and public.")
    page.goto("/zh-hans" + hub.get_public_url())
    expect(page.locator("h1")).to_contain_text("倡导中心")
    assert not TranslationDraft.objects.filter(recommendation=hub).exists()


def test_a_whole_iterations_file_down_and_back_shows_its_report_once(
    transactional_db, page, open_as, working_group, user, shot
):
    """A volunteer for Chinese downloads the whole iteration's PO file (streamed), translates
    two recommendations' titles in it and uploads it: the page they land on (a GET) reports
    what was saved by recommendation; reloading it sends nothing again and the report is
    gone. A file it cannot read stays on the upload's answer, with the reason."""
    second = iteration("second", "Second iteration")
    hub = make(working_group, user, title="Advocacy hub", body="It coordinates campaigns.\n")
    minutes = make(working_group, user, title="Open minutes", body="Every meeting.\n")
    for made in (hub, minutes):
        services.recommendation_publish(recommendation=made, user=user, iteration=second)
    translator = UserFactory()
    user_translator_languages_set(user=translator, languages=["zh-hans"])
    tab = open_as(translator)
    files_page = reverse("translations:iteration_files", args=["second", "zh-hans"])
    tab.goto(files_page)
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Download as PO").click()
    assert download.value.suggested_filename == "iteration-second-zh-hans.po"
    po = polib.pofile(Path(download.value.path()).read_text() + "\n")
    assert [entry.msgctxt for entry in po] == [
        f"{made.pk}:{unit}" for made in (hub, minutes) for unit in ("title", "summary", "body.0")
    ]
    po.find(f"{hub.pk}:title", by="msgctxt").msgstr = "倡导中心"
    po.find(f"{minutes.pk}:title", by="msgctxt").msgstr = "公开会议记录"
    upload = tab.get_by_label("Upload a translated PO or XLIFF file")
    upload.set_input_files(
        files=[{"name": "second.po", "mimeType": "text/plain", "buffer": str(po).encode()}]
    )
    tab.get_by_role("button", name="Upload", exact=True).click()
    report = tab.locator(".file-report")
    expect(report.locator(".file-report-recommendation")).to_have_count(2)
    expect(report).to_contain_text("1 unit from the file saved as a draft")
    assert tab.url.endswith(files_page)
    shot("iteration-file-report", tab)
    drafts = sorted(TranslationDraft.objects.values_list("recommendation_id", "text"))
    assert drafts == sorted([(hub.pk, "倡导中心"), (minutes.pk, "公开会议记录")])

    # Reloaded: nothing sent again, no report.
    tab.reload()
    expect(tab.get_by_role("heading", name="In your own translation tool")).to_be_visible()
    expect(tab.locator(".file-report")).to_have_count(0)
    assert sorted(TranslationDraft.objects.values_list("recommendation_id", "text")) == drafts

    # A file it cannot read: the reason, on the upload's answer; nothing saved.
    upload.set_input_files(
        files=[{"name": "second.po", "mimeType": "text/plain", "buffer": b"   "}]
    )
    tab.get_by_role("button", name="Upload", exact=True).click()
    expect(tab.get_by_role("alert")).to_contain_text("The file is empty.")
    expect(upload).to_have_attribute("aria-invalid", "true")
    assert TranslationDraft.objects.count() == 2
