"""Telling the draft's live room that a revision was saved elsewhere (the plain form, a
restore, the admin), so that it enters the room as a change (room.py, `revision_merge`)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from recommendations.live.people import room_group

logger = logging.getLogger(__name__)


def _send(recommendation_id: int) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(
            room_group(recommendation_id), {"type": "live.revision"}
        )
    except Exception:
        # The revision is saved; the room merges it at its next write anyway.
        logger.warning("live room of %s not told of a revision", recommendation_id, exc_info=True)


def live_revision_saved(*, recommendation_id: int) -> None:
    """After the transaction commits, tell the room (if one is open, in any process)."""
    transaction.on_commit(lambda: _send(recommendation_id))
