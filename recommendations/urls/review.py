from django.urls import path

from recommendations.views import review

# Under /workspace/ (see __init__.py), in the "recommendations" namespace.
urlpatterns = [
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
        "recommendations/<id:pk>/versions/<id:version>/people/",
        review.mention_people,
        name="mention_people",
    ),
    path(
        "recommendations/<id:pk>/versions/<id:version>/threads/more/",
        review.version_threads,
        name="version_threads",
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
    path(
        "recommendations/<id:pk>/threads/<id:thread>/earlier/",
        review.thread_replies,
        name="thread_replies",
    ),
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
