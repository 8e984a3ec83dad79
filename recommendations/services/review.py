"""Writes for review: frozen versions, the moves of the workflow, reviewer assignments,
and comment threads with their outcomes."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Membership, Role
from recommendations import selectors
from recommendations.models import (
    Cadence,
    Comment,
    Iteration,
    Recommendation,
    ReviewAssignment,
    Thread,
    Version,
    VersionSearch,
    source_field,
)
from recommendations.text import translation_units
from recommendations.text.anchoring import anchor, is_whole_words, plain_text
from recommendations.text.search import search_vector
from strategy import generations
from strategy.models import Topic
from strategy.notices import NoticeFor, notices_create

from . import notices
from .drafting import revision_save, source_text
from .translations import translation_progress_record

State = Recommendation.State
PERIODS = {Cadence.WEEKLY: relativedelta(weeks=1), Cadence.MONTHLY: relativedelta(months=1)}


def _move(recommendation, *, to: str, allowed_from: tuple, user, reason: str) -> None:
    """Change the state, as a revision of its own (so who and when are in the history)."""
    if recommendation.state not in allowed_from:
        raise ValidationError(
            _("A recommendation that is %(state)s cannot be moved to %(target)s.")
            % {
                "state": recommendation.get_state_display().lower(),
                "target": State(to).label.lower(),
            },
            code="invalid_state",
        )
    recommendation.state = to
    revision_save(recommendation, user=user, edit_summary=reason)


@transaction.atomic
def version_freeze(
    *,
    recommendation: Recommendation,
    user,
    kind: str,
    name: str = "",
    iteration: Iteration | None = None,
    open_to_all_reviewers: bool = False,
) -> Version:
    """Freeze the current text as a version pointing at the latest revision."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if kind == Version.Kind.ITERATION and iteration is not None:
        iteration = iteration_refuse_if_closed(iteration=iteration)
        name = name or iteration.name
    version = Version(
        recommendation=recommendation,
        revision=selectors.revision_latest(recommendation=recommendation),
        kind=kind,
        iteration=iteration,
        name=name.strip(),
        open_to_all_reviewers=open_to_all_reviewers,
        created_by=user,
    )
    version.full_clean()
    version.save()
    return version


def versions_index_for_search(*, versions: QuerySet[Version]) -> None:
    """Store the text of `versions` for full-text search, in one statement however many
    there are (PostgreSQL only). A version's text never changes, so each is written once:
    when it is published, or by the load-test data generator."""
    if connection.vendor != "postgresql":
        return
    rows = (
        versions.order_by()
        .annotate(vector=search_vector(prefix="revision__"))
        .values_list("pk", "vector")
    )
    select, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{VersionSearch._meta.db_table}" (version_id, vector) {select}',
            params,
        )
    # Written around the model: what is kept of the searches learns of it this way.
    generations.model_changed(VersionSearch._meta.label)


@transaction.atomic
def recommendation_submit_for_review(
    *, recommendation: Recommendation, user, name: str, open_to_all_reviewers: bool = False
) -> Version:
    """Freeze a review snapshot and move the recommendation to "in review"."""
    version = version_freeze(
        recommendation=recommendation,
        user=user,
        kind=Version.Kind.REVIEW,
        name=name,
        open_to_all_reviewers=open_to_all_reviewers,
    )
    recommendation = version.recommendation
    if recommendation.state != State.IN_REVIEW:
        _move(
            recommendation,
            to=State.IN_REVIEW,
            allowed_from=(State.DRAFT, State.PUBLISHED),
            user=user,
            reason=_("Submitted for review: %(name)s") % {"name": version.name},
        )
    return version


