from django.urls import path

from .views import drafting, review

app_name = "recommendations"

urlpatterns = [
    path("preview/", drafting.recommendation_preview, name="preview"),
    path("new/<slug:slug>/", drafting.recommendation_create, name="create"),
    path("ranking/<slug:slug>/", drafting.group_ranking, name="ranking"),
    path("<int:pk>/", drafting.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", drafting.recommendation_edit, name="edit"),
    path("<int:pk>/editing/", drafting.recommendation_editing, name="editing"),
    path("<int:pk>/history/", drafting.recommendation_history, name="history"),
    path("<int:pk>/diff/", drafting.recommendation_diff, name="diff"),
    path("<int:pk>/revisions/<int:number>/", drafting.recommendation_revision, name="revision"),
    path(
        "<int:pk>/revisions/<int:number>/restore/",
        drafting.recommendation_restore,
        name="restore",
    ),
    path("<int:pk>/submit/", review.recommendation_submit, name="submit"),
    path("<int:pk>/publish/", review.recommendation_publish, name="publish"),
    path("<int:pk>/withdraw/", review.recommendation_withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:version>/", review.version_detail, name="version"),
    path("<int:pk>/versions/<int:version>/outcomes/", review.version_outcomes, name="outcomes"),
    path("<int:pk>/versions/<int:version>/threads/", review.thread_create, name="thread_create"),
    path("<int:pk>/versions/<int:version>/assign/", review.assignment_create, name="assign"),
    path("<int:pk>/threads/<int:thread>/", review.thread_detail, name="thread"),
    path("<int:pk>/threads/<int:thread>/reply/", review.thread_reply, name="reply"),
    path("<int:pk>/threads/<int:thread>/resolve/", review.thread_resolve, name="resolve"),
    path("<int:pk>/threads/<int:thread>/reopen/", review.thread_reopen, name="reopen"),
    path("<int:pk>/comments/<int:comment>/edit/", review.comment_edit, name="comment_edit"),
    path(
        "assignments/<int:assignment>/<str:action>/",
        review.assignment_answer,
        name="assignment_answer",
    ),
]
