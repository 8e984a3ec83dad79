from django.urls import path

from recommendations.views import synthesis

app_name = "synthesis"

# The coverage report keeps its public address: it is public once a synthesized recommendation
# is published (and answers only to the synthesis group and the core team before). The other
# pages are working pages, under /workspace/.
urlpatterns = [
    path("workspace/synthesis/", synthesis.overview, name="overview"),
    path("synthesis/coverage/", synthesis.coverage, name="coverage"),
    path("synthesis/coverage.csv", synthesis.coverage_csv, name="coverage_csv"),
    path("workspace/synthesis/overlaps/", synthesis.overlaps, name="overlaps"),
    path("workspace/synthesis/inputs/", synthesis.inputs, name="inputs"),
    path("workspace/synthesis/fates/<id:source>/", synthesis.fate, name="fate"),
    path("workspace/recommendations/<id:pk>/sources/", synthesis.sources, name="sources"),
    path(
        "workspace/recommendations/<id:pk>/sources/<id:link>/remove/",
        synthesis.source_unlink,
        name="unlink",
    ),
    path(
        "workspace/recommendations/<id:pk>/sources/<id:link>/note/",
        synthesis.source_note,
        name="source_note",
    ),
]
