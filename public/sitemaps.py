from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from groups.models import WorkingGroup
from recommendations import selectors
from recommendations.models import Iteration


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return ["home", "public:groups", "public:list", "public:timeline"]

    def location(self, name):
        return reverse(name)


class GroupSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return WorkingGroup.objects.order_by("position", "pk")


class RecommendationSitemap(Sitemap):
    i18n = True
    alternates = True
    # Addresses (a recommendation in one language, with its alternates) in one file.
    limit = 2000

    def items(self):
        # Plain rows rather than models: each page of the sitemap reads every item.
        return (
            selectors.public_versions(bodies=False, translations=False)
            .order_by("pk")
            .values("created_at", "recommendation__working_group__slug", "recommendation__number")
        )

    def location(self, row):
        return reverse(
            "public:recommendation",
            kwargs={
                "group": row["recommendation__working_group__slug"],
                "number": row["recommendation__number"],
            },
        )

    def lastmod(self, row):
        return row["created_at"]


class IterationSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return Iteration.objects.order_by("position", "pk")

    def location(self, iteration):
        return reverse("public:iteration", args=[iteration.slug])


SITEMAPS = {
    "pages": StaticSitemap,
    "groups": GroupSitemap,
    "recommendations": RecommendationSitemap,
    "iterations": IterationSitemap,
}