@transaction.atomic
def recommendation_publish(
    *, recommendation: Recommendation, user, iteration: Iteration
) -> Version:
    """Freeze the current text as the recommendation's version in `iteration` and move it to
    "published"."""
    version = version_freeze(
        recommendation=recommendation,
        user=user,
        kind=Version.Kind.ITERATION,
        iteration=iteration,
    )
    versions_index_for_search(versions=Version.objects.filter(pk=version.pk))
    recommendation = version.recommendation
    recommendation.last_published_in = iteration
    recommendation.published_version = version
    _move(
        recommendation,
        to=State.PUBLISHED,
        allowed_from=(State.DRAFT, State.IN_REVIEW, State.PUBLISHED),
        user=user,
        reason=_("Published in %(iteration)s") % {"iteration": iteration.name},
    )
    from recommendations.tasks import version_diff_precompute

    # The public compare page then finds this version's diff with the one before made,
    # word by word, however long it took (recommendations/text/version_diffs.py). Nothing
    # records it: a diff is a cache, and one never queued (the broker down) is made by the
    # page itself, by paragraph when it takes too long.
    version_diff_precompute.delay_on_commit(version.pk)
    translation_progress_record(recommendations=[recommendation])
    _translations_stale_notify(version=version, user=user)
    notices.published_notify(version=version, user=user)
    return version


def _translations_stale_notify(*, version: Version, user) -> None:
    """Tell the translators of each language whose translation the new source outdates."""
    recommendation = version.recommendation
    source = source_text(version.revision)
    stale = {}
    for language, made_from in (recommendation.translation_sources or {}).items():
        if not made_from or language not in translation_units.translation_languages():
            continue
        outdated = translation_units.status(recommendation, source, language).outdated
        if outdated:
            stale[language] = outdated
    if stale:
        notices.translations_stale_notify(version=version, user=user, stale=stale)


@transaction.atomic
def recommendation_withdraw(*, recommendation: Recommendation, user, reason: str) -> Recommendation:
    if not reason.strip():
        raise ValidationError(_("Say why it is withdrawn."), code="reason_required")
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    _move(
        recommendation,
        to=State.WITHDRAWN,
        allowed_from=(State.DRAFT, State.IN_REVIEW, State.PUBLISHED),
        user=user,
        reason=_("Withdrawn: %(reason)s") % {"reason": reason.strip()},
    )
    return recommendation


@transaction.atomic
def assignment_create(
    *,
    version: Version,
    reviewer,
    assigned_by,
    due_on: date,
    brief: str = "",
    cadence: str = Cadence.ONCE,
    previous: ReviewAssignment | None = None,
) -> ReviewAssignment:
    assignment = ReviewAssignment(
        version=version,
        reviewer=reviewer,
        assigned_by=assigned_by,
        due_on=due_on,
        brief=brief.strip(),
        cadence=cadence,
        previous=previous,
    )
    assignment.full_clean()
    assignment.save()

    # The reviewer's notice is recorded in the ledger in this transaction, so only its
    # sending is queued: if the broker cannot take it, the ledger's sweep sends it.
    reminder_assigned(assignment_id=assignment.pk)
    return assignment


@transaction.atomic
def assignments_request_again(
    *, version: Version, previous: Version, assigned_by, due_on: date
) -> list[ReviewAssignment]:
    """Ask the reviewers of `previous` who did not decline, and may still be asked
    (selectors.reviewers_assignable), to review `version`, each with the brief they had,
    through assignment_create (so each notice is in the ledger). Those already assigned to
    `version` are skipped, so asking twice asks nobody twice."""
    # Locked so that two requests at once cannot both find a reviewer not yet assigned.
    Version.objects.select_for_update().get(pk=version.pk)
    already = ReviewAssignment.objects.filter(version=version).values("reviewer_id")
    earlier = (
        ReviewAssignment.objects.filter(version=previous)
        .exclude(status=ReviewAssignment.Status.DECLINED)
        .exclude(reviewer_id__in=already)
        .filter(reviewer__in=selectors.reviewers_assignable())
        .select_related("reviewer")
        .order_by("reviewer_id", "-created_at", "-pk")
        .distinct("reviewer_id")
    )
    return [
        assignment_create(
            version=version,
            reviewer=assignment.reviewer,
            assigned_by=assigned_by,
            due_on=due_on,
            brief=assignment.brief,
        )
        for assignment in earlier
    ]


def _answer(assignment: ReviewAssignment, user, *, allowed: tuple) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.reviewer_id != user.pk:
        raise ValidationError(_("Only the reviewer answers an assignment."), code="not_reviewer")
    if assignment.status not in allowed:
        raise ValidationError(
            _("This assignment is %(status)s already.")
            % {"status": assignment.get_status_display().lower()},
            code="invalid_status",
        )
    return assignment


