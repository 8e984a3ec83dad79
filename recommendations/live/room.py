"""One live document per draft: a pycrdt document holding title, summary and body as
Y.Text, seeded from the latest revision, kept in this process while anyone has the draft
open (docs/live-editing.md).

A room knows who changed its text since it was last written as a revision, and writes it
when its editors go idle, when the last one leaves, and on "Save with a summary".
"""

import asyncio
import collections
import difflib
import json
import logging

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from pycrdt import Decoder, Doc, Encoder, Text

from recommendations import selectors, services
from recommendations.models import TEXT_FIELDS, Recommendation

logger = logging.getLogger(__name__)

# Beyond y-websocket's message types: a notice for the editors (a string: NOTICE_KEPT, a
# change saved elsewhere conflicted with the live text, which was kept; NOTICE_TOO_LARGE,
# an update was refused because the text would pass the size limit).
MESSAGE_NOTICE = 101
NOTICE_KEPT = "kept"
NOTICE_TOO_LARGE = "too-large"


def notice_message(notice: str) -> bytes:
    encoder = Encoder()
    encoder.write_var_string(notice)
    return bytes([MESSAGE_NOTICE]) + encoder.to_bytes()


def _live_merge(conflict) -> tuple[dict[str, str], bool]:
    """The merged text (the live words kept where both sides changed the same ones, no
    markers) and whether there was such a conflict."""
    return {name: result.text for name, result in conflict.merged.items()}, bool(conflict.conflicts)


def document_seeded(text: dict[str, str]) -> Doc:
    doc = Doc()
    for name in TEXT_FIELDS:
        doc[name] = Text(text.get(name, ""))
    return doc


def document_text(doc: Doc) -> dict[str, str]:
    return {name: str(doc.get(name, type=Text)) for name in TEXT_FIELDS}


def document_change_to(doc: Doc, text: dict[str, str]) -> None:
    """Make `doc` say `text` by the smallest inserts and deletes, so that what an editor is
    typing elsewhere in the field survives (a reset would lose it)."""
    with doc.transaction(origin="server"):
        for name in TEXT_FIELDS:
            field = doc.get(name, type=Text)
            old, new = str(field), text[name]
            if old == new:
                continue
            matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
            # From the end, so that the earlier positions stay where they were.
            for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
                if tag in ("replace", "delete"):
                    del field[i1:i2]
                if tag in ("replace", "insert"):
                    field.insert(i1, new[j1:j2])


def awareness_states(payload: bytes) -> list[tuple[int, int, dict | None]]:
    """The (client id, clock, state) entries of an awareness update (y-protocols)."""
    decoder = Decoder(payload)
    entries = []
    for _ in range(decoder.read_var_uint()):
        client_id = decoder.read_var_uint()
        clock = decoder.read_var_uint()
        state = json.loads(decoder.read_var_string() or "null")
        entries.append((client_id, clock, state))
    return entries


def awareness_payload(entries: list[tuple[int, int, dict | None]]) -> bytes:
    encoder = Encoder()
    encoder.write_var_uint(len(entries))
    for client_id, clock, state in entries:
        encoder.write_var_uint(client_id)
        encoder.write_var_uint(clock)
        encoder.write_var_string(json.dumps(state))
    return encoder.to_bytes()


@database_sync_to_async
def _open(recommendation_id: int) -> tuple[Doc, int | None, bool]:
    """The room's document, the revision it stands on, and whether a revision saved
    elsewhere conflicted with it (its words kept: see `_merge_latest`).

    From the kept document when there is one, so that its items are the ones the browsers
    still hold (after everyone left, after a restart) and they merge with it; a revision
    saved elsewhere since it was kept is merged into it as a change. Else seeded from the
    latest revision, and kept at once.
    """
    kept_over = False
    recommendation = Recommendation.objects.get(pk=recommendation_id)
    latest = selectors.revision_latest(recommendation=recommendation)
    latest_id = latest.history_id if latest else None
    kept = selectors.live_document(recommendation_id=recommendation_id)
    if kept is None:
        doc = document_seeded(services.source_text(recommendation))
    else:
        doc = Doc()
        doc.apply_update(bytes(kept.state))
        if kept.revision_id != latest_id:
            conflict = services.edit_conflict(
                recommendation=recommendation,
                base_revision=kept.revision_id,
                yours=document_text(doc),
                keep_yours=True,
            )
            if conflict is not None:
                text, kept_over = _live_merge(conflict)
                document_change_to(doc, text)
    services.live_document_store(
        recommendation_id=recommendation_id, revision_id=latest_id, state=doc.get_update()
    )
    return doc, latest_id, kept_over


