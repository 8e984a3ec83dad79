"""The read-only JSON API and its OpenAPI schema (/api/schema/)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from public.api.groups import WorkingGroupViewSet
from public.api.recommendations import IterationViewSet, PublishedRecommendationViewSet
from public.api.suggestions import SuggestionViewSet
from public.api.timeline import MilestoneViewSet

router = DefaultRouter()
router.register("groups", WorkingGroupViewSet, basename="group")
router.register("recommendations", PublishedRecommendationViewSet, basename="recommendation")
router.register("iterations", IterationViewSet, basename="iteration")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("suggestions", SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include(router.urls)),
]