@transaction.atomic
def assignment_accept(*, assignment: ReviewAssignment, user) -> ReviewAssignment:
    assignment = _answer(assignment, user, allowed=(ReviewAssignment.Status.PENDING,))
    assignment.status = ReviewAssignment.Status.ACCEPTED
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "responded_at"])
    notices.assignment_answer_notify(assignment=assignment)
    return assignment


@transaction.atomic
def assignment_decline(*, assignment: ReviewAssignment, user, reason: str) -> ReviewAssignment:
    assignment = _answer(
        assignment,
        user,
        allowed=ReviewAssignment.OPEN_STATUSES,
    )
    assignment.status = ReviewAssignment.Status.DECLINED
    assignment.decline_reason = reason.strip()
    assignment.responded_at = timezone.now()
    assignment.full_clean()
    assignment.save(update_fields=["status", "decline_reason", "responded_at"])
    notices.assignment_answer_notify(assignment=assignment)
    return assignment


def _next_for(assignment: ReviewAssignment, due_on: date) -> ReviewAssignment:
    """The recurring assignment after `assignment`, on the recommendation's newest version."""
    newest = (
        Version.objects.filter(recommendation_id=assignment.version.recommendation_id)
        .order_by("-created_at", "-pk")
        .first()
    )
    return assignment_create(
        version=newest,
        reviewer=assignment.reviewer,
        assigned_by=assignment.assigned_by,
        due_on=due_on,
        brief=assignment.brief,
        cadence=assignment.cadence,
        previous=assignment,
    )


@transaction.atomic
def assignment_complete(*, assignment: ReviewAssignment, user) -> ReviewAssignment | None:
    """Mark the review done. A weekly or monthly assignment is followed by the next one
    (returned), due one period later."""
    assignment = _answer(
        assignment,
        user,
        allowed=ReviewAssignment.OPEN_STATUSES,
    )
    assignment.status = ReviewAssignment.Status.COMPLETED
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["status", "completed_at"])
    notices.assignment_answer_notify(assignment=assignment)
    if assignment.cadence == Cadence.ONCE or hasattr(assignment, "next"):
        return None
    return _next_for(assignment, assignment.due_on + PERIODS[assignment.cadence])


@transaction.atomic
def assignments_roll_over(*, today: date) -> int:
    """For every recurring assignment whose period has passed with no follower yet, create
    the next one, due one period after (or later, so that it is not already past).

    Safe to run twice: an assignment with a follower is skipped (a one-to-one constraint).
    """
    created = 0
    due = (
        ReviewAssignment.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(cadence__in=list(PERIODS), due_on__lt=today, next__isnull=True)
        .exclude(status=ReviewAssignment.Status.DECLINED)
        .select_related("version")
    )
    for assignment in due:
        due_on = assignment.due_on + PERIODS[assignment.cadence]
        while due_on < today:
            due_on += PERIODS[assignment.cadence]
        _next_for(assignment, due_on)
        created += 1
    return created


@transaction.atomic
def thread_start(
    *,
    version: Version,
    user,
    body: str,
    quote: str = "",
    near: int | None = None,
    public: bool = False,
) -> Thread:
    """Open a thread on the version, or on a passage of it: `quote` must be words of the
    version's text (as shown); `near` says which occurrence when there are several."""
    thread = Thread(version=version, public=public)
    if quote.strip():
        text = plain_text(getattr(version.revision, source_field("body")) or "")
        found = anchor(text, quote, near=near)
        if found is None:
            raise ValidationError(
                _(
                    "The quoted passage is not in this version's text. Copy it exactly as "
                    "shown, or leave it empty to comment on the whole."
                ),
                code="quote_not_found",
            )
        if not is_whole_words(text, found.start, found.start + len(found.quote)):
            raise ValidationError(
                _(
                    "Quote at least one whole word: “%(quote)s” cuts a word of the text or "
                    "holds none. Select whole words, or leave the passage empty to comment "
                    "on the whole."
                ),
                code="quote_not_whole_words",
                params={"quote": found.quote},
            )
        thread.quote, thread.quote_prefix = found.quote, found.prefix
        thread.quote_suffix, thread.quote_start = found.suffix, found.start
    thread.full_clean()
    thread.save()
    comment = Comment(thread=thread, author=user, body=body)
    comment.full_clean()
    comment._history_user = user
    comment.save()
    notices.comment_notify(comment=comment, started=True)
    return thread


