"""Atom feeds of what is published: recommendations (all, or one group's) and iterations.

An Atom summary is declared `type="html"`: a feed reader renders what it holds as HTML.
Summaries and names are plain text that members write (pages show them as text), so each
goes out HTML-escaped, and a reader shows `<script>` as those characters.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from groups.models import WorkingGroup
from recommendations import selectors

LATEST = 50


class RecommendationFeed(Feed):
    feed_type = Atom1Feed
    title = _("Published recommendations")
    subtitle = _("Recommendations of the working groups, as they are published.")

    def link(self):
        return reverse("public:list")

    def items(self):
        return selectors.latest_published(count=LATEST)

    def item_title(self, version):
        recommendation = version.recommendation
        return (
            f"{recommendation.working_group.name} {recommendation.number}. {version.source_title}"
        )

    def item_description(self, version):
        return escape(version.source_summary)

    def item_link(self, version):
        return version.recommendation.get_public_url()

    def item_guid(self, version):
        return f"version-{version.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.created_at

    def item_updateddate(self, version):
        return version.created_at


class GroupRecommendationFeed(RecommendationFeed):
    def get_object(self, request, slug):
        return get_object_or_404(WorkingGroup, slug=slug)

    def title(self, group):
        return _("Published recommendations of %(group)s") % {"group": group.name}

    def link(self, group):
        return reverse("public:list") + f"?group={group.slug}"

    def items(self, group):
        return selectors.latest_published(group=group.slug, count=LATEST)


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
