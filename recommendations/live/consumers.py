"""The live editor's WebSocket: the y-websocket protocol (sync step 1 and 2, updates,
awareness) between the browsers and the draft's room (room.py).

On connect it checks the session's user: who may edit the draft (the drafting rule,
`recommendations.edit`) edits; who may only read its working copy follows along, and
their updates are dropped; anyone else is refused. Versions are frozen: no route opens a
room on one. Messages reach the other processes' members through the channel layer.
"""

import os
import uuid

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
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
from recommendations.live.people import person_colour, room_group
from recommendations.live.room import (
    awareness_payload,
    awareness_states,
    room_join,
    room_leave,
)

# Tells this process's messages from the others' on the channel layer.
PROCESS = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
# The sender of the changes the server makes.
SERVER = "server"
# Beyond y-websocket's message types: "Save with a summary" (the summary as a string),
# answered with the same type and the revision written.
MESSAGE_SAVE = 100


@database_sync_to_async
def live_access(*, user, pk: int) -> str | None:
    """ "edit", "read", or None (no room for this person)."""
    if not user.is_authenticated:
        return None
    recommendation = selectors.recommendation_working_copy(user=user, pk=pk)
    if recommendation is None:
        return None
    return "edit" if user.has_perm("recommendations.edit", recommendation) else "read"


class LiveDraftConsumer(AsyncWebsocketConsumer):
    room = None

    async def connect(self):
        self.user = self.scope["user"]
        self.recommendation_id = self.scope["url_route"]["kwargs"]["pk"]
        self.access = await live_access(user=self.user, pk=self.recommendation_id)
        if self.access is None:
            await self.close(code=4403)
            return
        self.group = room_group(self.recommendation_id)
        self.room = await room_join(self.recommendation_id, self)
        await self.channel_layer.group_add(self.group, self.channel_name)
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

    async def disconnect(self, code):
        if self.room is None:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
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
        if not bytes_data:
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
        if self.access != "edit":
            return  # a reader's change is dropped
        update = Decoder(message[1:]).read_message()
        if update and self.room.update_apply(update, user_id=self.user.pk):
            await self._broadcast(create_update_message(update), user_id=self.user.pk)

    async def _receive_awareness(self, message: bytes):
        entries = awareness_states(Decoder(message).read_message())
        shown = []
        for client, clock, state in entries:
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
            self.room.update_apply(update, user_id=event["user_id"])
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

    async def update_send(self, update: bytes):
        """A change the server made to the room (a revision saved elsewhere, merged in)."""
        await self.send(bytes_data=create_update_message(update))
