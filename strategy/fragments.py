"""What a page renders or works out from rows that rarely change, kept in this process's
memory under the content it was made from: the row's id and the stamp that moves when the
row does (its revision, its `updated_at`), the language, whatever else it depends on.

A change makes a new key, never a stale read: nothing is invalidated, an entry no longer
asked for ages out of the cache (the "fragments" LocMemCache, bounded by MAX_ENTRIES). So a
key must name everything the value depends on; it never names the page cache's content
version (a fragment keyed on that would be the page cache again, lost at every change to
anything).

What is worked out from many rows (a count, a page's choices, the ids a list shows) has no
row stamp of its own: it names `models`, and is kept under their generations
(strategy/generations.py: a number in Redis each model's save or delete moves), and under
the RENEWED_SECONDS period it was made in, so a generation whose move was lost (Redis away
at the commit) keeps nothing stale for longer. When a generation cannot be read (Redis
down), nothing is kept: the value is computed. This is the one way a kept value goes stale.

Only what is the same for everyone who may see it is kept here: never a form, a CSRF token
or what depends on who is asking.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches

from strategy import generations

ALIAS = "fragments"
RENEWED_SECONDS = 5 * 60
_clock = time.monotonic


def fragment_key(name: str, *parts) -> str:
    """A short key for `name` made from `parts` (their repr: ids, stamps, language codes)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{name}:{digest}"


def stamp(models: Iterable[str]) -> tuple | None:
    """What a value worked out from the rows of `models` (app_label.ModelName, listened to
    by generations.connect) is kept under: their generations and the current period of
    RENEWED_SECONDS; None when Redis cannot say (keep nothing then)."""
    labels = sorted(set(models))
    found = generations.generations(labels)
    if None in found.values():
        return None
    return (*(found[label] for label in labels), int(_clock() // RENEWED_SECONDS))


def kept(name: str, parts: tuple, compute: Callable[[], Any], models: Iterable[str] = ()) -> Any:
    """The value kept for (`name`, `parts`), else `compute()`'s, kept for next time; with
    `models`, under their stamp() too (computed, not kept, when there is none)."""
    if models:
        found = stamp(models)
        if found is None:
            return compute()
        parts = (*parts, found)
    store = caches[ALIAS]
    key = fragment_key(name, *parts)
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(key, value)
    return value


def kept_many(
    name: str, parts_of: dict, compute: Callable[[list], dict], models: Iterable[str] = ()
) -> dict:
    """For each item of `parts_of` (item -> its parts), its kept value; the items not kept
    are computed together (`compute(items)` -> {item: value}) and kept. One cache read.
    With `models`, each is kept under their stamp() too, as in kept()."""
    if models:
        found = stamp(models)
        if found is None:
            return compute(list(parts_of))
        parts_of = {item: (*parts, found) for item, parts in parts_of.items()}
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
