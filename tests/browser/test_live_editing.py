"""Writing together, live (docs/live-editing.md): two people in one draft over the app's
ASGI server, each in a Chromium context of their own."""

import time

from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect
from pycrdt import Doc, Text, create_update_message

from groups.models import Role, WorkingGroup
from recommendations import selectors
from recommendations.models import RevisionCoauthor
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, WorkingGroupFactory
from tests.factories import recommendation as make

KOFI_WORDS = ["kofi-one", "kofi-two", "kofi-three", "kofi-four"]
MEI_WORDS = ["mei-one", "mei-two", "mei-three", "mei-four"]


def signed_in_page(browser, asgi_server, user):
    context = browser.new_context(base_url=asgi_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": asgi_server.url}])
    return context.new_page()


def editor_of(browser, asgi_server, draft, user):
    """`user`'s page on the draft's live editor, connected."""
    page = signed_in_page(browser, asgi_server, user)
    page.goto(reverse("recommendations:edit", args=[draft.pk]))
    expect(page.locator(".live-body .cm-content")).to_be_visible()
    return page


def body(page) -> str:
    return page.locator("textarea[name=body]").input_value()


def wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


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

    kofi_page, mei_page = (editor_of(browser, asgi_server, draft, person) for person in (kofi, mei))
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


def test_typing_offline_arrives_and_a_reader_changes_nothing(browser, asgi_server):
    """In a synthesis group, its writer and a core-team member edit the draft live. The
    writer's connection drops; what she types meanwhile appears for the other once she is
    back online, and in the revision written. A reviewer of the group reads the working
    copy but has no editor, and what their browser sends the room changes nothing."""
    synthesis = WorkingGroupFactory(kind=WorkingGroup.Kind.SYNTHESIS)
    amina = UserFactory(first_name="Amina", last_name="Haddad")
    MembershipFactory(user=amina, working_group=synthesis, role=Role.WRITER)
    lars = CoreTeamFactory(first_name="Lars", last_name="Berg")
    reviewer = UserFactory(first_name="Rui", last_name="Costa")
    MembershipFactory(user=reviewer, working_group=synthesis, role=Role.REVIEWER)
    draft = make(synthesis, amina, body="Synthesized paragraph.\n")
    amina_page, lars_page = (editor_of(browser, asgi_server, draft, p) for p in (amina, lars))
    expect(lars_page.locator("#live-people")).to_contain_text("Amina Haddad")

    amina_page.context.set_offline(True)
    amina_page.locator(".live-body .cm-line").first.click()
    amina_page.keyboard.press("End")
    amina_page.keyboard.type(" typed-while-offline")
    assert "typed-while-offline" in body(amina_page)
    time.sleep(1)
    assert "typed-while-offline" not in body(lars_page)
    amina_page.context.set_offline(False)
    assert wait_for(lambda: "typed-while-offline" in body(lars_page), 15), body(lars_page)
    assert body(lars_page) == body(amina_page)
    final = body(lars_page)
    assert wait_for(lambda: selectors.revision_latest(recommendation=draft).body == final, 15)

    # The reviewer reads the working copy; the editor is not theirs.
    reader = signed_in_page(browser, asgi_server, reviewer)
    response = reader.goto(reverse("recommendations:edit", args=[draft.pk]))
    assert response.status == 403
    reader.goto(draft.get_absolute_url())
    expect(reader.locator("body")).to_contain_text("Synthesized paragraph. typed-while-offline")
    # Their browser opens the room itself and sends a change: it is dropped.
    change = Doc()
    change["body"] = Text("reader-words ")
    message = list(create_update_message(change.get_update()))
    live_url = asgi_server.url.replace("http", "ws", 1) + f"/ws/recommendations/{draft.pk}/live/"
    sent = reader.evaluate(
        """([url, message]) => new Promise((resolve) => {
            const socket = new WebSocket(url);
            socket.binaryType = "arraybuffer";
            socket.onopen = () => {
                socket.send(new Uint8Array(message));
                setTimeout(() => { socket.close(); resolve(true); }, 500);
            };
            socket.onclose = () => resolve(false);
        })""",
        [live_url, message],
    )
    assert sent  # the room let them in, read-only
    time.sleep(1)
    assert "reader-words" not in body(lars_page)
    assert "reader-words" not in body(amina_page)
    assert "reader-words" not in selectors.revision_latest(recommendation=draft).body
    for page in (amina_page, lars_page, reader):
        page.context.close()


def typists(browser, asgi_servers, draft, people):
    """Each person's page, the nth on a server in turn, the cursor at the end of their own
    line (line n of the body)."""
    pages = []
    for number, person in enumerate(people):
        page = editor_of(browser, asgi_servers[number % len(asgi_servers)], draft, person)
        pages.append(page)
    for number, page in enumerate(pages):
        page.locator(".live-body .cm-line").nth(number).click()
        page.keyboard.press("End")
    return pages


def type_for(pages, seconds: float, words: dict[int, list[str]], *, during=None) -> None:
    """Everyone types a word in turn for `seconds`, each at the end of their line; `during`
    runs once, half-way through."""
    started = time.monotonic()
    count = len(words[0])
    while time.monotonic() - started < seconds:
        for number, page in enumerate(pages):
            word = f"p{number}w{count}"
            page.keyboard.type(f" {word}")
            words[number].append(word)
        count += 1
        if during is not None and time.monotonic() - started > seconds / 2:
            during()
            during = None


def everyone_holds(pages, words) -> str:
    """Wait until every page shows the same text holding every word typed; that text."""
    every = [word for typed in words.values() for word in typed]

    def converged():
        texts = {body(page) for page in pages}
        return len(texts) == 1 and all(f" {word}" in next(iter(texts)) for word in every)

    assert wait_for(converged, 30), [
        [w for w in every if f" {w}" not in body(page)] for page in pages
    ]
    return body(pages[0])


def revision_holds(draft, final: str) -> None:
    assert wait_for(lambda: selectors.revision_latest(recommendation=draft).body == final, 20), (
        selectors.revision_latest(recommendation=draft).body
    )


def test_five_people_type_at_once_for_ten_seconds(browser, asgi_server, working_group):
    """Five members type at once for ten seconds, each at the end of their own line: every
    page ends with the same text, holding every word each typed, and so does the revision
    written when they pause, by one of them with the four others as co-authors."""
    people = [UserFactory(first_name=f"Person{n}", last_name="Typist") for n in range(5)]
    for person in people:
        MembershipFactory(user=person, working_group=working_group)
    draft = make(working_group, people[0], body="".join(f"Line {n}.\n" for n in range(5)))
    pages = typists(browser, [asgi_server], draft, people)
    words = {number: [] for number in range(5)}
    type_for(pages, 10, words)
    final = everyone_holds(pages, words)
    for number in range(5):
        line = final.splitlines()[number]
        assert line == f"Line {number}." + "".join(f" {word}" for word in words[number])
    revision_holds(draft, final)
    latest = selectors.revision_latest(recommendation=draft)
    authors = {
        latest.history_user,
        *(c.user for c in RevisionCoauthor.objects.filter(revision=latest)),
    }
    assert authors <= set(people)
    for page in pages:
        page.context.close()


def test_a_server_restart_while_people_type_loses_no_word(browser, asgi_server, working_group):
    """Three members type; the server process stops, they go on typing while it is down,
    and it starts again while they type. Their browsers reconnect and merge what they hold
    with the room the new process opens (from the document the old one kept): no word is
    lost, none appears twice, and the revision holds them all."""
    people = [UserFactory(first_name=f"Person{n}", last_name="Typist") for n in range(3)]
    for person in people:
        MembershipFactory(user=person, working_group=working_group)
    draft = make(working_group, people[0], body="".join(f"Line {n}.\n" for n in range(3)))
    pages = typists(browser, [asgi_server], draft, people)
    words = {number: [] for number in range(3)}
    type_for(pages, 3, words, during=asgi_server.stop)
    type_for(pages, 2, words)  # while no server runs
    type_for(pages, 4, words, during=asgi_server.start)
    final = everyone_holds(pages, words)
    for number in range(3):
        assert final.splitlines()[number] == f"Line {number}." + "".join(
            f" {word}" for word in words[number]
        )
    revision_holds(draft, final)
    for page in pages:
        page.context.close()
    # The preview asked for while no server ran was refused, as it must be; nothing else.
    refused = f"failed to load {asgi_server.url}/workspace/preview/: net::ERR_CONNECTION_REFUSED"
    for report in browser.reports:
        report[:] = [problem for problem in report if problem != refused]


def test_two_processes_edit_one_document(browser, asgi_server, working_group, allowed_origins):
    """Two ASGI server processes share the Redis channel layer: Kofi on one and Mei on the
    other type into one draft at once, and both see one text holding both people's words,
    which the revision holds too."""
    from .asgi_server import AsgiServer

    assert "RedisChannelLayer" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    other = AsgiServer(environment={"LIVE_IDLE_SECONDS": "1.5"})
    other.start()
    allowed_origins.add(other.url)
    try:
        kofi = UserFactory(first_name="Kofi", last_name="Mensah")
        mei = UserFactory(first_name="Mei", last_name="Lin")
        for person in (kofi, mei):
            MembershipFactory(user=person, working_group=working_group)
        draft = make(working_group, kofi, body="Kofi's line.\nMei's line.\n")
        pages = typists(browser, [asgi_server, other], draft, [kofi, mei])
        assert pages[1].url.startswith(other.url)
        for page in pages:
            expect(page.locator("#live-people")).to_contain_text("Kofi Mensah")
            expect(page.locator("#live-people")).to_contain_text("Mei Lin")
        words = {0: [], 1: []}
        type_for(pages, 3, words)
        final = everyone_holds(pages, words)
        revision_holds(draft, final)
        for page in pages:
            page.context.close()
    finally:
        other.stop()


def test_a_member_removed_while_editing_is_told_and_changes_nothing(
    browser, asgi_server, working_group
):
    """Mei leaves the group while she and Kofi are in the draft: her connection is closed
    at once (the membership's change reaches the room through the layer), her page says
    she may no longer edit, and what she types after reaches nobody."""
    kofi = UserFactory(first_name="Kofi", last_name="Mensah")
    mei = UserFactory(first_name="Mei", last_name="Lin")
    for person in (kofi, mei):
        MembershipFactory(user=person, working_group=working_group)
    draft = make(working_group, kofi, body="Kofi's line.\nMei's line.\n")
    kofi_page, mei_page = typists(browser, [asgi_server], draft, [kofi, mei])
    expect(kofi_page.locator("#live-people")).to_contain_text("Mei Lin")
    mei_page.keyboard.type(" mei-before")
    assert wait_for(lambda: "mei-before" in body(kofi_page))

    mei.memberships.get(working_group=working_group).delete()
    expect(mei_page.locator("#live-refused")).to_be_visible()
    expect(kofi_page.locator("#live-people")).not_to_contain_text("Mei Lin")
    mei_page.keyboard.type(" mei-after")
    time.sleep(2)
    assert "mei-after" not in body(kofi_page)
    assert wait_for(lambda: "mei-before" in selectors.revision_latest(recommendation=draft).body)
    assert "mei-after" not in selectors.revision_latest(recommendation=draft).body
    for page in (kofi_page, mei_page):
        page.context.close()