@database_sync_to_async
def _merge_latest(recommendation_id: int, base_revision, text: dict[str, str]):
    """(the text to change the room to or None, the latest revision, whether it conflicted)
    when a revision was saved elsewhere since `base_revision`; None when none was. Of the
    processes holding the room, one merges (the first to claim it); the others take its
    change from the layer.

    Where the revision and the live text changed the same words, the live text is kept:
    conflict markers never enter a live document (nobody could save it then), the revision
    stays whole in the history, and the editors are told. Everything else of it enters."""
    recommendation = Recommendation.objects.get(pk=recommendation_id)
    latest = selectors.revision_latest(recommendation=recommendation)
    if latest is None or latest.history_id == base_revision:
        return None
    # The cache fails soft: with its Redis down, the claim is granted (this process merges).
    if not cache.add(f"recommendations:live-merge:{recommendation_id}:{latest.history_id}", 1, 300):
        return None, latest.history_id, False
    conflict = services.edit_conflict(
        recommendation=recommendation, base_revision=base_revision, yours=text, keep_yours=True
    )
    if conflict is None:
        return None, latest.history_id, False
    merged, conflicted = _live_merge(conflict)
    return merged, latest.history_id, conflicted


@database_sync_to_async
def _keep(recommendation_id: int, revision_id: int | None, state: bytes) -> None:
    services.live_document_store(
        recommendation_id=recommendation_id, revision_id=revision_id, state=state
    )


@database_sync_to_async
def _save(recommendation_id, text, base_revision, author_ids, edit_summary):
    users = get_user_model().objects.in_bulk(author_ids)
    return services.recommendation_live_save(
        recommendation_id=recommendation_id,
        text=text,
        base_revision=base_revision,
        authors=[users[pk] for pk in author_ids if pk in users],
        edit_summary=edit_summary,
    )


class UpdateRefused(Exception):
    """An update that cannot enter the room: not an update, or it would make the text
    larger than the form may save (`validate_body_size`)."""

    def __init__(self, notice: str | None = None):
        super().__init__(notice)
        self.notice = notice


def _body_limit() -> int:
    return settings.RECOMMENDATION_BODY_LIMIT_KB * 1024


def _body_bytes(doc: Doc) -> int:
    return len(str(doc.get("body", type=Text)).encode("utf-8"))


