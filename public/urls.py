"""Every page an anonymous reader gets, in one namespace ("public"), plus the feeds
("feeds"); mounted by strategy/urls.py under each language's prefix. The API and the
sitemaps, which have no language prefix, are in api/urls.py and sitemaps.py."""

from django.urls import path

from .caching import public_page
from .feeds import GroupRecommendationFeed, IterationFeed, RecommendationFeed
from .views import feedback, groups, iterations, recommendations, timeline

app_name = "public"

urlpatterns = [
    path("groups/", groups.group_list, name="groups"),
    path("groups/<slug:slug>/", groups.group_detail, name="group"),
    path("recommendations/", recommendations.recommendation_list, name="list"),
    path(
        "recommendations/export.<str:format>",
        recommendations.recommendation_export,
        name="export",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/",
        recommendations.recommendation_public,
        name="recommendation",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/feedback/threads/",
        recommendations.recommendation_feedback,
        name="feedback_list",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/compare/",
        recommendations.recommendation_compare,
        name="compare",
    ),
    path("iterations/compare/", iterations.iteration_compare, name="iteration_compare"),
    path("iterations/<slug:slug>/", iterations.iteration_detail, name="iteration"),
    path("iterations/<slug:slug>/pdf/", iterations.iteration_pdf, name="iteration_pdf"),
    path("feedback.csv", feedback.feedback_csv, name="feedback_csv"),
    path("feedback/<id:pk>/", feedback.feedback_thread, name="feedback_thread"),
    path("timeline/", timeline.timeline_index, name="timeline"),
    path("timeline/calendar.ics", timeline.calendar_feed, name="calendar"),
    path("timeline/<slug:slug>/calendar.ics", timeline.calendar_feed, name="group_calendar"),
]

feed_patterns = (
    [
        path("recommendations/", public_page(RecommendationFeed()), name="recommendations"),
        path("groups/<slug:slug>/", public_page(GroupRecommendationFeed()), name="group"),
        path("iterations/", public_page(IterationFeed()), name="iterations"),
    ],
    "feeds",
)
