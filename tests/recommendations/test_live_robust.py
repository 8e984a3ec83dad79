"""The live room when things go wrong (docs/live-editing.md): a change saved elsewhere that
conflicts with the live typing, the channel layer's or the cache's Redis hung or down, a
member removed while connected, messages and texts over the limits, and updates a browser
missed."""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async
from django.conf import settings as django_settings
from pycrdt import (
    Decoder,
    Doc,
    Text,
    YMessageType,
    YSyncMessageType,
    create_sync_message,
    create_update_message,
    handle_sync_message,
)

from groups.models import Membership, Role, WorkingGroup
from recommendations import selectors, services
from recommendations.live.consumers import MESSAGE_SAVE
from recommendations.live.room import (
    MESSAGE_NOTICE,
    NOTICE_KEPT,
    NOTICE_TOO_LARGE,
    _rooms,
    document_text,
)
from recommendations.validators import CONFLICT_MARKERS
from tests.factories import MembershipFactory, UserFactory, WorkingGroupFactory
from tests.factories import recommendation as make
from tests.recommendations.test_live import communicator, in_thread, member_of, synced, update_of
from tests.strategy.test_redis_faults import SpareRedis

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "First paragraph.\n\nMiddle paragraph.\n\nLast paragraph.\n"


@pytest.fixture
def draft(working_group, user):
    return make(working_group, user, body=BODY)


def form_save(draft, body, *, user=None):
    """The plain form's save, from the revision the room stands on."""
    return services.recommendation_update(
        recommendation=draft,
        user=user or draft.updated_by,
        title=draft.title,
        summary=draft.summary,
        body=body,
        base_revision=selectors.revision_latest(recommendation=draft).history_id,
    )


async def until_notice(client, doc: Doc, *, timeout: float = 5) -> str:
    """Take the room's messages into `doc` until a notice comes; the notice."""
    while True:
        message = await client.receive_from(timeout=timeout)
        if message[0] == MESSAGE_NOTICE:
            return Decoder(message[1:]).read_var_string()
        if message[0] == YMessageType.SYNC:
            handle_sync_message(message[1:], doc)


async def save_with_summary(client, summary: str) -> bytes:
    from pycrdt import Encoder

    encoder = Encoder()
    encoder.write_var_string(summary)
    await client.send_to(bytes_data=bytes([MESSAGE_SAVE]) + encoder.to_bytes())
    while True:
        answer = await client.receive_from(timeout=5)
        if answer[0] == MESSAGE_SAVE:
            return answer


async def until_room_has(pk: int, words: str) -> None:
    """Until the room has applied a change holding `words`."""
    for _ in range(100):
        if pk in _rooms and words in document_text(_rooms[pk].doc)["body"]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the room never had {words!r}")


def has_markers(text: str) -> bool:
    return any(line.startswith(CONFLICT_MARKERS) for line in text.splitlines())


def test_a_conflicting_save_elsewhere_keeps_the_live_text_and_the_history_keeps_both(
    draft, settings
):
    """Mei rewrites the first words live; meanwhile the plain form saves a change of the
    same words and of the last paragraph. In the room the live words stay where both
    changed the same ones, the form's other change enters, no conflict marker appears, and
    Mei is told; the room's next save succeeds, and the history holds the form's revision
    whole and then the live one."""
    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)
    other = member_of(draft.working_group)
    form = database_sync_to_async(
        lambda: form_save(
            draft,
            "Form's first paragraph.\n\nMiddle paragraph.\n\nFinal paragraph.\n",
            user=other,
        )
    )

    def first_words(doc):
        body = doc.get("body", type=Text)
        del body[0:5]
        body.insert(0, "Mei's first")

    async def run():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        await client.send_to(bytes_data=create_update_message(update_of(doc, first_words)))
        await until_room_has(draft.pk, "Mei's")
        await form()
        notice = await until_notice(client, doc)
        live = document_text(doc)["body"]
        answer = await save_with_summary(client, "Kept my opening")
        await client.disconnect()
        return notice, live, answer

    notice, live, answer = in_thread(run)
    assert notice == NOTICE_KEPT
    assert live == "Mei's first paragraph.\n\nMiddle paragraph.\n\nFinal paragraph.\n"
    assert not has_markers(live)
    newest, form_revision, *_ = selectors.revision_list(recommendation=draft)
    assert answer == bytes([MESSAGE_SAVE]) + str(newest.history_id).encode()
    assert newest.body == live
    assert newest.history_user == mei
    assert form_revision.body.startswith("Form's first paragraph.")
    assert form_revision.history_user == other


