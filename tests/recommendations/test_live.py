"""The live editor's room (recommendations/live/): who may open it, the y-websocket
protocol, merging, and the revisions it writes."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import reverse
from pycrdt import (
    Doc,
    Text,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
)

from groups.models import Role, WorkingGroup
from recommendations import selectors, services
from recommendations.live.consumers import MESSAGE_SAVE
from recommendations.live.room import document_change_to, document_text
from recommendations.live.routing import websocket_urlpatterns
from recommendations.models import RevisionCoauthor
from tests.factories import CoreTeamFactory, MembershipFactory, UserFactory, WorkingGroupFactory
from tests.factories import recommendation as make
from tests.processes import outside_event_loop

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(websocket_urlpatterns)


def in_thread(coroutine_function):
    return outside_event_loop(async_to_sync(coroutine_function))


def communicator(user, pk, path=None):
    made = WebsocketCommunicator(application, path or f"/ws/recommendations/{pk}/live/")
    made.scope["user"] = user
    return made


def update_of(doc: Doc, change) -> bytes:
    before = doc.get_state()
    change(doc)
    return doc.get_update(before)


async def synced(client: WebsocketCommunicator, doc: Doc) -> None:
    """Connect and take the room's state into `doc` (the server's step 1, then our step 1
    answered by its step 2)."""
    connected, _ = await client.connect()
    assert connected
    step1 = await client.receive_from()
    await client.send_to(bytes_data=create_sync_message(doc))
    reply = handle_sync_message(step1[1:], doc)
    if reply:
        await client.send_to(bytes_data=reply)
    step2 = await client.receive_from()
    assert step2[:2] == bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP2])
    handle_sync_message(step2[1:], doc)


def member_of(group):
    person = UserFactory()
    MembershipFactory(user=person, working_group=group, role=Role.MEMBER)
    return person


@pytest.fixture
def draft(working_group, user):
    return make(working_group, user, body="First paragraph.\n")


def test_two_clients_concurrent_updates_merge():
    """Two documents from one seed, typed into at once at the same place, hold both
    people's words once merged, whichever way round."""
    seed = Doc()
    seed["body"] = Text("One paragraph.")
    first, second = Doc(), Doc()
    for doc in (first, second):
        doc.apply_update(seed.get_update())
    a = update_of(first, lambda doc: doc.get("body", type=Text).insert(4, "long "))
    b = update_of(second, lambda doc: doc.get("body", type=Text).insert(4, "short "))
    first.apply_update(b)
    second.apply_update(a)
    assert str(first.get("body", type=Text)) == str(second.get("body", type=Text))
    merged = str(first.get("body", type=Text))
    assert "long " in merged
    assert "short " in merged
    assert merged.endswith("paragraph.")


def test_a_text_changed_elsewhere_enters_as_a_change():
    """A revision saved elsewhere becomes inserts and deletes: an edit made meanwhile in
    another browser survives it."""
    room, browser = Doc(), Doc()
    room["body"] = Text("Alpha beta gamma.")
    browser.apply_update(room.get_update())
    typed = update_of(browser, lambda doc: doc.get("body", type=Text).insert(0, "Typed. "))
    document_change_to(room, {"title": "", "summary": "", "body": "Alpha delta gamma."})
    room.apply_update(typed)
    assert document_text(room)["body"] == "Typed. Alpha delta gamma."


@pytest.mark.parametrize("who", ["anonymous", "community", "other_group"])
def test_refused_to_whoever_may_not_read_the_working_copy(draft, who, working_group_factory):
    from django.contrib.auth.models import AnonymousUser

    if who == "anonymous":
        person = AnonymousUser()
    elif who == "community":
        person = UserFactory()
    else:
        person = member_of(working_group_factory())

    async def run():
        client = communicator(person, draft.pk)
        connected, _ = await client.connect()
        assert not connected

    in_thread(run)


def test_no_room_for_a_frozen_version(draft, user):
    """A version is frozen: there is no address that opens a room on one."""
    member = member_of(draft.working_group)

    async def run():
        client = communicator(
            member, draft.pk, path=f"/ws/recommendations/{draft.pk}/versions/1/live/"
        )
        with pytest.raises(ValueError, match="No route found"):
            await client.connect()

    in_thread(run)


