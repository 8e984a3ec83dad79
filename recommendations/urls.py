from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("preview/", views.recommendation_preview, name="preview"),
    path("new/<slug:slug>/", views.recommendation_create, name="create"),
    path("ranking/<slug:slug>/", views.group_ranking, name="ranking"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", views.recommendation_edit, name="edit"),
    path("<int:pk>/editing/", views.recommendation_editing, name="editing"),
    path("<int:pk>/history/", views.recommendation_history, name="history"),
    path("<int:pk>/diff/", views.recommendation_diff, name="diff"),
    path("<int:pk>/revisions/<int:number>/", views.recommendation_revision, name="revision"),
    path(
        "<int:pk>/revisions/<int:number>/restore/",
        views.recommendation_restore,
        name="restore",
    ),
]
