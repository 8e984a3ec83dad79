from django.urls import path

from strategy.caching import public_page

from . import feeds

app_name = "feeds"

urlpatterns = [
    path("recommendations/", public_page(feeds.RecommendationFeed()), name="recommendations"),
    path("groups/<slug:slug>/", public_page(feeds.GroupRecommendationFeed()), name="group"),
    path("iterations/", public_page(feeds.IterationFeed()), name="iterations"),
]
