from django.urls import path

from .views import feedback

app_name = "feedback"

# Feedback is public (the threads, the CSV, commenting and replying on a published
# recommendation); triage and moderation are the connectors' work, under /workspace/.
urlpatterns = [
    path("feedback.csv", feedback.feedback_csv, name="csv"),
    path("feedback/<id:pk>/", feedback.feedback_thread, name="thread"),
    path("feedback/<id:pk>/reply/", feedback.feedback_reply, name="reply"),
    path("workspace/feedback/<id:pk>/triage/", feedback.feedback_triage, name="triage"),
    path(
        "workspace/feedback/comments/<id:pk>/<str:action>/",
        feedback.comment_moderate,
        name="moderate",
    ),
    path(
        "recommendations/<slug:group>/<str:number>/feedback/",
        feedback.feedback_create,
        name="create",
    ),
]