class Room:
    def __init__(self, recommendation_id: int, doc: Doc, base_revision, *, kept_over=False):
        self.recommendation_id = recommendation_id
        self.doc = doc
        self.base_revision = base_revision
        self.members: set = set()
        # Who changed the text since it was last written, in the order they first did.
        self.authors: list[int] = []
        # The last awareness entry of each browser client, by client id, with its channel.
        self.awareness: dict[int, tuple[str, int, dict | None]] = {}
        # Opened on a kept document whose words were kept over a conflicting revision: the
        # first to come in is told.
        self.kept_over = kept_over
        # At most how many bytes the body is: measured when it may pass the limit.
        self._body_bound = _body_bytes(doc)
        # The last state announcements of other processes' rooms answered (consumers.py).
        self.answered: collections.deque[str] = collections.deque(maxlen=100)
        self._idle: asyncio.TimerHandle | None = None
        self._saving = asyncio.Lock()

    def update_apply(self, update: bytes, *, user_id: int, limit: bool = True) -> bool:
        """Apply an update; True if it changed the document. With `limit` (a browser's),
        refuse (UpdateRefused) one that is no update or would make the body larger than
        the size limit; the document is then unchanged."""
        if limit:
            self._update_check(update)
        before = self.doc.get_state()
        try:
            self.doc.apply_update(update)
        except Exception as error:
            raise UpdateRefused() from error
        self._body_bound += len(update)
        if self.doc.get_state() == before:
            return False
        if user_id is not None and user_id not in self.authors:
            self.authors.append(user_id)
        self._idle_restart()
        return True

    def _update_check(self, update: bytes) -> None:
        # An update adds at most its own length to the text: only near the limit is it
        # tried on a copy first.
        if self._body_bound + len(update) <= _body_limit():
            return
        self._body_bound = _body_bytes(self.doc)
        if self._body_bound + len(update) <= _body_limit():
            return
        trial = Doc()
        trial.apply_update(self.doc.get_update())
        try:
            trial.apply_update(update)
        except Exception as error:
            raise UpdateRefused() from error
        if _body_bytes(trial) > _body_limit():
            raise UpdateRefused(NOTICE_TOO_LARGE)

    def _idle_restart(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
        loop = asyncio.get_running_loop()
        self._idle = loop.call_later(
            settings.LIVE_IDLE_SECONDS, lambda: asyncio.ensure_future(self.save())
        )

    async def save(self, *, edit_summary: str = "") -> int | None:
        """Write the live text as a revision by everyone who changed it since the last one;
        the revision the room now stands on. A text the model's rules refuse (a title
        too long) stays in the room, unwritten, with its authors, until it is fixed."""
        async with self._saving:
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
            if not self.authors and not edit_summary:
                await _keep(self.recommendation_id, self.base_revision, self.doc.get_update())
                return self.base_revision
            authors, self.authors = self.authors, []
            try:
                saved = await _save(
                    self.recommendation_id,
                    document_text(self.doc),
                    self.base_revision,
                    authors,
                    edit_summary,
                )
            except ValidationError:
                logger.warning("live text of %s not written", self.recommendation_id, exc_info=True)
                self.authors = [*authors, *(a for a in self.authors if a not in authors)]
                await _keep(self.recommendation_id, self.base_revision, self.doc.get_update())
                return self.base_revision
            self.base_revision = saved.revision_id
            if saved.text != document_text(self.doc):
                await self._change_to(saved.text)
            if saved.kept_over:
                await self.tell(notice_message(NOTICE_KEPT))
            await _keep(self.recommendation_id, self.base_revision, self.doc.get_update())
            return saved.revision_id

    async def revision_merge(self) -> None:
        """A revision was saved elsewhere (the plain form, a restore): it enters the room as
        a change merged with the live text, not as a reset that would lose typing; where
        both changed the same words the live text stays, and the editors are told."""
        async with self._saving:
            merged = await _merge_latest(
                self.recommendation_id, self.base_revision, document_text(self.doc)
            )
            if merged is None:
                return
            text, self.base_revision, conflicted = merged
            if text is not None and text != document_text(self.doc):
                await self._change_to(text)
            if conflicted:
                await self.tell(notice_message(NOTICE_KEPT))
            await _keep(self.recommendation_id, self.base_revision, self.doc.get_update())

    async def _change_to(self, text: dict[str, str]) -> None:
        """Change the document to `text` and send the change to every member, in this
        process and (through the layer) the others."""
        before = self.doc.get_state()
        document_change_to(self.doc, text)
        self._body_bound = _body_bytes(self.doc)
        update = self.doc.get_update(before)
        for member in list(self.members):
            await member.update_send(update)
        if self.members:
            await next(iter(self.members)).server_broadcast(update)

    async def tell(self, message: bytes) -> None:
        """Send a message of the server's to every member, here and in the other processes."""
        for member in list(self.members):
            await member.send(bytes_data=message)
        if self.members:
            await next(iter(self.members)).server_broadcast_message(message)


_rooms: dict[int, Room] = {}


async def room_join(recommendation_id: int, member) -> Room:
    room = _rooms.get(recommendation_id)
    if room is None:
        doc, base_revision, kept_over = await _open(recommendation_id)
        # Another member may have opened it meanwhile.
        room = _rooms.get(recommendation_id)
        if room is None:
            room = _rooms[recommendation_id] = Room(
                recommendation_id, doc, base_revision, kept_over=kept_over
            )
    room.members.add(member)
    return room


async def room_leave(room: Room, member) -> None:
    """The member leaves; the last one to leave writes the text and closes the room."""
    room.members.discard(member)
    if not room.members:
        await room.save()
        # Someone may have come in while it was written: then the room stays open.
        if not room.members and _rooms.get(room.recommendation_id) is room:
            del _rooms[room.recommendation_id]
