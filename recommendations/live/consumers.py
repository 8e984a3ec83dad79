"""The live editor's WebSocket: the y-websocket protocol (sync step 1 and 2, updates,
awareness) between the browsers and the draft's room (room.py).

On connect it checks the session's user: who may edit the draft (the drafting rule,
`recommendations.edit`) edits; who may only read its working copy follows along, and
their updates are dropped; anyone else is refused. It asks again before an update when
the last answer is LIVE_ACCESS_SECONDS old, and at once when the group's memberships
change (notify.py): whoever may no longer read is disconnected, whoever may no longer edit
reads on. Versions are frozen: no route opens a room on one. Messages reach the other
processes' members through the channel layer.

Limits: a message over LIVE_MAX_MESSAGE_BYTES closes the connection (1009); an update that
would make the body larger than the form may save is refused, and the browser told. An
update the room cannot apply is answered with the room's state (sync step 1), and every
LIVE_RESYNC_SECONDS the server asks each browser for what the room lacks, so that what the
layer dropped is made up.
"""

import asyncio
import os
import time
import uuid

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from pycrdt import (
    Decoder,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    create_sync_message,
    create_update_message,
    handle_sync_message,
)

from recommendations import selectors
from recommendations.live.people import person_colour, room_group, working_group_group
from recommendations.live.room import (
    NOTICE_KEPT,
    UpdateRefused,
    awareness_payload,
    awareness_states,
    notice_message,
    room_join,
    room_leave,
)

# Tells this process's messages from the others' on the channel layer.
PROCESS = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
# The sender of the changes the server makes.
SERVER = "server"
# An update that holds nothing (no items, no deletions).
EMPTY_UPDATE = b"\x00\x00"
# Beyond y-websocket's message types: "Save with a summary" (the summary as a string),
# answered with the same type and the revision written.
MESSAGE_SAVE = 100


@database_sync_to_async
def live_access(*, user, pk: int) -> tuple[str | None, int | None]:
    """("edit" or "read" or None (no room for this person), the draft's working group)."""
    if not user.is_authenticated:
        return None, None
    recommendation = selectors.recommendation_working_copy(user=user, pk=pk)
    if recommendation is None:
        return None, None
    edits = user.has_perm("recommendations.edit", recommendation)
    return ("edit" if edits else "read"), recommendation.working_group_id


