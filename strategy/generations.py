"""A generation per model: a number in Redis that moves whenever a row of the model is saved
or deleted (once the transaction commits), for what is worked out from a model's rows and
kept: kept under the generations it was worked out at, it is never read after a change.
One generation per model, whoever reads it ("Needs me"'s counts, the public list's filter
choices); the models are listened to by `connect()`.

A generation that cannot be read (Redis down) reads as None: nothing is to be kept then.

Within a request, the generations of every connected model are read from Redis at once, at
the first ask, and remembered (strategy/memo.py) until a change in the request moves one:
a page made of many kept parts pays for one Redis read.
"""

import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from strategy import memo

# The models connect() listens to: what a request reads the generations of at once.
_connected: set[str] = set()
MEMO_KEY = "model-generations"


def generation_key(label: str) -> str:
    return f"model-generation:{label}"


def generations(labels) -> dict[str, int | None]:
    """The current generation of each model `label` (app_label.ModelName)."""
    labels = list(labels)
    known = memo.memoised(MEMO_KEY, dict)  # a new one outside a request
    missing = {label for label in labels if label not in known}
    if missing:
        known.update(_read(missing | (_connected - known.keys()) if memo.active() else missing))
    return {label: known[label] for label in labels}


def _read(labels) -> dict[str, int | None]:
    keys = {label: generation_key(label) for label in labels}
    found = cache.get_many(list(keys.values()))
    for key in keys.values():
        if key not in found:
            # Never seen (or evicted): a new generation, unlike any a value was kept under.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return {label: found[key] for label, key in keys.items()}


def model_changed(label: str, *, at_once: bool = False) -> None:
    """A row of the model `label` changed: its generation moves once the current
    transaction commits (at once outside one). With `at_once`, it moves now as well: a
    reader on the writer's own connection before the commit (a test's transaction, which
    never commits) reads the change; one elsewhere may read what was there before and keep
    it under the new generation, which the commit moves again."""

    def bump():
        try:
            cache.incr(generation_key(label))
        except ValueError:  # none yet, or evicted
            cache.set(generation_key(label), time.time_ns(), timeout=None)
        # What this request read of the generations is past: read them again.
        memo.drop(MEMO_KEY)

    if at_once and transaction.get_connection().in_atomic_block:
        bump()
    transaction.on_commit(bump, robust=True)


def _saved(sender, **kwargs) -> None:
    model_changed(sender._meta.label)


def connect(labels) -> None:
    """Move the generations of the models `labels` when their rows change (call once all
    apps are loaded; calling it again for a model changes nothing)."""
    for label in sorted(set(labels)):
        _connected.add(label)
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"generation:saved:{label}")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"generation:deleted:{label}")
