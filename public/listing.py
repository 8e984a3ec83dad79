"""The list of published recommendations as the list page and the API page through it: how
many versions a filter or a search finds, which of them a page shows, and what each row of
the page shows, kept by each process (strategy/fragments.py).

The count and a page's versions are worked out from many rows: they are kept under the
generations of the models they are read from (LIST_MODELS, connected in public/apps.py).
The page's versions are kept with their stamps (Stamp: the version, its revision, its
recommendation's `updated_at`, the names its row shows), and each row's value under its
stamp and the language: a change to one recommendation has its own row made again, and the
others are reused. A warm page reads nothing from the database; a cold one reads what it
did before (the count, the page's ids, its rows).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from recommendations import selectors
from recommendations.models import Version
from strategy import fragments

# What the count and the ids of a filter, a search and a page are read from: the versions,
# their search texts, their recommendations (state, group, rank, number; their history
# says whether a closed iteration keeps a withdrawn one), the iterations (slug, state), the
# groups (slug, order) and the areas (slug).
LIST_MODELS = (
    "recommendations.Recommendation",
    "recommendations.Version",
    "recommendations.VersionSearch",
    "recommendations.Iteration",
    "groups.WorkingGroup",
    "groups.ThematicArea",
)
FILTERS = ("group", "area", "iteration", "state", "q")

# A version on a page of the list, and what its row shows of other rows: its id, its
# revision's, its recommendation's updated_at, its group's slug and name and its
# iteration's slug and name (in the page's language).
Stamp = tuple[int, int, datetime, str, str, str, str]


def _filters(filters: dict) -> dict[str, str]:
    """Every filter, "" where not given, the words of a search without the spaces around
    them: one key for what finds the same versions."""
    found = {name: filters.get(name) or "" for name in FILTERS}
    found["q"] = found["q"].strip()
    return found


def _stamp(version: Version) -> Stamp:
    group = version.recommendation.working_group
    return (
        version.pk,
        version.revision_id,
        version.recommendation.updated_at,
        group.slug,
        group.name,
        version.iteration.slug,
        version.iteration.name,
    )


class Listing:
    """The versions `filters` (public_versions' filters) find, as a page shows them: their
    count and a page's rows, kept under LIST_MODELS' generations (Redis down: nothing is
    kept). The language too: the groups' order is by their name in it."""

    def __init__(self, filters: dict):
        self.filters = _filters(filters)
        self.parts = (get_language(), *(self.filters[name] for name in FILTERS))
        self._ids = None

    def ids(self):
        """The ids the filters find, in order (public_version_ids): found once, for the
        count and the page both (a search ranks its matches once)."""
        if self._ids is None:
            self._ids = selectors.public_version_ids(**self.filters)
        return self._ids

    def _kept(self, name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
        return fragments.kept(name, (*self.parts, *parts), compute, LIST_MODELS)

    def count(self) -> int:
        """How many versions the filters find."""
        return self._kept("public-list-count", (), lambda: self.ids().count())

    def rows(
        self,
        *,
        start: int,
        stop: int,
        name: str,
        rows: Callable[[], QuerySet[Version]],
        render: Callable[[list[Version]], dict[int, Any]],
    ) -> list[tuple[int, Any]]:
        """(version id, what `render` makes of it) for each version from `start` to `stop`
        of those the filters find, in the list's order. `render(versions)` -> {version id:
        value} depends on nothing but what a Stamp names and the language; `name` names
        what it makes. The versions are read from `rows()` (public_versions with these
        filters) when one is not kept: the page's once."""
        read: dict[int, Version] = {}

        def find() -> list[Stamp]:
            ids = list(self.ids()[start:stop])
            read.update(rows().in_bulk(ids))
            return [_stamp(read[pk]) for pk in ids if pk in read]

        stamps = self._kept("public-list-page", (start, stop), find)

        def make(missing: list[int]) -> dict[int, Any]:
            if any(pk not in read for pk in missing):
                read.update(rows().in_bulk(missing))
            return render([read[pk] for pk in missing if pk in read])

        language = self.parts[0]
        values = fragments.kept_many(name, {stamp[0]: (*stamp, language) for stamp in stamps}, make)
        return [(stamp[0], values[stamp[0]]) for stamp in stamps if stamp[0] in values]
