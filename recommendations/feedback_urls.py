from django.urls import path

from .views import feedback

app_name = "feedback"

urlpatterns = [
    path("feedback.csv", feedback.feedback_csv, name="csv"),
    path("feedback/<id:pk>/", feedback.feedback_thread, name="thread"),
    path("feedback/<id:pk>/reply/", feedback.feedback_reply, name="reply"),
    path("feedback/<id:pk>/triage/", feedback.feedback_triage, name="triage"),
    path(
        "feedback/comments/<id:pk>/<str:action>/",
        feedback.comment_moderate,
        name="moderate",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/feedback/",
        feedback.feedback_create,
        name="create",
    ),
]