@pytest.mark.parametrize("role", [Role.CONNECTOR, Role.REVIEWER])
def test_a_readers_updates_are_dropped(working_group, user, settings, role):
    """A member of a synthesis group who is not a writer reads the working copy of its
    recommendations: they follow the live text, and what they send changes nothing."""
    settings.LIVE_IDLE_SECONDS = 60
    synthesis = WorkingGroupFactory(kind=WorkingGroup.Kind.SYNTHESIS)
    writer = UserFactory()
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    connector = UserFactory()
    MembershipFactory(user=connector, working_group=synthesis, role=role)
    synthesized = make(synthesis, writer, body="Synthesized.")

    async def run():
        reader_doc, writer_doc = Doc(), Doc()
        reader = communicator(connector, synthesized.pk)
        await synced(reader, reader_doc)
        assert document_text(reader_doc)["body"] == "Synthesized."
        change = update_of(reader_doc, lambda doc: doc.get("body", type=Text).insert(0, "X"))
        await reader.send_to(bytes_data=create_update_message(change))
        editor = communicator(writer, synthesized.pk)
        await synced(editor, writer_doc)
        assert document_text(writer_doc)["body"] == "Synthesized."
        await editor.disconnect()
        await reader.disconnect()

    in_thread(run)
    assert selectors.revision_list(recommendation=synthesized).count() == 1


@pytest.mark.parametrize("who", ["coordinator", "core_team", "writer"])
def test_every_editor_edits_live(draft, settings, who):
    """Whoever may edit the draft (the drafting rule) edits it live: a coordinator, the core
    team, a synthesis group's writer on its own recommendation (members: below)."""
    settings.LIVE_IDLE_SECONDS = 60
    target = draft
    if who == "core_team":
        person = CoreTeamFactory()
    elif who == "coordinator":
        person = UserFactory()
        MembershipFactory(user=person, working_group=draft.working_group, role=Role.COORDINATOR)
    else:
        synthesis = WorkingGroupFactory(kind=WorkingGroup.Kind.SYNTHESIS)
        person = UserFactory()
        MembershipFactory(user=person, working_group=synthesis, role=Role.WRITER)
        target = make(synthesis, person, body="Synthesized.")

    async def run():
        doc = Doc()
        client = communicator(person, target.pk)
        await synced(client, doc)
        change = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "Live. "))
        await client.send_to(bytes_data=create_update_message(change))
        await client.disconnect()

    in_thread(run)
    latest = selectors.revision_latest(recommendation=target)
    assert latest.body.startswith("Live. ")
    assert latest.history_user == person


def test_members_edit_together_and_the_revision_names_both(draft, user, settings, client):
    """Two members type at once: each sees the other's words, and the revision written when
    the last one leaves holds both, by one of them with the other as co-author, as the
    history says."""
    settings.LIVE_IDLE_SECONDS = 60
    mei, ali = member_of(draft.working_group), member_of(draft.working_group)

    async def run():
        mei_doc, ali_doc = Doc(), Doc()
        mei_client, ali_client = communicator(mei, draft.pk), communicator(ali, draft.pk)
        await synced(mei_client, mei_doc)
        await synced(ali_client, ali_doc)
        mei_change = update_of(mei_doc, lambda d: d.get("body", type=Text).insert(0, "Mei. "))
        ali_change = update_of(ali_doc, lambda d: d.get("body", type=Text).insert(0, "Ali. "))
        await mei_client.send_to(bytes_data=create_update_message(mei_change))
        await ali_client.send_to(bytes_data=create_update_message(ali_change))
        handle_sync_message((await ali_client.receive_from())[1:], ali_doc)
        handle_sync_message((await mei_client.receive_from())[1:], mei_doc)
        assert document_text(mei_doc) == document_text(ali_doc)
        await mei_client.disconnect()
        await ali_client.disconnect()
        return document_text(mei_doc)["body"]

    final = in_thread(run)
    assert "Mei. " in final
    assert "Ali. " in final
    latest = selectors.revision_latest(recommendation=draft)
    assert latest.body == final
    people = {
        latest.history_user,
        *(c.user for c in RevisionCoauthor.objects.filter(revision=latest)),
    }
    assert people == {mei, ali}
    client.force_login(mei)
    history = client.get(reverse("recommendations:history", args=[draft.pk])).content.decode()
    row = history.split("<tbody>")[1].split("</tr>")[0]
    assert mei.display_name in row
    assert ali.display_name in row
    assert "Written together, live" in row
    diff = client.get(reverse("recommendations:diff", args=[draft.pk])).content.decode()
    newest = diff.split('<dl class="diff-revisions">')[1].split("</dl>")[0].split("<dt>")[2]
    assert mei.display_name in newest
    assert ali.display_name in newest


