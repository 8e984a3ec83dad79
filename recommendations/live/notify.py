"""Telling the live rooms from outside them, through the channel layer: that a revision was
saved elsewhere (the plain form, a restore, the admin), so that it enters the room as a
change (room.py, `revision_merge`); that a working group's memberships changed, so that
each connection in its drafts asks again whether its person may still edit
(consumers.py, `live_access_changed`).

Sent after the transaction commits, and bounded: with the layer's Redis hung or down, the
save it follows goes on after LIVE_NOTIFY_TIMEOUT seconds at most, and the rooms catch up
anyway (a room merges the latest revision at its next write, and asks again who may edit
at an interval).
"""

import asyncio
import logging
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from recommendations.live.people import room_group, working_group_group

logger = logging.getLogger(__name__)


def _send(group: str, message: dict) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _send_now(group, message)
        return
    # An event loop runs in this thread (a test's browser driver), which async_to_sync may
    # not block: send from a thread of its own, bounded all the same.
    thread = threading.Thread(target=_send_now, args=(group, message))
    thread.start()
    thread.join()


def _send_now(group: str, message: dict) -> None:
    async def send():
        await asyncio.wait_for(
            get_channel_layer().group_send(group, message), timeout=settings.LIVE_NOTIFY_TIMEOUT
        )

    try:
        async_to_sync(send)()
    except Exception:
        # What was saved is saved; the rooms catch up by themselves.
        logger.warning("live rooms of %s not told of %s", group, message["type"], exc_info=True)


def live_revision_saved(*, recommendation_id: int) -> None:
    """After the transaction commits, tell the room (if one is open, in any process)."""
    transaction.on_commit(lambda: _send(room_group(recommendation_id), {"type": "live.revision"}))


def live_memberships_changed(*, working_group_id: int) -> None:
    """After the transaction commits, tell every room of the group's drafts."""
    transaction.on_commit(
        lambda: _send(working_group_group(working_group_id), {"type": "live.access"})
    )