def test_a_live_save_over_a_conflicting_revision_keeps_the_live_text_and_says_so(draft, user):
    """When the room was not told (the layer was down), its next write meets the revision:
    the live text is kept where both changed the same words, the edit summary says so."""
    base = selectors.revision_latest(recommendation=draft).history_id
    form_save(draft, "Form's first paragraph.\n\nMiddle paragraph.\n\nFinal paragraph.\n")
    mei = member_of(draft.working_group)
    saved = services.recommendation_live_save(
        recommendation_id=draft.pk,
        text={"title": draft.title, "summary": draft.summary, "body": "Mei's " + BODY},
        base_revision=base,
        authors=[mei],
    )
    assert saved.kept_over
    assert saved.text["body"] == "Mei's First paragraph.\n\nMiddle paragraph.\n\nFinal paragraph.\n"
    latest = selectors.revision_latest(recommendation=draft)
    assert latest.body == saved.text["body"]
    assert "the live text kept where it differed" in latest.history_change_reason


def test_a_room_opened_on_a_kept_text_a_revision_conflicts_with_has_no_markers(draft, settings):
    """The room kept a text (everyone left, or the server stopped) and the form then saved
    a change of the same words: the room opens with the kept words, no markers, and the
    first to come in is told."""
    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)
    base = selectors.revision_latest(recommendation=draft).history_id
    from pycrdt import Doc as Document

    from recommendations.live.room import document_change_to, document_seeded

    kept = document_seeded(services.source_text(draft))
    document_change_to(kept, {**document_text(kept), "body": "Kept opening. " + BODY[6:]})
    services.live_document_store(
        recommendation_id=draft.pk, revision_id=base, state=kept.get_update()
    )
    form_save(draft, "Form opening. " + BODY[6:])

    async def run():
        doc = Document()
        client = communicator(mei, draft.pk)
        connected, _ = await client.connect()
        assert connected
        # The room's state first, then the notice.
        handle_sync_message((await client.receive_from())[1:], doc)
        notice = await until_notice(client, doc)
        await client.send_to(bytes_data=create_sync_message(doc))
        handle_sync_message((await client.receive_from())[1:], doc)
        await client.disconnect()
        return notice, document_text(doc)["body"]

    notice, body = in_thread(run)
    assert notice == NOTICE_KEPT
    assert body == "Kept opening. " + BODY[6:]
    # Nobody typed since: the form's revision stays the latest, whole.
    assert selectors.revision_latest(recommendation=draft).body == "Form opening. " + BODY[6:]


@pytest.fixture
def layer_redis(settings):
    """A Redis of the test's own as the channel layer and the cache (as in production)."""
    redis = SpareRedis()
    redis.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis.url], "capacity": 100},
        }
    }
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "strategy.redis_cache.FailSoftRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": django_settings.REDIS_CLIENT_OPTIONS,
        },
    }
    yield redis
    redis.stop()


@pytest.mark.faults
@pytest.mark.parametrize("outage", ["pause", "stop"])
def test_a_save_goes_on_with_the_layers_redis_hung_or_down(draft, layer_redis, outage):
    """Telling the rooms of a revision waits LIVE_NOTIFY_TIMEOUT at most and never fails
    the save: with the layer's Redis paused (SIGSTOP) or stopped."""
    # Told once with Redis up: the layer's connection is open when Redis then hangs.
    form_save(draft, BODY + "One.\n")
    getattr(layer_redis, outage)()
    try:
        started = time.monotonic()
        form_save(draft, BODY + "One.\nTwo.\n")
        form_save(draft, BODY + "One.\nTwo.\nThree.\n")
        elapsed = time.monotonic() - started
    finally:
        layer_redis.resume() if outage == "pause" else None
    assert selectors.revision_latest(recommendation=draft).body.endswith("Three.\n")
    assert elapsed < 2 * django_settings.LIVE_NOTIFY_TIMEOUT + 1.5


