from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import JsonResponse
from django.urls import include, path
from django.views.defaults import page_not_found

from public.caching import public_page
from public.sitemaps import SITEMAPS
from public.urls import feed_patterns
from public.views.home import home
from recommendations.views import drafting as drafting_views
from recommendations.views import review as review_views
from strategy.admin.dashboard import admin_dashboard
from strategy.needs_me import needs_me_page

from . import health

# The admin's own sign-in page would skip the rate limits and the second factor: it sends
# people to the site's sign-in instead.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/dashboard/", admin.site.admin_view(admin_dashboard), name="admin-dashboard"),
    path("admin/", admin.site.urls),
    path("api/", include("public.api.urls")),
    # An index of one sitemap per section, each in pages of at most its `limit` addresses:
    # one file could not hold every recommendation in every language.
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, reads=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]

# Every page people read exists once per language, under its language's prefix; English
# pages have none, so their addresses stay short and cacheable.
urlpatterns += i18n_patterns(
    path("", home, name="home"),
    # What anyone may read (public/), then the working pages of each app.
    path("", include("public.urls")),
    # Before the working pages' patterns, which a feed's address would otherwise be tried
    # against one by one (a cached feed is served in a fraction of what that costs).
    path("feeds/", include(feed_patterns)),
    path("", include("groups.urls")),
    path("", include("recommendations.urls.synthesis")),
    path("", include("recommendations.urls.feedback")),
    path("", include("recommendations.urls.translations")),
    path("", include("recommendations.urls.watching")),
    # Every working page of the signed-in (drafting, review, synthesis, triage, translation,
    # what needs them, their notifications) lives under /workspace/, a prefix no public
    # pattern uses: no slug can shadow one, nor be shadowed by one. Their old addresses
    # redirect (strategy/moved.py).
    path("workspace/", drafting_views.workspace, name="workspace"),
    path("workspace/needs-me/", needs_me_page, name="needs_me"),
    path("workspace/", include("recommendations.urls")),
    path("workspace/reviews/", review_views.reviews, name="reviews"),
    path("", include("strategy.notice_urls")),
    # allauth's sign-in and sign-out, also under the names the site's pages use.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("accounts/", include("strategy.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=False,
)


def handler404(request, exception):
    """JSON for the API, the site's page for everything else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
