from django.urls import path

from recommendations.views import suggestion_moderation, suggestions

# Under /workspace/ (see __init__.py), in the "recommendations" namespace.
urlpatterns = [
    path(
        "recommendations/<id:pk>/versions/<id:version>/suggestions/",
        suggestions.suggestion_create,
        name="suggestion_create",
    ),
    path(
        "recommendations/<id:pk>/suggestions/<id:suggestion>/decide/",
        suggestions.suggestion_decide,
        name="suggestion_decide",
    ),
    path(
        "recommendations/<id:pk>/versions/<id:version>/suggestions/merge/",
        suggestions.suggestion_workbench,
        name="suggestion_workbench",
    ),
    path(
        "recommendations/<id:pk>/suggestions/<id:suggestion>/<str:action>/",
        suggestion_moderation.suggestion_moderate,
        name="suggestion_moderate",
    ),
]