@pytest.mark.faults
def test_the_room_merges_with_the_caches_redis_paused(draft, settings):
    """The merge's claim (`cache.add`) with the cache's Redis hung: the cache fails soft,
    this process merges, and the revision arrives in the room."""
    settings.LIVE_IDLE_SECONDS = 60
    redis = SpareRedis()
    redis.start()
    settings.CACHES = {
        **django_settings.CACHES,
        "default": {
            "BACKEND": "strategy.redis_cache.FailSoftRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": django_settings.REDIS_CLIENT_OPTIONS,
        },
    }
    mei = member_of(draft.working_group)
    form = database_sync_to_async(lambda: form_save(draft, BODY + "From the form.\n"))

    async def run():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        redis.pause()
        await form()
        while "From the form." not in document_text(doc)["body"]:
            handle_sync_message((await client.receive_from(timeout=5))[1:], doc)
        await client.disconnect()
        return document_text(doc)["body"]

    try:
        body = in_thread(run)
    finally:
        redis.stop()
    assert body == BODY + "From the form.\n"


def test_a_member_removed_while_connected_is_disconnected(draft, settings):
    """The membership ends while Mei is in the room: the room asks again at once (the
    membership signal) and closes her connection; what she sends after changes nothing."""
    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)
    leave = database_sync_to_async(lambda: Membership.objects.filter(user=mei).delete())

    async def run():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        await leave()
        while (output := await client.receive_output(timeout=5))["type"] != "websocket.close":
            pass
        change = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "After. "))
        await client.send_to(bytes_data=create_update_message(change))
        await asyncio.sleep(0.2)
        room = document_text(_rooms[draft.pk].doc) if draft.pk in _rooms else None
        await client.disconnect()
        return output["code"], room

    code, room_text = in_thread(run)
    assert code == 4403
    assert room_text is None or "After." not in room_text["body"]
    assert "After." not in selectors.revision_latest(recommendation=draft).body


def test_whose_edit_right_ends_unseen_reads_on_at_the_next_check(settings):
    """A synthesis writer becomes a reviewer by a change no signal reports: before the
    next update older than LIVE_ACCESS_SECONDS the room asks again, and drops it."""
    settings.LIVE_IDLE_SECONDS = 60
    settings.LIVE_ACCESS_SECONDS = 0
    synthesis = WorkingGroupFactory(kind=WorkingGroup.Kind.SYNTHESIS)
    writer = UserFactory()
    MembershipFactory(user=writer, working_group=synthesis, role=Role.WRITER)
    synthesized = make(synthesis, writer, body="Synthesized.")
    demote = database_sync_to_async(
        lambda: Membership.objects.filter(user=writer).update(role=Role.REVIEWER)
    )

    async def run():
        doc = Doc()
        client = communicator(writer, synthesized.pk)
        await synced(client, doc)
        first = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "Before. "))
        await client.send_to(bytes_data=create_update_message(first))
        await asyncio.sleep(0.3)
        await demote()
        second = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "After. "))
        await client.send_to(bytes_data=create_update_message(second))
        await asyncio.sleep(0.3)
        room = document_text(_rooms[synthesized.pk].doc)["body"]
        await client.disconnect()
        return room

    room = in_thread(run)
    assert room == "Before. Synthesized."
    assert selectors.revision_latest(recommendation=synthesized).body == "Before. Synthesized."


def test_a_message_over_the_limit_closes_the_connection(draft, settings):
    settings.LIVE_MAX_MESSAGE_BYTES = 1000
    mei = member_of(draft.working_group)

    async def run():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        change = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "x" * 2000))
        await client.send_to(bytes_data=create_update_message(change))
        while (output := await client.receive_output(timeout=5))["type"] != "websocket.close":
            pass
        await client.disconnect()
        return output["code"]

    assert in_thread(run) == 1009
    assert selectors.revision_latest(recommendation=draft).body == BODY


