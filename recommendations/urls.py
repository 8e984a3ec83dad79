from django.urls import path

from .views import drafting, review

app_name = "recommendations"

urlpatterns = [
    path("preview/", drafting.recommendation_preview, name="preview"),
    path("new/<slug:slug>/", drafting.recommendation_create, name="create"),
    path("ranking/<slug:slug>/", drafting.group_ranking, name="ranking"),
    path("<id:pk>/", drafting.recommendation_detail, name="detail"),
    path("<id:pk>/edit/", drafting.recommendation_edit, name="edit"),
    path("<id:pk>/editing/", drafting.recommendation_editing, name="editing"),
    path("<id:pk>/history/", drafting.recommendation_history, name="history"),
    path("<id:pk>/diff/", drafting.recommendation_diff, name="diff"),
    path("<id:pk>/revisions/<id:number>/", drafting.recommendation_revision, name="revision"),
    path(
        "<id:pk>/revisions/<id:number>/restore/",
        drafting.recommendation_restore,
        name="restore",
    ),
    path("<id:pk>/submit/", review.recommendation_submit, name="submit"),
    path("<id:pk>/publish/", review.recommendation_publish, name="publish"),
    path("<id:pk>/withdraw/", review.recommendation_withdraw, name="withdraw"),
    path("<id:pk>/versions/<id:version>/", review.version_detail, name="version"),
    path("<id:pk>/versions/<id:version>/outcomes/", review.version_outcomes, name="outcomes"),
    path("<id:pk>/versions/<id:version>/threads/", review.thread_create, name="thread_create"),
    path("<id:pk>/versions/<id:version>/assign/", review.assignment_create, name="assign"),
    path("<id:pk>/threads/<id:thread>/", review.thread_detail, name="thread"),
    path("<id:pk>/threads/<id:thread>/reply/", review.thread_reply, name="reply"),
    path("<id:pk>/threads/<id:thread>/resolve/", review.thread_resolve, name="resolve"),
    path("<id:pk>/threads/<id:thread>/reopen/", review.thread_reopen, name="reopen"),
    path("<id:pk>/comments/<id:comment>/edit/", review.comment_edit, name="comment_edit"),
    path(
        "assignments/<id:assignment>/<str:action>/",
        review.assignment_answer,
        name="assignment_answer",
    ),
]
