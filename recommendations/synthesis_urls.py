from django.urls import path

from .views import synthesis

app_name = "synthesis"

urlpatterns = [
    path("synthesis/", synthesis.overview, name="overview"),
    path("synthesis/coverage/", synthesis.coverage, name="coverage"),
    path("synthesis/coverage.csv", synthesis.coverage_csv, name="coverage_csv"),
    path("synthesis/overlaps/", synthesis.overlaps, name="overlaps"),
    path("synthesis/inputs/", synthesis.inputs, name="inputs"),
    path("synthesis/fates/<id:source>/", synthesis.fate, name="fate"),
    path("recommendations/<id:pk>/sources/", synthesis.sources, name="sources"),
    path(
        "recommendations/<id:pk>/sources/<id:link>/remove/",
        synthesis.source_unlink,
        name="unlink",
    ),
]