def test_save_with_a_summary(draft, settings):
    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)

    async def run():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        change = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "New. "))
        await client.send_to(bytes_data=create_update_message(change))
        from pycrdt import Encoder

        encoder = Encoder()
        encoder.write_var_string("Tightened the opening")
        await client.send_to(bytes_data=bytes([MESSAGE_SAVE]) + encoder.to_bytes())
        answer = await client.receive_from()
        await client.disconnect()
        return answer

    answer = in_thread(run)
    latest = selectors.revision_latest(recommendation=draft)
    assert answer == bytes([MESSAGE_SAVE]) + str(latest.history_id).encode()
    assert latest.history_change_reason == "Tightened the opening"
    assert latest.body.startswith("New. First paragraph.")


def test_a_room_opened_again_merges_with_what_a_browser_still_holds(draft, settings):
    """After everyone left (or the server restarted), the room starts from the document it
    kept: a browser that still holds the document, with words typed while it was away,
    merges with it, and no text appears twice. A revision saved meanwhile by the plain form
    enters as a change."""
    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)

    async def type_and_leave():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        change = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "Before. "))
        await client.send_to(bytes_data=create_update_message(change))
        await client.disconnect()
        return doc

    held = in_thread(type_and_leave)
    # Offline, the browser types on; meanwhile someone saves the plain form.
    offline = update_of(held, lambda d: d.get("body", type=Text).insert(0, "Offline. "))
    services.recommendation_update(
        recommendation=draft,
        user=draft.updated_by,
        title=draft.title,
        summary=draft.summary,
        body="Before. First paragraph.\nAdded in the form.\n",
        base_revision=selectors.revision_latest(recommendation=draft).history_id,
    )

    async def come_back():
        client = communicator(mei, draft.pk)
        await synced(client, held)
        await client.send_to(bytes_data=create_update_message(offline))
        reader = Doc()
        other = communicator(mei, draft.pk)
        await synced(other, reader)
        await other.disconnect()
        await client.disconnect()
        return document_text(reader)["body"]

    body = in_thread(come_back)
    assert body == "Offline. Before. First paragraph.\nAdded in the form.\n"
    assert selectors.revision_latest(recommendation=draft).body == body


def test_a_revision_saved_elsewhere_enters_the_open_room_as_a_change(draft, settings):
    """While Mei types live, someone saves the plain form: the room takes their change at
    once, merged with Mei's typing, and sends it to her browser."""
    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)
    save_in_the_form = database_sync_to_async(
        lambda: services.recommendation_update(
            recommendation=draft,
            user=draft.updated_by,
            title=draft.title,
            summary=draft.summary,
            body="First paragraph.\nFrom the form.\n",
            base_revision=selectors.revision_latest(recommendation=draft).history_id,
        )
    )

    async def run():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        change = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "Mei. "))
        await client.send_to(bytes_data=create_update_message(change))
        await save_in_the_form()
        handle_sync_message((await client.receive_from(timeout=5))[1:], doc)
        await client.disconnect()
        return document_text(doc)["body"]

    body = in_thread(run)
    assert body == "Mei. First paragraph.\nFrom the form.\n"
    assert selectors.revision_latest(recommendation=draft).body == body
