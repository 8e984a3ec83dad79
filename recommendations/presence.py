"""Who has a draft open for editing, kept in the cache (Redis in production).

Advisory only: it warns before anyone types; the conflict screen is what keeps words
from being lost. So when Redis cannot be reached, the cache (strategy/redis_cache.py)
finds no one and keeps nothing: the editor opens without the notice, and saves as ever.
"""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache


def _key(recommendation_id: int) -> str:
    return f"recommendations:editing:{recommendation_id}"


def _fresh(entries: dict) -> dict:
    oldest = time.time() - settings.EDITING_PRESENCE_SECONDS
    return {user_id: entry for user_id, entry in entries.items() if entry["seen"] >= oldest}


def editing_open(*, recommendation_id: int, user) -> None:
    """Record that `user` has the draft open now (or is still there)."""
    now = time.time()
    entries = _fresh(cache.get(_key(recommendation_id), {}))
    entry = entries.get(user.pk) or {"name": user.display_name, "since": now}
    entry["seen"] = now
    entries[user.pk] = entry
    cache.set(_key(recommendation_id), entries, settings.EDITING_PRESENCE_SECONDS)


def editing_close(*, recommendation_id: int, user) -> None:
    entries = _fresh(cache.get(_key(recommendation_id), {}))
    if entries.pop(user.pk, None) is not None:
        cache.set(_key(recommendation_id), entries, settings.EDITING_PRESENCE_SECONDS)


# Under this many seconds the notice says "just now": timesince would say "0 minutes".
JUST_NOW_SECONDS = 60


def editing_others(*, recommendation_id: int, user) -> list[dict]:
    """The other people who have the draft open, each with `name`, `since` (a datetime) and
    `just_now` (opened less than a minute ago)."""
    entries = _fresh(cache.get(_key(recommendation_id), {}))
    now = time.time()
    return [
        {
            "name": entry["name"],
            "since": datetime.fromtimestamp(entry["since"], tz=UTC),
            "just_now": now - entry["since"] < JUST_NOW_SECONDS,
        }
        for user_id, entry in sorted(entries.items(), key=lambda item: item[1]["since"])
        if user_id != user.pk
    ]
