from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from groups.models import WorkingGroup
from recommendations import selectors
from recommendations.models import Iteration


class StaticSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return ["home", "groups:list", "public:list", "timeline:index"]

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
    limit = 5000

    def items(self):
        return selectors.public_versions(bodies=False, translations=False).order_by("pk")

    def location(self, version):
        return version.recommendation.get_public_url()

    def lastmod(self, version):
        return version.created_at


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