def test_an_update_that_would_pass_the_body_limit_is_refused(draft, settings):
    """The live text may not grow past what the form may save (RECOMMENDATION_BODY_LIMIT_KB):
    such an update is refused and its sender told; updates within the limit go on."""
    settings.LIVE_IDLE_SECONDS = 60
    settings.RECOMMENDATION_BODY_LIMIT_KB = 1
    mei = member_of(draft.working_group)

    async def run():
        doc, other_doc = Doc(), Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        other = communicator(mei, draft.pk)
        await synced(other, other_doc)
        large = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "x" * 1100))
        await client.send_to(bytes_data=create_update_message(large))
        notice = await until_notice(client, Doc())
        small = update_of(other_doc, lambda d: d.get("body", type=Text).insert(0, "Small. "))
        await other.send_to(bytes_data=create_update_message(small))
        await asyncio.sleep(0.2)
        room = document_text(_rooms[draft.pk].doc)["body"]
        await client.disconnect()
        await other.disconnect()
        return notice, room

    notice, room = in_thread(run)
    assert notice == NOTICE_TOO_LARGE
    assert room == "Small. " + BODY
    assert selectors.revision_latest(recommendation=draft).body == "Small. " + BODY


def test_a_browser_that_missed_updates_converges(draft, settings):
    """An update the layer dropped on its way to Ali (here: applied to the room without
    being sent on) reaches him at his browser's next sync step 1 (y-websocket's
    resyncInterval); a change of his the room missed reaches it at the server's
    (LIVE_RESYNC_SECONDS); a message the room cannot apply is answered with its state."""
    settings.LIVE_IDLE_SECONDS = 60
    settings.LIVE_RESYNC_SECONDS = 0.5
    mei, ali = member_of(draft.working_group), member_of(draft.working_group)

    async def run():
        mei_doc, ali_doc = Doc(), Doc()
        mei_client, ali_client = communicator(mei, draft.pk), communicator(ali, draft.pk)
        await synced(mei_client, mei_doc)
        await synced(ali_client, ali_doc)
        room = _rooms[draft.pk]
        missed = update_of(mei_doc, lambda d: d.get("body", type=Text).insert(0, "Missed. "))
        room.update_apply(missed, user_id=mei.pk)
        # Ali's browser asks (sync step 1): the room answers with what he lacks.
        await ali_client.send_to(bytes_data=create_sync_message(ali_doc))
        while "Missed. " not in document_text(ali_doc)["body"]:
            message = await ali_client.receive_from(timeout=5)
            if message[0] == YMessageType.SYNC:
                handle_sync_message(message[1:], ali_doc)
        # A change of Ali's that never reached the room: the server's step 1 asks for it.
        update_of(ali_doc, lambda d: d.get("body", type=Text).insert(0, "Unsent. "))
        while True:
            message = await ali_client.receive_from(timeout=5)
            if message[:2] == bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP1]):
                reply = handle_sync_message(message[1:], ali_doc)
                await ali_client.send_to(bytes_data=reply)
                break
        await asyncio.sleep(0.2)
        arrived = document_text(room.doc)["body"]
        # Garbage: answered with the room's state.
        await ali_client.send_to(bytes_data=bytes([YMessageType.SYNC, 2, 3, 1, 2, 3]))
        answer = await ali_client.receive_from(timeout=5)
        await mei_client.disconnect()
        await ali_client.disconnect()
        return document_text(ali_doc)["body"], arrived, answer

    ali_body, room_body, answer = in_thread(run)
    assert ali_body == "Unsent. Missed. " + BODY
    assert room_body == ali_body
    assert answer[:2] == bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP1])


