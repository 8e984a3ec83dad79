from django.urls import path

from recommendations.views import drafting

# Under /workspace/ (see __init__.py), in the "recommendations" namespace.
urlpatterns = [
    path("preview/", drafting.recommendation_preview, name="preview"),
    path("new/<slug:slug>/", drafting.recommendation_create, name="create"),
    path("ranking/<slug:slug>/", drafting.group_ranking, name="ranking"),
    path("recommendations/<id:pk>/", drafting.recommendation_detail, name="detail"),
    path("recommendations/<id:pk>/edit/", drafting.recommendation_edit, name="edit"),
    path("recommendations/<id:pk>/editing/", drafting.recommendation_editing, name="editing"),
    path("recommendations/<id:pk>/history/", drafting.recommendation_history, name="history"),
    path("recommendations/<id:pk>/diff/", drafting.recommendation_diff, name="diff"),
    path(
        "recommendations/<id:pk>/revisions/<id:number>/",
        drafting.recommendation_revision,
        name="revision",
    ),
    path(
        "recommendations/<id:pk>/revisions/<id:number>/restore/",
        drafting.recommendation_restore,
        name="restore",
    ),
]
