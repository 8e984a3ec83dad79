import time
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from recommendations import services
from recommendations.models import Recommendation, ReviewAssignment, Thread, Version
from tests.factories import iteration, review_version
from tests.factories import recommendation as make

pytestmark = pytest.mark.django_db


def test_submitting_for_review_freezes_a_snapshot_and_records_the_move(working_group, user):
    draft = make(working_group, user, body="Frozen words.\n")
    version = services.recommendation_submit_for_review(
        recommendation=draft, user=user, name="Review 1"
    )
    draft.refresh_from_db()
    assert draft.state == Recommendation.State.IN_REVIEW
    assert version.kind == Version.Kind.REVIEW
    assert version.revision.body_en == "Frozen words.\n"
    move = draft.history.first()
    assert move.history_user == user
    assert move.history_change_reason == "Submitted for review: Review 1"
    # Editing afterwards leaves the version as it was.
    services.recommendation_update(
        recommendation=draft,
        user=user,
        title="T",
        summary="",
        body="Changed.\n",
        base_revision=draft.history.first().history_id,
    )
    version.refresh_from_db()
    assert version.revision.body_en == "Frozen words.\n"


def test_publishing_freezes_the_iteration_version(working_group, user):
    draft = make(working_group, user)
    second = iteration()
    version = services.recommendation_publish(recommendation=draft, user=user, iteration=second)
    draft.refresh_from_db()
    assert (draft.state, draft.last_published_in) == ("published", second)
    assert (version.kind, version.iteration, version.name) == ("iteration", second, second.name)
    with pytest.raises(ValidationError, match="already in this iteration"):
        services.recommendation_publish(recommendation=draft, user=user, iteration=second)


def test_a_withdrawn_recommendation_cannot_be_published(working_group, user):
    draft = make(working_group, user)
    with pytest.raises(ValidationError):
        services.recommendation_withdraw(recommendation=draft, user=user, reason="  ")
    services.recommendation_withdraw(recommendation=draft, user=user, reason="Merged elsewhere")
    with pytest.raises(ValidationError, match="cannot be moved to published"):
        services.recommendation_publish(recommendation=draft, user=user, iteration=iteration())
    draft.refresh_from_db()
    assert draft.state == "withdrawn"


def test_a_state_change_is_no_editing_conflict(working_group, user):
    draft = make(working_group, user)
    base = draft.history.first().history_id
    services.recommendation_submit_for_review(recommendation=draft, user=user, name="R")
    services.recommendation_update(
        recommendation=draft, user=user, title="T", summary="", body="New", base_revision=base
    )
    draft.refresh_from_db()
    assert draft.body_en == "New"


@pytest.fixture
def version(working_group, user):
    return review_version(working_group, user, body="We recommend a global hub for advocacy.\n")


@pytest.fixture
def assignment(version, user_factory, core_team_user):
    return services.assignment_create(
        version=version,
        reviewer=user_factory(),
        assigned_by=core_team_user,
        due_on=date(2030, 1, 7),
        cadence="weekly",
    )


def test_reviewer_accepts_then_completes_and_the_next_one_follows(assignment):
    reviewer = assignment.reviewer
    services.assignment_accept(assignment=assignment, user=reviewer)
    following = services.assignment_complete(assignment=assignment, user=reviewer)
    assignment.refresh_from_db()
    assert assignment.status == "completed"
    assert following.due_on == date(2030, 1, 14)
    assert following.previous == assignment
    assert following.reviewer == reviewer
    with pytest.raises(ValidationError, match="completed already"):
        services.assignment_complete(assignment=assignment, user=reviewer)


def test_monthly_cadence_and_newest_version(assignment, version, user):
    assignment.cadence = "monthly"
    assignment.save()
    newer = services.recommendation_submit_for_review(
        recommendation=version.recommendation, user=user, name="Review 2"
    )
    following = services.assignment_complete(assignment=assignment, user=assignment.reviewer)
    assert following.due_on == date(2030, 2, 7)
    assert following.version == newer


def test_only_the_reviewer_answers_and_a_decline_needs_a_reason(assignment, user):
    with pytest.raises(ValidationError, match="Only the reviewer"):
        services.assignment_accept(assignment=assignment, user=user)
    with pytest.raises(ValidationError, match="Say why you decline"):
        services.assignment_decline(assignment=assignment, user=assignment.reviewer, reason=" ")
    services.assignment_decline(assignment=assignment, user=assignment.reviewer, reason="Away")
    assert ReviewAssignment.objects.get(pk=assignment.pk).decline_reason == "Away"