@transaction.atomic
def comment_reply(*, thread: Thread, user, body: str) -> Comment:
    comment = Comment(thread=thread, author=user, body=body)
    comment.full_clean()
    comment._history_user = user
    comment.save()
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=comment.created_at)
    # An update sends no signal: what is kept under the threads' generation learns of it.
    generations.model_changed("recommendations.Thread")
    notices.comment_notify(comment=comment, started=False)
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user, body: str) -> Comment:
    """Change one's own comment within COMMENT_EDIT_MINUTES of writing it; the earlier
    wording stays in its history. Whom it now mentions hears of it (once a comment)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != user.pk:
        raise ValidationError(_("Only the author edits a comment."), code="not_author")
    if not comment.editable_now():
        raise ValidationError(
            _(
                "Comments can be edited for %(minutes)s minutes after they are written; "
                "reply instead."
            )
            % {"minutes": settings.COMMENT_EDIT_MINUTES},
            code="edit_window_over",
        )
    comment.body = body
    comment.edited_at = timezone.now()
    comment.full_clean()
    comment._history_user = user
    comment.save()
    # Someone the new wording mentions hears of it; someone mentioned before was told.
    notices.mention_notify(comment=comment)
    return comment


@transaction.atomic
def thread_resolve(
    *, thread: Thread, user, outcome: str, note: str = "", revision_number: int | None = None
) -> Thread:
    """Close the thread with what became of it. "Incorporated" names the revision that did
    it (so its diff shows the change); "declined" says why."""
    thread = Thread.objects.select_for_update().select_related("version").get(pk=thread.pk)
    thread.outcome_revision = None
    if outcome == Thread.Outcome.INCORPORATED:
        revision = None
        if revision_number is not None:
            revision = selectors.revision_get(
                recommendation=thread.version.recommendation, number=revision_number
            )
        if revision is None:
            raise ValidationError(
                _("Name the revision that incorporated it (its number in the history)."),
                code="revision_required",
            )
        thread.outcome_revision = revision
    thread.status = Thread.Status.RESOLVED
    thread.outcome = outcome
    thread.outcome_note = note.strip()
    thread.resolved_by = user
    thread.resolved_at = timezone.now()
    thread._history_user = user
    thread.full_clean()
    thread.save()
    notices.thread_resolved_notify(thread=thread, user=user)
    return thread


@transaction.atomic
def thread_reopen(*, thread: Thread, user) -> Thread:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.status = Thread.Status.OPEN
    thread.outcome, thread.outcome_note = "", ""
    thread.outcome_revision = None
    thread.resolved_by, thread.resolved_at = None, None
    thread._history_user = user
    thread.full_clean()
    thread.save()
    return thread


# Iterations: a closed iteration's set never changes.
def iteration_refuse_if_closed(*, iteration: Iteration) -> Iteration:
    """Lock `iteration`'s row and raise if it is closed. Needs a transaction."""
    iteration = Iteration.objects.select_for_update().get(pk=iteration.pk)
    if not iteration.is_open:
        raise ValidationError(
            _("“%(iteration)s” is closed: nothing more can be published in it.")
            % {"iteration": iteration.name},
            code="iteration_closed",
        )
    return iteration


@transaction.atomic
def iteration_close(*, iteration: Iteration, user) -> Iteration:
    """Close `iteration`: from now on it accepts nothing, and its set is what it holds now
    (a recommendation withdrawn later stays in it, marked, so the release stays citable)."""
    iteration = Iteration.objects.select_for_update().get(pk=iteration.pk)
    if not iteration.is_open:
        raise ValidationError(
            _("“%(iteration)s” is closed already.") % {"iteration": iteration.name},
            code="iteration_closed",
        )
    iteration.state = Iteration.State.CLOSED
    iteration.closed_at = timezone.now()
    iteration.full_clean()
    iteration._history_user = user
    iteration._change_reason = _("Closed")
    iteration.save()
    return iteration


# Reminders of review assignments.
def _assignments():
    return ReviewAssignment.objects.select_related(
        "reviewer", "version__recommendation__working_group", "version__revision", "assigned_by"
    )