def test_a_room_in_another_process_that_missed_updates_is_sent_them(draft, settings):
    """Every LIVE_RESYNC_SECONDS one member of each process's room announces its state on
    the layer; a room elsewhere answers with what it holds beyond that, as the server's
    change, which the missing process's room and browsers apply. Here the other process
    is played by the test, on the same layer."""
    from channels.layers import get_channel_layer

    from recommendations.live.people import room_group

    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)

    async def run():
        layer = get_channel_layer()
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)
        change = update_of(doc, lambda d: d.get("body", type=Text).insert(0, "Here. "))
        await client.send_to(bytes_data=create_update_message(change))
        await until_room_has(draft.pk, "Here. ")
        elsewhere = await layer.new_channel()
        await layer.group_add(room_group(draft.pk), elsewhere)
        behind = Doc()  # the other process's room: it holds nothing yet
        announcement = {
            "type": "live.state",
            "process": "elsewhere",
            "state": behind.get_state(),
            "nonce": "one",
        }
        await layer.group_send(room_group(draft.pk), announcement)
        while True:
            event = await asyncio.wait_for(layer.receive(elsewhere), 5)
            if event["type"] == "live.message" and event["sender"] == "server":
                break
        handle_sync_message(event["message"][1:], behind)
        await client.disconnect()
        return document_text(behind)["body"]

    assert in_thread(run) == "Here. " + BODY


def test_a_browser_passing_on_anothers_cursor_does_not_take_it(draft, settings):
    """y-websocket's browser sends on the others' awareness entries it was sent: the room
    keeps each entry its own browser's, so the other keeps their name, and whoever passed
    it on does not remove it when they leave."""
    from pycrdt import create_awareness_message

    from recommendations.live.room import awareness_payload

    settings.LIVE_IDLE_SECONDS = 60
    kofi, mei = member_of(draft.working_group), member_of(draft.working_group)

    async def run():
        kofi_client, mei_client = communicator(kofi, draft.pk), communicator(mei, draft.pk)
        await synced(kofi_client, Doc())
        await synced(mei_client, Doc())
        kofi_entry = (4711, 1, {"cursor": None})
        await kofi_client.send_to(
            bytes_data=create_awareness_message(awareness_payload([kofi_entry]))
        )
        passed_on = await mei_client.receive_from(timeout=5)
        await mei_client.send_to(bytes_data=passed_on)
        await asyncio.sleep(0.2)
        room = _rooms[draft.pk]
        _channel, _clock, state = room.awareness[4711]
        await mei_client.disconnect()
        await asyncio.sleep(0.2)
        still_there = 4711 in room.awareness
        await kofi_client.disconnect()
        return state["user"]["name"], still_there

    name, still_there = in_thread(run)
    assert name == kofi.display_name
    assert still_there


def test_a_live_text_the_rules_refuse_stays_in_the_room_until_fixed(draft, settings):
    """Someone makes the title longer than a title may be: the room's write is refused by
    the model's rules, the room goes on with the text and its authors, and once the title
    is short again the next write holds everything else that was typed."""
    settings.LIVE_IDLE_SECONDS = 60
    mei = member_of(draft.working_group)
    before = selectors.revision_latest(recommendation=draft).history_id

    async def run():
        doc = Doc()
        client = communicator(mei, draft.pk)
        await synced(client, doc)

        def too_long(d):
            d.get("title", type=Text).insert(0, "x" * 400)
            d.get("body", type=Text).insert(0, "Kept. ")

        await client.send_to(bytes_data=create_update_message(update_of(doc, too_long)))
        refused = await save_with_summary(client, "")
        shorter = update_of(doc, lambda d: d.get("title", type=Text).__delitem__(slice(0, 400)))
        await client.send_to(bytes_data=create_update_message(shorter))
        written = await save_with_summary(client, "")
        await client.disconnect()
        return refused, written

    refused, written = in_thread(run)
    assert refused == bytes([MESSAGE_SAVE]) + str(before).encode()
    latest = selectors.revision_latest(recommendation=draft)
    assert written == bytes([MESSAGE_SAVE]) + str(latest.history_id).encode()
    assert latest.history_id != before
    assert latest.body == "Kept. " + BODY
    assert latest.title == draft.title
    assert latest.history_user == mei
