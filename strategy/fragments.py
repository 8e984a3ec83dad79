"""What a page renders or works out from rows that rarely change, kept in this process's
memory under the content it was made from: the row's id and the stamp that moves when the
row does (its revision, its `updated_at`), the language, whatever else it depends on.

A change makes a new key, never a stale read: nothing is invalidated, an entry no longer
asked for ages out of the cache (the "fragments" LocMemCache, bounded by MAX_ENTRIES). So a
key must name everything the value depends on; it never names the page cache's content
version (a fragment keyed on that would be the page cache again, lost at every change to
anything).

Only what is the same for everyone who may see it is kept here: never a form, a CSRF token
or what depends on who is asking.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import caches

ALIAS = "fragments"


def fragment_key(name: str, *parts) -> str:
    """A short key for `name` made from `parts` (their repr: ids, stamps, language codes)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{name}:{digest}"


def kept(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    """The value kept for (`name`, `parts`), else `compute()`'s, kept for next time."""
    store = caches[ALIAS]
    key = fragment_key(name, *parts)
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(key, value)
    return value


def kept_many(name: str, parts_of: dict, compute: Callable[[list], dict]) -> dict:
    """For each item of `parts_of` (item -> its parts), its kept value; the items not kept
    are computed together (`compute(items)` -> {item: value}) and kept. One cache read."""
    store = caches[ALIAS]
    keys = {item: fragment_key(name, *parts) for item, parts in parts_of.items()}
    found = store.get_many(list(keys.values()))
    values = {item: found[key] for item, key in keys.items() if key in found}
    missing = [item for item in keys if item not in values]
    if missing:
        computed = compute(missing)
        store.set_many({keys[item]: computed[item] for item in missing if item in computed})
        values.update(computed)
    return values


def forget() -> None:
    """Drop every fragment of this process (tests: a test database may number rows anew)."""
    caches[ALIAS].clear()


_MISSING = object()