def _notice_for(
    assignment, kind: str, recipient, occasion: str, *, url: str, text_key: str = ""
) -> NoticeFor:
    """One notice of a review assignment, for notices_create: its key, its words' context,
    its link (`url`, the version's page) and what it is about."""
    return NoticeFor(
        recipient=recipient,
        key=f"review.{kind}:{assignment.pk}:{recipient.pk}:{occasion}",
        context={
            "assignment": assignment,
            "version": assignment.version,
            "recommendation": assignment.version.recommendation,
        },
        url=url,
        about_key=notices.about_key(assignment.version.recommendation),
        about=notices.review_title(assignment.version),
        text_key=text_key,
    )


def _notify(assignment, kind: str, recipient, occasion: str) -> bool:
    made = notices_create(
        items=[
            _notice_for(
                assignment, kind, recipient, occasion, url=assignment.version.get_absolute_url()
            )
        ],
        topic=Topic.REVIEWS,
        kind=f"review.{kind}",
        template=f"recommendations/review/notices/review_{kind}",
    )
    return bool(made)


def reminder_assigned(*, assignment_id: int) -> bool:
    assignment = (
        _assignments().filter(pk=assignment_id, status__in=ReviewAssignment.OPEN_STATUSES).first()
    )
    if assignment is None:
        return False
    return _notify(assignment, "assigned", assignment.reviewer, "once")


def reminders_due(*, today: date) -> int:
    """Every reminder due `today`; safe to run again the same day, or later (a reminder
    missed on its day is not sent late, except the overdue one). Recorded together, in a
    few queries for each kind of reminder however many are due (strategy.notices_create);
    a reminder's words depend only on the version, the due date and, for coordinators,
    the reviewer, so they are composed once for each of those in each language."""
    soon = today + timedelta(days=settings.REVIEW_REMINDER_DAYS_BEFORE)
    due = list(
        ReviewAssignment.objects.filter(status__in=ReviewAssignment.OPEN_STATUSES)
        .filter(Q(due_on=soon) | Q(due_on=today) | Q(due_on__lt=today))
        .order_by("pk")
    )
    # Assignments share versions and reviewers: each read once, each version's link made
    # once.
    versions = Version.objects.select_related("recommendation__working_group", "revision").in_bulk(
        {assignment.version_id for assignment in due}
    )
    reviewers = get_user_model().objects.in_bulk({assignment.reviewer_id for assignment in due})
    urls = {pk: version.get_absolute_url() for pk, version in versions.items()}
    for assignment in due:
        assignment.version = versions[assignment.version_id]
        assignment.reviewer = reviewers[assignment.reviewer_id]
    items: dict[str, list[NoticeFor]] = {
        "due_soon": [],
        "due_today": [],
        "overdue": [],
        "overdue_coordinator": [],
    }
    overdue_groups = set()
    for assignment in due:
        if assignment.due_on == soon:
            kind = "due_soon"
        elif assignment.due_on == today:
            kind = "due_today"
        else:
            kind = "overdue"
            overdue_groups.add(assignment.version.recommendation.working_group_id)
        text_key = f"{assignment.version_id}:{assignment.due_on}"
        items[kind].append(
            _notice_for(
                assignment,
                kind,
                assignment.reviewer,
                str(assignment.due_on),
                url=urls[assignment.version_id],
                text_key=text_key,
            )
        )
    if overdue_groups:
        coordinators = {}
        for membership in (
            Membership.objects.active()
            .filter(working_group_id__in=overdue_groups, role=Role.COORDINATOR)
            .select_related("user")
        ):
            coordinators.setdefault(membership.working_group_id, []).append(membership.user)
        for assignment in due:
            if assignment.due_on >= today:
                continue
            group_id = assignment.version.recommendation.working_group_id
            text_key = f"{assignment.version_id}:{assignment.due_on}:{assignment.reviewer_id}"
            for coordinator in coordinators.get(group_id, []):
                items["overdue_coordinator"].append(
                    _notice_for(
                        assignment,
                        "overdue_coordinator",
                        coordinator,
                        str(assignment.due_on),
                        url=urls[assignment.version_id],
                        text_key=text_key,
                    )
                )
    made = 0
    for kind, kind_items in items.items():
        made += len(
            notices_create(
                items=kind_items,
                topic=Topic.REVIEWS,
                kind=f"review.{kind}",
                template=f"recommendations/review/notices/review_{kind}",
            )
        )
    return made
