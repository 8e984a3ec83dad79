"""Community feedback on published iterations: signed-in people comment in the open (a few
times an hour at most), moderators hide what breaks the rules, with a reason, and
connectors triage each piece to an outcome: the public sees "you said, we did"."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from recommendations.models import Comment, Recommendation, Thread, Version

from . import notices
from .review import comment_reply, thread_start


def _rate_limit(user) -> None:
    since = timezone.now() - timedelta(hours=1)
    written = Comment.objects.filter(
        author=user, thread__public=True, created_at__gte=since
    ).count()
    if written >= settings.FEEDBACK_PER_HOUR:
        raise ValidationError(
            _(
                "You wrote %(count)s comments in the last hour, the most we take; please come "
                "back later. What you wrote is kept below."
            )
            % {"count": written},
            code="rate_limited",
        )


@transaction.atomic
def feedback_start(
    *, version: Version, user, body: str, quote: str = "", near: int | None = None
) -> Thread:
    """Open a public thread on a published iteration of a recommendation."""
    if version.kind != Version.Kind.ITERATION or (
        version.recommendation.state == Recommendation.State.WITHDRAWN
    ):
        raise ValidationError(
            _("Feedback is taken on published iterations only."), code="not_published"
        )
    _rate_limit(user)
    thread = thread_start(
        version=version, user=user, body=body, quote=quote, near=near, public=True
    )
    notices.feedback_notify(thread=thread, comment=thread.comments.get())
    return thread


@transaction.atomic
def feedback_reply(*, thread: Thread, user, body: str) -> Comment:
    if not thread.public:
        raise ValidationError(_("This is not a public thread."), code="not_public")
    _rate_limit(user)
    return comment_reply(thread=thread, user=user, body=body)


@transaction.atomic
def comment_hide(*, comment: Comment, user, reason: str) -> Comment:
    """Hide a comment from the public, saying why; it stays in the record."""
    if not reason.strip():
        raise ValidationError(_("Say why it is hidden."), code="reason_required")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.hidden_reason, comment.hidden_by = reason.strip(), user
    comment._history_user = user
    comment.save()
    notices.comment_hidden_notify(comment=comment)
    return comment


@transaction.atomic
def comment_unhide(*, comment: Comment, user) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.hidden_reason, comment.hidden_by = "", None
    comment._history_user = user
    comment.save()
    return comment
