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
    """The marks of one claimed batch, written as it is sent. A mark may be posted
    (`post`) and its acknowledgement awaited later (`confirm`), so that Redis answers while
    the next message is composed: the wait before each send costs little."""

    def __init__(self, *, claimed_at: datetime, notice_ids: list[int]):
        self.key = _key(claimed_at)
        self.notice_ids = notice_ids
        self._connection = None
        self._awaited = 0

    def begin(self) -> bool:
        """Mark every row of the batch claimed. False when Redis has no marks for it."""
        client = _client()
        if client is None:
            return False
        try:
            with client.pipeline(transaction=False) as pipeline:
                pipeline.hset(self.key, mapping=dict.fromkeys(self.notice_ids, CLAIMED))
                pipeline.expire(self.key, KEPT)
                pipeline.execute()
            self._connection = client.connection_pool.get_connection()
        except redis.RedisError as error:
            return self._failed(error)
        return True

    def post(self, marks: dict[int, str]) -> bool:
        """Send these marks (row id: mark) to Redis, not waiting for its answer."""
        if self._connection is None:
            return False
        flat = [part for notice_id, mark in marks.items() for part in (notice_id, mark)]
        try:
            self._connection.send_command("HSET", self.key, *flat)
        except redis.RedisError as error:
            return self._failed(error)
        self._awaited += 1
        return True

    def confirm(self) -> bool:
        """True once Redis has acknowledged every mark posted."""
        if self._connection is None:
            return False
        try:
            while self._awaited:
                answer = self._connection.read_response()
                self._awaited -= 1
                if isinstance(answer, redis.ResponseError):
                    raise answer
        except redis.RedisError as error:
            return self._failed(error)
        return True

    def write(self, marks: dict[int, str]) -> bool:
        """Write these marks and wait until Redis has them."""
        return self.post(marks) and self.confirm()

    def end(self) -> None:
        """Forget the batch's marks, once its outcome is in the database."""
        if self._connection is None or not self.confirm():
            return
        try:
            self._connection.send_command("HDEL", self.key, *self.notice_ids)
            self._connection.read_response()
        except redis.RedisError as error:
            self._failed(error)
            return
        _client().connection_pool.release(self._connection)
        self._connection = None

    def _failed(self, error: Exception) -> bool:
        logger.warning("Sending marks unavailable (%s); outcomes go to the database", error)
        if self._connection is not None:
            # Answers may be owed on it: it is not given back to the pool.
            self._connection.disconnect()
            self._connection = None
        return False


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