def test_roll_over_creates_each_next_assignment_once(assignment):
    assert services.assignments_roll_over(today=date(2030, 1, 20)) == 1
    following = assignment.next
    assert following.due_on == date(2030, 1, 21)
    assert services.assignments_roll_over(today=date(2030, 1, 20)) == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewAssignment.objects.create(
            version=assignment.version,
            reviewer=assignment.reviewer,
            due_on=date(2030, 2, 1),
            previous=assignment,
        )


def test_a_thread_on_a_passage_keeps_the_quote(version, user):
    thread = services.thread_start(
        version=version, user=user, body="Why global?", quote="global hub"
    )
    assert thread.quote == "global hub"
    assert thread.quote_start == len("We recommend a ")
    assert thread.comments.get().body == "Why global?"
    with pytest.raises(ValidationError, match="not in this version"):
        services.thread_start(version=version, user=user, body="x", quote="regional hub")


def test_resolving_records_the_outcome(version, user):
    thread = services.thread_start(version=version, user=user, body="Shorter, please.")
    with pytest.raises(ValidationError, match="Name the revision"):
        services.thread_resolve(thread=thread, user=user, outcome="incorporated")
    with pytest.raises(ValidationError, match="Say why it was declined"):
        services.thread_resolve(thread=thread, user=user, outcome="declined")
    resolved = services.thread_resolve(
        thread=thread, user=user, outcome="incorporated", revision_number=1
    )
    assert resolved.outcome_revision == version.recommendation.history.earliest("history_date")
    reopened = services.thread_reopen(thread=thread, user=user)
    assert (reopened.status, reopened.outcome, reopened.outcome_revision) == ("open", "", None)
    assert thread.history.count() == 3


def test_resolved_thread_without_outcome_is_refused_by_the_database(version, user):
    thread = services.thread_start(version=version, user=user, body="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(status="resolved")


def test_a_comment_is_editable_for_a_while_and_keeps_its_history(version, user, user_factory):
    with time_machine.travel("2030-01-01 10:00Z", tick=False):
        thread = services.thread_start(version=version, user=user, body="First wording.")
    comment = thread.comments.get()
    with time_machine.travel("2030-01-01 10:20Z", tick=False):
        services.comment_edit(comment=comment, user=user, body="Second wording.")
        with pytest.raises(ValidationError, match="Only the author"):
            services.comment_edit(comment=comment, user=user_factory(), body="Hijack")
    with (
        time_machine.travel("2030-01-01 10:31Z", tick=False),
        pytest.raises(ValidationError, match="30 minutes"),
    ):
        services.comment_edit(comment=comment, user=user, body="Too late.")
    comment.refresh_from_db()
    assert comment.body == "Second wording."
    assert [h.body for h in comment.history.all()] == ["Second wording.", "First wording."]
    assert comment.edited_at is not None


def test_reply_updates_the_thread_activity(version, user):
    thread = services.thread_start(version=version, user=user, body="x")
    before = thread.last_activity_at
    reply = services.comment_reply(thread=thread, user=user, body="y")
    thread.refresh_from_db()
    assert thread.last_activity_at == reply.created_at >= before
    assert timedelta(0) <= thread.last_activity_at - before


def test_the_roll_over_task_runs_in_the_worker(celery_worker, version, user_factory):
    """The periodic task travels through Redis to a real worker and rolls over once."""
    from recommendations.tasks import review_assignments_roll_over

    past = services.assignment_create(
        version=version,
        reviewer=user_factory(),
        assigned_by=None,
        due_on=timezone.localdate() - timedelta(days=10),
        cadence="weekly",
    )
    review_assignments_roll_over.delay()
    deadline = time.monotonic() + 30
    while not ReviewAssignment.objects.filter(previous=past).exists():
        assert time.monotonic() < deadline, "the worker did not roll the assignment over"
        time.sleep(0.1)
    following = ReviewAssignment.objects.get(previous=past)
    assert following.due_on == past.due_on + timedelta(days=14)


def test_a_reviewer_is_told_the_snapshots_title_not_the_working_copys(
    working_group, mailoutbox, django_capture_on_commit_callbacks
):
    """A reviewer from another group reads the snapshot they review, not the working copy
    edited since: the e-mail names the snapshot."""
    from tests.factories import UserFactory

    author, reviewer = UserFactory(), UserFactory()
    version = review_version(working_group, author, title="Frozen for review")
    services.recommendation_update(
        recommendation=version.recommendation,
        user=author,
        title="Edited since",
        summary="",
        body="New text.\n",
        base_revision=version.revision.history_id,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_create(
            version=version,
            reviewer=reviewer,
            assigned_by=author,
            due_on=timezone.localdate() + timedelta(days=7),
        )
    subjects = [message.subject for message in mailoutbox]
    assert any("Frozen for review" in subject for subject in subjects), subjects
    assert not any("Edited since" in subject for subject in subjects)
