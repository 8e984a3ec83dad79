from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from groups import selectors as group_selectors
from recommendations import selectors


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
        return group_selectors.groups_in_order()


class RecommendationSitemap(Sitemap):
    i18n = True
    alternates = True
    # Addresses (a recommendation in one language, with its alternates) in one file.
    limit = 2000

    def items(self):
        return selectors.published_addresses()

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
        return selectors.iterations_in_order()

    def location(self, iteration):
        return reverse("public:iteration", args=[iteration.slug])


SITEMAPS = {
    "pages": StaticSitemap,
    "groups": GroupSitemap,
    "recommendations": RecommendationSitemap,
    "iterations": IterationSitemap,
}