class LiveDraftConsumer(AsyncWebsocketConsumer):
    room = None
    _resync = None

    async def connect(self):
        self.user = self.scope["user"]
        self.recommendation_id = self.scope["url_route"]["kwargs"]["pk"]
        self.access, working_group_id = await live_access(user=self.user, pk=self.recommendation_id)
        if self.access is None:
            await self.close(code=4403)
            return
        self.access_asked = time.monotonic()
        self.group = room_group(self.recommendation_id)
        self.working_group_group = working_group_group(working_group_id)
        self.room = await room_join(self.recommendation_id, self)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(self.working_group_group, self.channel_name)
        await self.accept()
        # The room's state, and what the browser has that the room lacks (its step 2).
        await self.send(bytes_data=create_sync_message(self.room.doc))
        # Who is here already, with their cursors.
        entries = [
            (client, clock, state)
            for client, (_channel, clock, state) in self.room.awareness.items()
            if state is not None
        ]
        if entries:
            await self.send(bytes_data=create_awareness_message(awareness_payload(entries)))
        if self.room.kept_over:
            self.room.kept_over = False
            await self.send(bytes_data=notice_message(NOTICE_KEPT))
        self._resync = asyncio.ensure_future(self._resync_every())

    async def _resync_every(self):
        """Ask the browser for what the room lacks (its answer is sync step 2); and, from one
        member of the room in this process, the rooms of the other processes (live_state)."""
        while True:
            await asyncio.sleep(settings.LIVE_RESYNC_SECONDS)
            await self.send(bytes_data=create_sync_message(self.room.doc))
            if min(self.room.members, key=id) is self:
                await self.channel_layer.group_send(
                    self.group,
                    {
                        "type": "live.state",
                        "process": PROCESS,
                        "state": self.room.doc.get_state(),
                        "nonce": uuid.uuid4().hex,
                    },
                )

    async def live_state(self, event):
        """Another process's room says what it holds (its state vector): what this room has
        beyond it goes to that process's members as a change of the server's, so that the
        rooms converge though the layer dropped a message on the way. One member answers."""
        if event["process"] == PROCESS or event["nonce"] in self.room.answered:
            return
        self.room.answered.append(event["nonce"])
        missing = self.room.doc.get_update(event["state"])
        if missing != EMPTY_UPDATE:
            await self.server_broadcast(missing)

    async def disconnect(self, code):
        if self.room is None:
            return
        if self._resync is not None:
            self._resync.cancel()
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.channel_layer.group_discard(self.working_group_group, self.channel_name)
        gone = [
            (client, clock + 1, None)
            for client, (channel, clock, _state) in list(self.room.awareness.items())
            if channel == self.channel_name
        ]
        for client, _clock, _state in gone:
            del self.room.awareness[client]
        if gone:
            await self._broadcast(create_awareness_message(awareness_payload(gone)))
        await room_leave(self.room, self)

    async def receive(self, text_data=None, bytes_data=None):
        if len(bytes_data or text_data or "") > settings.LIVE_MAX_MESSAGE_BYTES:
            await self.close(code=1009)  # "message too big"
            return
        if not bytes_data or self.room is None:
            return
        kind = bytes_data[0]
        if kind == YMessageType.SYNC:
            await self._receive_sync(bytes_data[1:])
        elif kind == YMessageType.AWARENESS:
            await self._receive_awareness(bytes_data[1:])
        elif kind == MESSAGE_SAVE and self.access == "edit":
            summary = Decoder(bytes_data[1:]).read_var_string()
            revision = await self.room.save(edit_summary=summary)
            await self.send(bytes_data=bytes([MESSAGE_SAVE]) + str(revision or "").encode())

    async def _receive_sync(self, message: bytes):
        if message[0] == YSyncMessageType.SYNC_STEP1:
            await self.send(bytes_data=handle_sync_message(message, self.room.doc))
            return
        if time.monotonic() - self.access_asked > settings.LIVE_ACCESS_SECONDS:
            await self.live_access_changed({})
        if self.access != "edit":
            return  # a reader's change is dropped
        try:
            update = Decoder(message[1:]).read_message()
            changed = update and self.room.update_apply(update, user_id=self.user.pk)
        except UpdateRefused as refused:
            # Too large: the browser says so. Not an update: the room's state, for the
            # browser to send again what it has that the room lacks.
            if refused.notice:
                await self.send(bytes_data=notice_message(refused.notice))
            else:
                await self.send(bytes_data=create_sync_message(self.room.doc))
            return
        if changed:
            await self._broadcast(create_update_message(update), user_id=self.user.pk)

    async def live_access(self, event):
        """The draft's group's memberships changed (notify.py)."""
        await self.live_access_changed(event)

    async def live_access_changed(self, event):
        """Ask again whether the person may edit: who may no longer read the draft is
        disconnected, who may no longer edit reads on."""
        self.access, _group = await live_access(user=self.user, pk=self.recommendation_id)
        self.access_asked = time.monotonic()
        if self.access is None:
            await self.close(code=4403)

    async def _receive_awareness(self, message: bytes):
        entries = awareness_states(Decoder(message).read_message())
        shown = []
        for client, clock, state in entries:
            owner = self.room.awareness.get(client)
            if (owner is not None and owner[0] != self.channel_name) or (
                owner is None and state is None
            ):
                # y-websocket's browser sends on the others' entries it was sent: each entry
                # is its own browser's alone (else the name would be this person's, and
                # this connection's end would remove the other's cursor).
                continue
            if state is not None:
                # The name and colour are the server's: nobody appears as someone else.
                state = {
                    **state,
                    "user": {
                        "name": self.user.display_name,
                        "color": person_colour(self.user),
                        "readOnly": self.access != "edit",
                    },
                }
            self.room.awareness[client] = (self.channel_name, clock, state)
            shown.append((client, clock, state))
        await self._broadcast(create_awareness_message(awareness_payload(shown)))

    async def _broadcast(self, message: bytes, *, user_id: int | None = None):
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "live.message",
                "message": message,
                "sender": self.channel_name,
                "process": PROCESS,
                "user_id": user_id,
            },
        )

    async def live_message(self, event):
        message = event["message"]
        if event["sender"] == SERVER and event["process"] == PROCESS:
            return  # this process's members have it already

        if event["process"] != PROCESS and message[0] == YMessageType.SYNC:
            # From another process's member: this process's room takes it too.
            update = Decoder(message[2:]).read_message()
            try:
                self.room.update_apply(update, user_id=event["user_id"], limit=False)
            except UpdateRefused:
                return
        if event["process"] != PROCESS and message[0] == YMessageType.AWARENESS:
            # Whose the entries are, so that no browser here passes them on as its own.
            for client, clock, state in awareness_states(Decoder(message[1:]).read_message()):
                if state is None:
                    self.room.awareness.pop(client, None)
                else:
                    self.room.awareness[client] = (event["sender"], clock, state)
        if event["sender"] != self.channel_name:
            await self.send(bytes_data=message)

    async def live_revision(self, event):
        """A revision was saved elsewhere (notify.py)."""
        await self.room.revision_merge()

    async def server_broadcast(self, update: bytes):
        """A change the server made, for the members in the other processes."""
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "live.message",
                "message": create_update_message(update),
                "sender": SERVER,
                "process": PROCESS,
                "user_id": None,
            },
        )

    async def server_broadcast_message(self, message: bytes):
        """A message of the server's (a notice), for the members in the other processes."""
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "live.message",
                "message": message,
                "sender": SERVER,
                "process": PROCESS,
                "user_id": None,
            },
        )

    async def update_send(self, update: bytes):
        """A change the server made to the room (a revision saved elsewhere, merged in)."""
        await self.send(bytes_data=create_update_message(update))
