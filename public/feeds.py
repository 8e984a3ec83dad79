"""Atom feeds of what is published: recommendations (all, or one group's) and iterations.

An Atom summary is declared `type="html"`: a feed reader renders what it holds as HTML.
Summaries and names are plain text that members write (pages show them as text), so each
goes out HTML-escaped, and a reader shows `<script>` as those characters.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from groups.models import WorkingGroup
from recommendations import selectors
from strategy import fragments

LATEST = 50


@dataclass(frozen=True)
class Entry:
    """What the feed shows of a published version, worked out once (see _entries)."""

    title: str
    description: str
    link: str
    guid: str
    published: datetime


def _entries(group: str) -> list[Entry]:
    return [
        Entry(
            title=(
                f"{version.recommendation.working_group.name} {version.recommendation.number}. "
                f"{version.source_title}"
            ),
            description=escape(version.source_summary),
            link=version.recommendation.get_public_url(),
            guid=f"version-{version.pk}",
            published=version.created_at,
        )
        for version in selectors.latest_published(group=group, count=LATEST)
    ]


def latest_entries(*, group: str = "") -> list[Entry]:
    """The entries of the versions published last (of the group with slug `group`), kept
    under the generations of what they are read from, per language (a group's name is
    translated)."""
    return fragments.kept(
        "feed-entries",
        (get_language(), group),
        lambda: _entries(group),
        selectors.LATEST_PUBLISHED_MODELS,
    )


class RecommendationFeed(Feed):
    feed_type = Atom1Feed
    title = _("Published recommendations")
    subtitle = _("Recommendations of the working groups, as they are published.")

    def link(self):
        return reverse("public:list")

    def items(self):
        return latest_entries()

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.description

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.published


class GroupRecommendationFeed(RecommendationFeed):
    def get_object(self, request, slug):
        return get_object_or_404(WorkingGroup, slug=slug)

    def title(self, group):
        return _("Published recommendations of %(group)s") % {"group": group.name}

    def link(self, group):
        return reverse("public:list") + f"?group={group.slug}"

    def items(self, group):
        return latest_entries(group=group.slug)


class IterationFeed(Feed):
    feed_type = Atom1Feed
    title = _("Iterations")
    subtitle = _("Each iteration: the whole set of recommendations as published in it.")

    def link(self):
        return reverse("public:iteration_compare")

    def items(self):
        return selectors.iterations_latest(count=LATEST)

    def item_title(self, iteration):
        return iteration.name

    def item_description(self, iteration):
        return escape(iteration.name)

    def item_link(self, iteration):
        return reverse("public:iteration", args=[iteration.slug])

    def item_pubdate(self, iteration):
        from datetime import datetime, time

        from django.utils import timezone

        if iteration.published_on is None:
            return None
        return timezone.make_aware(datetime.combine(iteration.published_on, time()))
