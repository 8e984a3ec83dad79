from django.urls import path

from recommendations.views import watching

app_name = "watching"

# Working pages, under /workspace/: what one watches, and the forms the public pages of a
# recommendation and of a group show the signed-in ("watch", "unwatch").
urlpatterns = [
    path("workspace/watching/", watching.watching_list, name="list"),
    path(
        "workspace/watching/recommendations/<id:pk>/<str:action>/",
        watching.recommendation_watch,
        name="recommendation",
    ),
    path(
        "workspace/watching/groups/<slug:slug>/<str:action>/",
        watching.group_watch,
        name="group",
    ),
]
