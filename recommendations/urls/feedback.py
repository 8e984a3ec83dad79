from django.urls import path

from recommendations.views import feedback

app_name = "feedback"

# Giving feedback and replying, on a published recommendation (its threads and the CSV are
# public pages: public/urls.py); triage and moderation are the connectors' work, under
# /workspace/.
urlpatterns = [
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
