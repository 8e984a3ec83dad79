from django.urls import path

from .views import feedback

app_name = "feedback"

urlpatterns = [
    path("feedback.csv", feedback.feedback_csv, name="csv"),
    path("feedback/<int:pk>/", feedback.feedback_thread, name="thread"),
    path("feedback/<int:pk>/reply/", feedback.feedback_reply, name="reply"),
    path("feedback/<int:pk>/triage/", feedback.feedback_triage, name="triage"),
    path(
        "feedback/comments/<int:pk>/<str:action>/",
        feedback.comment_moderate,
        name="moderate",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/feedback/",
        feedback.feedback_create,
        name="create",
    ),
]
