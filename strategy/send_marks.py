"""Where each e-mail of a batch stands while the batch is sent, kept in Redis, so that a
worker killed part-way leaves at most the one message in flight in doubt.

A batch (strategy/mailer.py: notices_deliver) claims its rows in the ledger at once and
records their outcome at once, at the end: a committed database write per message would cost
more than sending it. Meanwhile, Redis holds a mark per message, in one hash per claim (the
claim's time, which every row of the batch carries in `claimed_at`): "claimed" when the batch
takes it, "sending" before it is handed to the mail server, then its outcome. A message is
handed over only once Redis has acknowledged its "sending" mark, so:

- "claimed": it never left (queued again by the sweep, the attempt not counted);
- "sent": it left (recorded sent);
- "unsent": it surely did not leave (queued again);
- "sending" or "in_doubt": it may have left (in doubt, for a person);
- no hash at all (Redis restarted empty, the marks expired, or Redis never answered): every
  row still being sent is in doubt, as without marks. Nothing is ever sent twice.

This trusts Redis not to lose an acknowledged write while keeping the rest (a restart that
loses everything is safe: the hash is gone). Two batches claimed in the same microsecond share
a hash, each writing only its own rows' fields.

Every call answers False (or nothing) when Redis fails, within its socket timeout
(REDIS_SOCKET_TIMEOUT); the mailer then commits each outcome in the database instead.
"""

import logging
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

CLAIMED, SENDING, SENT, UNSENT, IN_DOUBT = "claimed", "sending", "sent", "unsent", "in_doubt"
# Longer than the sweep waits before it looks at a batch still being sent (ten minutes),
# with room for a sweep that did not run for a while; past it, the rows are in doubt.
KEPT = timedelta(days=2)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _key(claimed_at: datetime) -> str:
    # Whole microseconds, as the database keeps the time: no float rounding.
    return f"notice-marks:{(claimed_at - _EPOCH) // timedelta(microseconds=1)}"


@lru_cache(maxsize=4)
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, **settings.REDIS_CLIENT_OPTIONS)


def _client() -> redis.Redis | None:
    url = settings.REDIS_URL
    return _client_for(url) if url.startswith(("redis://", "rediss://", "unix://")) else None


class BatchMarks:
    """The marks of one claimed batch, written as it is sent."""

    def __init__(self, *, claimed_at: datetime, notice_ids: list[int]):
        self.key = _key(claimed_at)
        self.notice_ids = notice_ids

    def begin(self) -> bool:
        """Mark every row of the batch claimed. False when Redis has no marks for it."""
        return self._write(dict.fromkeys(self.notice_ids, CLAIMED), expire=True)

    def write(self, marks: dict[int, str]) -> bool:
        """Write these marks (row id: mark) in one round trip; True once Redis has them."""
        return self._write(marks)

    def end(self) -> None:
        """Forget the batch's marks, once its outcome is in the database."""
        client = _client()
        if client is not None:
            try:
                client.hdel(self.key, *self.notice_ids)
            except redis.RedisError as error:
                logger.warning("The marks of a batch were not removed (they expire): %s", error)

    def _write(self, marks: dict[int, str], *, expire: bool = False) -> bool:
        client = _client()
        if client is None:
            return False
        try:
            with client.pipeline(transaction=False) as pipeline:
                pipeline.hset(self.key, mapping=marks)
                if expire:
                    pipeline.expire(self.key, KEPT)
                pipeline.execute()
        except redis.RedisError as error:
            logger.warning("Sending marks unavailable (%s); outcomes go to the database", error)
            return False
        return True


def marks_read(rows: list[tuple[int, datetime]]) -> dict[int, str]:
    """The marks of these rows (id, the time they were claimed), by id; a row with none is
    left out. Nothing, when Redis fails: every row is then taken as in doubt."""
    client = _client()
    if client is None or not rows:
        return {}
    by_key: dict[str, list[int]] = {}
    for notice_id, claimed_at in rows:
        by_key.setdefault(_key(claimed_at), []).append(notice_id)
    try:
        with client.pipeline(transaction=False) as pipeline:
            for key, ids in by_key.items():
                pipeline.hmget(key, ids)
            answers = pipeline.execute()
    except redis.RedisError as error:
        logger.warning("Sending marks unavailable to the sweep: %s", error)
        return {}
    found = {}
    for ids, values in zip(by_key.values(), answers, strict=True):
        for notice_id, value in zip(ids, values, strict=True):
            if value is not None:
                found[notice_id] = value.decode()
    return found
