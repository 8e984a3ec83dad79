"""Writing together, live (docs/live-editing.md): two people in one draft over the app's
ASGI server, each in a Chromium context of their own."""

import time

from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from recommendations import selectors
from recommendations.models import RevisionCoauthor
from tests.factories import MembershipFactory, UserFactory
from tests.factories import recommendation as make

KOFI_WORDS = ["kofi-one", "kofi-two", "kofi-three", "kofi-four"]
MEI_WORDS = ["mei-one", "mei-two", "mei-three", "mei-four"]


def test_two_people_type_into_one_paragraph_at_once(browser, asgi_server, working_group, shot):
    """Kofi and Mei type into the same paragraph at the same time: each sees who is in the
    draft and ends with the same text, holding both people's words, and the revision
    written when they pause holds them too, by one of them with the other as co-author.
    Then Kofi saves with a summary."""
    kofi = UserFactory(first_name="Kofi", last_name="Mensah")
    mei = UserFactory(first_name="Mei", last_name="Lin")
    for person in (kofi, mei):
        MembershipFactory(user=person, working_group=working_group)
    draft = make(working_group, kofi, body="First paragraph.\n\nSecond paragraph.\n")

    def editor_of(user):
        context = browser.new_context(base_url=asgi_server.url, locale="en-GB")
        context.set_default_timeout(10_000)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": asgi_server.url}])
        page = context.new_page()
        page.goto(reverse("recommendations:edit", args=[draft.pk]))
        expect(page.locator(".live-body .cm-content")).to_be_visible()
        return page

    kofi_page, mei_page = editor_of(kofi), editor_of(mei)
    for page in (kofi_page, mei_page):
        expect(page.locator("#live-people")).to_contain_text("Kofi Mensah")
        expect(page.locator("#live-people")).to_contain_text("Mei Lin")
        expect(page.locator("#editing-notice")).to_be_hidden()
        # Both at the end of the first paragraph.
        page.locator(".live-body .cm-line").first.click()
        page.keyboard.press("End")
    for kofi_word, mei_word in zip(KOFI_WORDS, MEI_WORDS, strict=True):
        kofi_page.keyboard.type(f" {kofi_word}")
        mei_page.keyboard.type(f" {mei_word}")

    def body(page) -> str:
        return page.locator("textarea[name=body]").input_value()

    everyone = [*KOFI_WORDS, *MEI_WORDS]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if body(kofi_page) == body(mei_page) and all(w in body(kofi_page) for w in everyone):
            break
        time.sleep(0.1)
    final = body(kofi_page)
    assert final == body(mei_page)
    assert all(word in final for word in everyone), final
    assert final.endswith("\n\nSecond paragraph.\n")
    expect(mei_page.locator(".cm-ySelectionInfo").first).to_be_attached()
    shot("together", target=mei_page)

    # After 1.5 s of nobody typing, the room writes the revision.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        latest = selectors.revision_latest(recommendation=draft)
        if latest.body == final:
            break
        time.sleep(0.25)
    assert latest.body == final
    people = {
        latest.history_user,
        *(c.user for c in RevisionCoauthor.objects.filter(revision=latest)),
    }
    assert people == {kofi, mei}
    # "Save with a summary": the room writes the live text with it, and the page goes to
    # the draft.
    kofi_page.keyboard.type(" kofi-last")
    kofi_page.locator("[name=edit_summary]").fill("Both openings kept")
    kofi_page.get_by_role("button", name="Save", exact=True).click()
    expect(kofi_page).to_have_url(asgi_server.url + draft.get_absolute_url())
    latest = selectors.revision_latest(recommendation=draft)
    assert latest.history_change_reason == "Both openings kept"
    assert "kofi-last" in latest.body
    # Closed before the server stops, so that no page asks it for anything after.
    for page in (kofi_page, mei_page):
        page.context.close()
