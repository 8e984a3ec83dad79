from django.urls import path

from .views import drafting, review

app_name = "recommendations"

# The working pages of recommendations, mounted under /workspace/ (strategy/urls.py): no
# public pattern starts there, so no group slug or number can shadow one of them.
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
    path("recommendations/<id:pk>/submit/", review.recommendation_submit, name="submit"),
    path("recommendations/<id:pk>/publish/", review.recommendation_publish, name="publish"),
    path("recommendations/<id:pk>/withdraw/", review.recommendation_withdraw, name="withdraw"),
    path("recommendations/<id:pk>/versions/<id:version>/", review.version_detail, name="version"),
    path(
        "recommendations/<id:pk>/versions/<id:version>/outcomes/",
        review.version_outcomes,
        name="outcomes",
    ),
    path(
        "recommendations/<id:pk>/versions/<id:version>/threads/",
        review.thread_create,
        name="thread_create",
    ),
    path(
        "recommendations/<id:pk>/versions/<id:version>/assign/",
        review.assignment_create,
        name="assign",
    ),
    path(
        "recommendations/<id:pk>/versions/<id:version>/assign-again/",
        review.assignment_request_again,
        name="assign_again",
    ),
    path("recommendations/<id:pk>/threads/<id:thread>/", review.thread_detail, name="thread"),
    path("recommendations/<id:pk>/threads/<id:thread>/reply/", review.thread_reply, name="reply"),
    path(
        "recommendations/<id:pk>/threads/<id:thread>/resolve/",
        review.thread_resolve,
        name="resolve",
    ),
    path(
        "recommendations/<id:pk>/threads/<id:thread>/reopen/", review.thread_reopen, name="reopen"
    ),
    path(
        "recommendations/<id:pk>/comments/<id:comment>/edit/",
        review.comment_edit,
        name="comment_edit",
    ),
    path(
        "assignments/<id:assignment>/<str:action>/",
        review.assignment_answer,
        name="assignment_answer",
    ),
]
