"""The cache on Redis, failing soft: when Redis cannot be reached, a read finds nothing and a
write does nothing, so a request goes on without the cache instead of failing.

Django's RedisCache raises on every Redis error and has no option to ignore them.
django-redis has one (IGNORE_EXCEPTIONS), but switching to it would change the client, the
serializer and the key format the whole project reads, for the one behaviour wanted here;
this subclass keeps Django's backend and adds only that, in one place.

After an error, the backend leaves Redis alone for RETRY_SECONDS: a request then costs one
socket timeout at most (see REDIS_SOCKET_TIMEOUT), not one per cache call, and the requests
after it none, while Redis is paused or unreachable.

Rate limits are the exception to "a read finds nothing": while Redis is away, the keys of
the sign-in, sign-up and password-reset limits (allauth's, LOCAL_WHEN_AWAY) are kept in this
process's memory, so those limits still hold, per process, instead of letting every guess
through.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# Per process and per server, shared by the threads: when Redis was last found unreachable.
_unreachable_until: dict[tuple, float] = {}
# Keys kept in this process's memory while Redis is away: allauth's rate limits and their locks.
LOCAL_WHEN_AWAY = ("allauth:rl:",)
_away = LocMemCache("redis-away", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def _kept_locally(args) -> bool:
    return bool(args) and isinstance(args[0], str) and args[0].startswith(LOCAL_WHEN_AWAY)


def _fail_soft(name: str, failed):
    """`name` of RedisCache, answering `failed(*args, **kwargs)` when Redis fails."""
    method = getattr(RedisCache, name)

    def away(*args, **kwargs):
        if _kept_locally(args):
            return getattr(_away, name)(*args, **kwargs)
        return failed(*args, **kwargs)

    def wrapper(self, *args, **kwargs):
        servers = tuple(self._servers)
        if time.monotonic() < _unreachable_until.get(servers, 0.0):
            return away(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            _unreachable_until[servers] = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "Cache: Redis unavailable (%s: %s); going on without it for %s s",
                name,
                error,
                RETRY_SECONDS,
            )
            return away(*args, **kwargs)

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


class FailSoftRedisCache(RedisCache):
    """RedisCache that logs a Redis error and answers as if the key were absent: `get`
    finds nothing, `add` succeeds (storing nothing), except for the rate limits' keys, which
    this process keeps meanwhile (LOCAL_WHEN_AWAY). `set` answers False when Redis could not
    be written (and None, as Django's, when it was)."""

    get = _fail_soft("get", _default)
    add = _fail_soft("add", lambda *args, **kwargs: True)
    set = _fail_soft("set", lambda *args, **kwargs: False)
    touch = _fail_soft("touch", lambda *args, **kwargs: False)
    delete = _fail_soft("delete", lambda *args, **kwargs: False)
    has_key = _fail_soft("has_key", lambda *args, **kwargs: False)
    get_many = _fail_soft("get_many", lambda *args, **kwargs: {})
    set_many = _fail_soft("set_many", lambda data, *args, **kwargs: list(data))
    delete_many = _fail_soft("delete_many", lambda *args, **kwargs: None)
    clear = _fail_soft("clear", lambda *args, **kwargs: False)
