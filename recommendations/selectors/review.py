"""Reads for review. Every list here runs a fixed number of queries, whatever the number
of threads or comments."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from groups.models import Membership, Role
from groups.selectors import member_group_ids
from recommendations.models import Comment, Recommendation, ReviewAssignment, Thread, Version
from recommendations.text.mentions import MENTIONABLE
from strategy.memo import memoised, remember
from strategy.predicates import CORE_TEAM_GROUP

from .reading import published_q, working_copy_q

# How many of the latest replies a thread shows on a version's page.
LATEST_REPLIES = 3
# What a version page's threads (their cards, how many, the passages they mark, the open
# ones of earlier versions) are read from: what the page keeps of them is kept under these
# models' generations (strategy/fragments.py; connected in apps.py). The cards show their
# authors' names, hence the users.
REVIEW_THREAD_MODELS = (
    "recommendations.Thread",
    "recommendations.Comment",
    "recommendations.Version",
    "strategy.User",
)


def open_review_thread_q(*, prefix: str = "") -> Q:
    """Open review threads (at `prefix`, e.g. "threads__"): the reviewers' discussion, not
    community feedback (public). The one place the condition is written: the dashboard's
    figure, the admin's filter, the workspace, a version's page and publishing's warning."""
    return Q(**{f"{prefix}status": Thread.Status.OPEN, f"{prefix}public": False})


OPEN_REVIEW_THREAD_Q = open_review_thread_q()


def reviewers_assignable() -> QuerySet:
    """Who may be asked to review, by name: the people who hold the reviewer role in a group
    now, whose account is open (one deactivated, or deleted, is not). The one list the
    working pages, the admin and asking again all offer or ask."""
    reviewers = Membership.objects.active().filter(role=Role.REVIEWER).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=reviewers, is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def _visible_key(user, version_pk) -> tuple:
    return ("version visible", user.pk, version_pk)


def version_visible_get(*, user, pk: int, recommendation_id: int) -> Version:
    """The version whose review `user` may see (versions_visible_to), or Version.DoesNotExist;
    the request then knows it is visible, so a permission check on it asks nothing more."""
    version = versions_visible_to(user=user).get(pk=pk, recommendation_id=recommendation_id)
    remember(_visible_key(user, pk), True)
    return version


def version_visible(*, user, version) -> bool:
    """Whether `user` may see this version's review (once per request)."""
    return memoised(
        _visible_key(user, version.pk),
        lambda: versions_visible_to(user=user).filter(pk=version.pk).exists(),
    )


def versions_visible_to(*, user) -> QuerySet[Version]:
    """Versions whose review a person may see: their group's, those they are assigned to
    (unless they declined), those opened to every reviewer if they hold the role, and the
    newer versions that carry an open thread they wrote in (earlier_open_threads shows it
    there: without this its participants would lose it on a new version)."""
    versions = Version.objects.select_related(
        "recommendation__working_group", "revision__history_user", "iteration", "created_by"
    )
    group_rule = working_copy_q(user=user, prefix="recommendation__")
    if group_rule is None:
        return versions
    if not user.is_authenticated:
        return versions.none()
    # Those who read the working copy read its versions; the others only what they review.
    # One query: whether they hold the reviewer role is asked inside it.
    is_reviewer = Exists(Membership.objects.active().filter(user=user, role=Role.REVIEWER))
    visible = (
        group_rule
        | Q(
            pk__in=ReviewAssignment.objects.filter(reviewer=user)
            .exclude(status=ReviewAssignment.Status.DECLINED)
            .values("version_id")
        )
        | (Q(open_to_all_reviewers=True) & Q(is_reviewer))
        | Q(
            Exists(
                Thread.objects.filter(
                    open_review_thread_q(),
                    version__recommendation_id=OuterRef("recommendation_id"),
                    version__created_at__lt=OuterRef("created_at"),
                    comments__author=user,
                )
            )
        )
    )
    return versions.filter(visible)


def version_readers(*, version: Version, people) -> set[int]:
    """The ids of `people` who may see the version's review: versions_visible_to asked
    for each of them, in one query however many they are (the notices of a thread)."""
    people = list(people)
    if not people:
        return set()
    checks = {
        f"may_{person.pk}": Exists(versions_visible_to(user=person).filter(pk=OuterRef("pk")))
        for person in people
    }
    row = Version.objects.filter(pk=version.pk).annotate(**checks).values(*checks).first() or {}
    return {person.pk for person in people if row.get(f"may_{person.pk}")}


def previous_snapshot(*, version: Version) -> Version | None:
    """The review snapshot of the same recommendation frozen just before `version`."""
    return (
        Version.objects.filter(
            recommendation_id=version.recommendation_id,
            kind=Version.Kind.REVIEW,
            created_at__lt=version.created_at,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def version_list(*, recommendation) -> QuerySet[Version]:
    return (
        recommendation.versions.select_related("iteration", "created_by")
        .annotate(open_threads=Count("threads", filter=open_review_thread_q(prefix="threads__")))
        .order_by("-created_at", "-pk")
    )


def _with_first_and_latest(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """`threads` with how many comments each has (`comment_count`) and the ids of its
    opening comment and of its latest replies, for threads_with_comments to fetch. Each is
    a subquery walking the thread's (thread, created_at) index a few rows deep, and counted
    on it alone: a thread of 10,000 comments costs about what one of ten does (reading its
    comments, as a prefetch does, would cost in proportion)."""
    comments = Comment.objects.filter(thread_id=OuterRef("pk")).order_by()
    oldest = comments.order_by("created_at", "pk").values("pk")
    newest = comments.order_by("-created_at", "-pk").values("pk")
    return threads.annotate(
        comment_count=_count_of(Comment.objects.filter(thread_id=OuterRef("pk")), by="thread_id"),
        opening_id=Subquery(oldest[:1]),
        **{
            f"latest_id_{index}": Subquery(newest[index : index + 1])
            for index in range(LATEST_REPLIES)
        },
    )


def threads_with_comments(threads) -> list[Thread]:
    """`threads` (from a list _with_first_and_latest annotated, evaluated) each with its
    opening comment (`opening`, a list of one) and its latest replies (`latest_reversed`,
    newest first), with their authors: one query, whatever their number or length."""
    threads = list(threads)
    wanted = {
        thread.pk: [
            getattr(thread, name)
            for name in ("opening_id", *(f"latest_id_{i}" for i in range(LATEST_REPLIES)))
        ]
        for thread in threads
    }
    ids = {pk for found in wanted.values() for pk in found if pk is not None}
    comments = (
        {
            comment.pk: comment
            for comment in Comment.objects.select_related("author").filter(pk__in=ids)
        }
        if ids
        else {}
    )
    for thread in threads:
        opening, *latest = wanted[thread.pk]
        thread.opening = [comments[opening]] if opening in comments else []
        thread.latest_reversed = [comments[pk] for pk in latest if pk in comments]
    return threads


def thread_list(*, version: Version) -> QuerySet[Thread]:
    """The version's threads, open ones first, in the order of the passages they quote."""
    threads = (
        version.threads.filter(public=False)
        .select_related("resolved_by", "outcome_revision")
        .order_by(
            Case(
                When(status=Thread.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "quote_start",
            "created_at",
            "pk",
        )
    )
    return _with_first_and_latest(threads)


def earlier_open_threads(*, version: Version) -> QuerySet[Thread]:
    """Open threads of the recommendation's earlier versions, to show on this one."""
    threads = (
        Thread.objects.filter(
            open_review_thread_q(),
            version__recommendation_id=version.recommendation_id,
            version__created_at__lt=version.created_at,
        )
        .select_related("version")
        .order_by("version__created_at", "quote_start", "pk")
    )
    return _with_first_and_latest(threads)


def thread_get(*, recommendation_id: int, pk: int) -> Thread:
    """A review thread (not community feedback) of the recommendation, with what its page
    shows; 404 otherwise. Whether the person may see it is the caller's to ask."""
    return get_object_or_404(
        Thread.objects.select_related(
            "version__recommendation__working_group", "version__revision", "outcome_revision"
        ),
        pk=pk,
        version__recommendation_id=recommendation_id,
        public=False,
    )


def comment_get(*, recommendation_id: int, pk: int) -> Comment:
    """A comment on a thread of the recommendation, with its thread's version; 404
    otherwise. Whether the person may see it is the caller's to ask."""
    return get_object_or_404(
        Comment.objects.select_related("thread__version__recommendation"),
        pk=pk,
        thread__version__recommendation_id=recommendation_id,
    )


def thread_comments(*, thread: Thread) -> QuerySet[Comment]:
    return thread.comments.select_related("author").order_by("created_at", "pk")


def thread_comment_get(*, thread: Thread, pk: int) -> Comment:
    """One of the thread's comments, or Comment.DoesNotExist (one of another thread too)."""
    return thread.comments.get(pk=pk)


def thread_earlier_replies(*, thread: Thread, before: Comment | None, limit: int) -> dict:
    """The replies of `thread` just before `before` (one of its comments; None: its latest
    replies): at most `limit` of them, oldest first (`replies`), and how many earlier ones
    remain between them and the opening comment (`remaining`, shown as "N earlier
    replies"). Two queries on the thread's (thread, created_at) index, whatever the
    thread's length: a slice walked back from `before`, and a count."""
    comments = thread.comments.select_related("author")
    opening = comments.order_by("created_at", "pk").values("pk")[:1]
    earlier = comments.exclude(pk__in=opening)
    if before is not None:
        earlier = earlier.filter(
            Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, pk__lt=before.pk)
        )
    replies = list(earlier.order_by("-created_at", "-pk")[:limit])
    replies.reverse()
    remaining = 0
    if len(replies) == limit:
        first = replies[0]
        remaining = earlier.filter(
            Q(created_at__lt=first.created_at) | Q(created_at=first.created_at, pk__lt=first.pk)
        ).count()
    return {"replies": replies, "remaining": remaining}


def _count_of(rows: QuerySet, *, by: str) -> Coalesce:
    """How many of `rows` there are for the outer row (`by` names the column they share
    with it), as a subquery: 0 when there are none."""
    counted = rows.order_by().values(by).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _latest_of(rows: QuerySet, column: str) -> Subquery:
    """The latest `column` of `rows` (None when there are none), as a subquery."""
    return Subquery(
        rows.exclude(**{f"{column}__isnull": True}).order_by(f"-{column}").values(column)[:1]
    )


def with_review_figures(queryset: QuerySet) -> QuerySet:
    """Recommendations with what their review snapshots say: `review_open_threads` (review
    threads still open on any snapshot: an earlier one's are carried to the next),
    `reviewed` (a review thread, or a completed assignment, on one), `ready_to_publish`
    (reviewed, and no thread left open), `latest_snapshot` (its id) and `ready_since` (when
    the latest of these happened: the snapshot, a thread resolved, a review completed).
    The one rule behind publishing's warning and the coordinator's "ready to publish"."""
    snapshot = {"version__recommendation": OuterRef("pk"), "version__kind": Version.Kind.REVIEW}
    by = "version__recommendation"
    threads = Thread.objects.filter(public=False, **snapshot)
    completed = ReviewAssignment.objects.filter(
        status=ReviewAssignment.Status.COMPLETED, **snapshot
    )
    snapshots = Version.objects.filter(recommendation=OuterRef("pk"), kind=Version.Kind.REVIEW)
    latest_at = _latest_of(snapshots, "created_at")
    reviewed = Q(review_threads__gt=0) | Q(review_completed__gt=0)
    return queryset.annotate(
        review_open_threads=_count_of(threads.filter(open_review_thread_q()), by=by),
        review_threads=_count_of(threads, by=by),
        review_completed=_count_of(completed, by=by),
        latest_snapshot=Subquery(snapshots.order_by("-created_at", "-pk").values("pk")[:1]),
        reviewed=ExpressionWrapper(reviewed, output_field=BooleanField()),
        ready_to_publish=ExpressionWrapper(
            reviewed & Q(review_open_threads=0), output_field=BooleanField()
        ),
        # Each part falls back to the snapshot's time, so that no part is null (SQLite's
        # MAX() of several values is null if one is).
        ready_since=Greatest(
            latest_at,
            Coalesce(_latest_of(threads, "resolved_at"), latest_at),
            Coalesce(_latest_of(completed, "completed_at"), latest_at),
        ),
    )


def publish_warnings(*, recommendation) -> dict:
    """What publishing `recommendation` now would leave behind, in one query: its review
    threads still open, the latest snapshot to link to, and whether it was reviewed at all
    (with_review_figures). `warn` says whether publishing should ask first."""
    figures = (
        with_review_figures(Recommendation.objects.filter(pk=recommendation.pk))
        .values("review_open_threads", "latest_snapshot", "reviewed", "ready_to_publish")
        .get()
    )
    return {
        "open_threads": figures["review_open_threads"],
        "latest_snapshot": figures["latest_snapshot"],
        "reviewed": figures["reviewed"],
        "warn": not figures["ready_to_publish"],
    }


def _readable_in(*, user, group_ids, prefix: str = "") -> Q:
    """The recommendations (at `prefix`) of the groups `group_ids` whose working copy `user`
    reads (the read rule, reading.py): nothing of another group, whatever ids are given."""
    rule = working_copy_q(user=user, prefix=prefix)
    in_groups = Q(**{f"{prefix}working_group_id__in": group_ids})
    return in_groups if rule is None else in_groups & rule


def recommendations_ready_to_publish(*, user, group_ids) -> QuerySet[Recommendation]:
    """The recommendations in review of the groups `group_ids` whose review is done
    (with_review_figures: reviewed, no thread left open), as `user` may read them, the
    longest ready first: what their coordinators may publish."""
    return (
        with_review_figures(
            Recommendation.objects.filter(
                _readable_in(user=user, group_ids=group_ids),
                state=Recommendation.State.IN_REVIEW,
            )
        )
        .filter(ready_to_publish=True)
        .select_related("working_group")
        .order_by("ready_since", "pk")
    )


def versions_without_reviewer(*, user, group_ids) -> QuerySet[Version]:
    """The review snapshots of the groups `group_ids` that wait for a reviewer: the latest
    snapshot of a recommendation in review, with nobody assigned to it but those who
    declined; as `user` may read them, the longest waiting first."""
    later = Version.objects.filter(
        recommendation_id=OuterRef("recommendation_id"),
        kind=Version.Kind.REVIEW,
        created_at__gt=OuterRef("created_at"),
    )
    assigned = ReviewAssignment.objects.filter(version=OuterRef("pk")).exclude(
        status=ReviewAssignment.Status.DECLINED
    )
    return (
        Version.objects.filter(
            _readable_in(user=user, group_ids=group_ids, prefix="recommendation__"),
            kind=Version.Kind.REVIEW,
            recommendation__state=Recommendation.State.IN_REVIEW,
        )
        .exclude(Exists(later))
        .exclude(Exists(assigned))
        .select_related("recommendation__working_group", "revision")
        .order_by("created_at", "pk")
    )


# A review thread open this long waits for its group's coordinators: the one place it is said.
THREAD_WAITING_DAYS = 7


def review_threads_waiting(*, user, group_ids, now=None) -> QuerySet[Thread]:
    """The review threads of the groups `group_ids` open for more than THREAD_WAITING_DAYS
    (on recommendations not withdrawn), as `user` may read them, the oldest first."""
    since = (now or timezone.now()) - timedelta(days=THREAD_WAITING_DAYS)
    return (
        Thread.objects.filter(
            open_review_thread_q(),
            _readable_in(user=user, group_ids=group_ids, prefix="version__recommendation__"),
            created_at__lt=since,
        )
        .exclude(version__recommendation__state=Recommendation.State.WITHDRAWN)
        .select_related("version__recommendation__working_group")
        .order_by("created_at", "pk")
    )


def version_assignments(*, version: Version) -> QuerySet[ReviewAssignment]:
    """Who is asked to review `version`, the first due first."""
    return version.assignments.select_related("reviewer").order_by("due_on")


def assignment_get(*, reviewer, pk: int) -> ReviewAssignment:
    """One of `reviewer`'s own assignments; 404 for anyone else's."""
    return get_object_or_404(ReviewAssignment, pk=pk, reviewer=reviewer)


def assignments_waiting(*, user) -> QuerySet[ReviewAssignment]:
    """The reviewer's open assignments (to answer, or to do) on versions they may see, the
    oldest first, each saying whether it is `overdue`."""
    overdue = review_due_q(when="overdue", today=timezone.localdate())
    return (
        ReviewAssignment.objects.filter(
            reviewer=user,
            status__in=ReviewAssignment.OPEN_STATUSES,
            version__in=versions_visible_to(user=user).values("pk"),
        )
        .select_related("version__recommendation__working_group", "version__revision")
        .annotate(overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        .order_by("created_at", "pk")
    )


def assignments_for_reviewer(*, user) -> QuerySet[ReviewAssignment]:
    """A reviewer's assignments: open ones first, the overdue among them first (`overdue`
    says which), then by due date; then the answered ones, newest first."""
    overdue = review_due_q(when="overdue", today=timezone.localdate())
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related(
            "version__recommendation__working_group", "version__revision", "assigned_by"
        )
        .annotate(
            overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
            open_order=Case(
                When(overdue, then=Value(0)),
                When(status__in=ReviewAssignment.OPEN_STATUSES, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("open_order", "due_on", "pk")
    )


# What the workspace's open threads are read from (a comment moves its thread's activity
# with an update(): the comment's save moves the generation).
WORKSPACE_THREAD_MODELS = (
    "recommendations.Thread",
    "recommendations.Comment",
    "recommendations.Version",
    "recommendations.Recommendation",
)


def open_threads_for_member(*, user, limit: int = 50) -> QuerySet[Thread]:
    """Open threads on the drafts of the groups a person is in, most recently active first,
    each with its `comment_count`."""
    # Counted by a subquery, for the listed threads only (the database works it out after
    # the limit): a Count() would group every open thread's comments first.
    comments = (
        Comment.objects.filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Thread.objects.filter(
            open_review_thread_q(),
            version__recommendation__working_group_id__in=member_group_ids(user=user),
        )
        .select_related("version__recommendation__working_group")
        .annotate(comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), Value(0)))
        .order_by("-last_activity_at", "-pk")[:limit]
    )


def with_carrying_iteration(threads: QuerySet[Thread]) -> QuerySet[Thread]:
    """`threads` with `carried_in_name`: for an "incorporated" outcome, the name (in the
    active language) of the iteration whose public version first carries the change, i.e.
    was frozen at or after the outcome's revision; None until such a version is public.
    Public pages cite the outcome only then, so they never show words of an unpublished
    revision. Public: by the published version's read rule (reading.py)."""
    date = OuterRef("outcome_revision__history_date")
    carrying = (
        Version.objects.filter(
            published_q(prefix="recommendation__"),
            kind=Version.Kind.ITERATION,
            recommendation_id=OuterRef("version__recommendation_id"),
        )
        .filter(
            Q(revision__history_date__gt=date)
            | Q(revision__history_date=date, revision_id__gte=OuterRef("outcome_revision_id"))
        )
        .order_by("revision__history_date", "revision_id")
    )
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    language = get_language() if get_language() in dict(settings.LANGUAGES) else source
    name = Coalesce(
        NullIf(
            F(f"iteration__{build_localized_fieldname('name', language)}"),
            Value(""),
            output_field=CharField(),
        ),
        F(f"iteration__{build_localized_fieldname('name', source)}"),
        output_field=CharField(),
    )
    return threads.annotate(
        carried_in_name=Subquery(
            carrying.annotate(shown_name=name).values("shown_name")[:1],
            output_field=CharField(),
        )
    )


def public_feedback_threads(*, recommendation) -> QuerySet[Thread]:
    """The community's threads on the recommendation's published iterations, newest
    first, annotated for threads_with_comments (their opening comment, latest replies and
    how many comments each has)."""
    threads = (
        Thread.objects.filter(public=True, version__recommendation=recommendation)
        .select_related("version__iteration", "outcome_revision")
        .order_by("-created_at", "-pk")
    )
    return _with_first_and_latest(with_carrying_iteration(threads))


def public_feedback(*, recommendation, limit: int = 50) -> list[Thread]:
    """The newest `limit` of public_feedback_threads, each with its opening comment and
    latest replies."""
    return threads_with_comments(public_feedback_threads(recommendation=recommendation)[:limit])


# The core team's figures (the dashboard) and the admin lists they link to share these
# rules, so a figure always equals the rows of its list.
DUE_SOON_DAYS = 7


def review_due_q(*, when: str, today) -> Q:
    """The open assignments that are `overdue` (due before `today`) or due `soon` (within
    DUE_SOON_DAYS from `today`)."""
    open_ = Q(status__in=ReviewAssignment.OPEN_STATUSES)
    if when == "overdue":
        return open_ & Q(due_on__lt=today)
    return open_ & Q(due_on__gte=today, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))


# How many commented passages a version's text marks at most: beyond it the text would
# be more marks than words, and marking them costs in proportion.
PASSAGES_MARKED = 200


def thread_passages(*, version: Version, limit: int = PASSAGES_MARKED) -> list[Thread]:
    """The version's review threads on a passage, where their passages start first: what
    the version's text marks, the first `limit` of them (one more is fetched, so that the
    caller can tell there are more). Each thread has its version set (no query to link to
    it)."""
    threads = list(
        version.threads.filter(public=False, quote_start__isnull=False)
        .exclude(quote="")
        .only("pk", "quote", "quote_start", "status", "version_id")
        .order_by("quote_start", "pk")[: limit + 1]
    )
    for thread in threads:
        thread.version = version
    return threads


def review_due_counts(*, today) -> dict[int, dict[str, int]]:
    """How many of each group's assignments are `overdue` and due `soon` on `today`
    (review_due_q, the admin's due filter's rule), keyed by group id; one query."""
    rows = (
        ReviewAssignment.objects.order_by()
        .values("version__recommendation__working_group")
        .annotate(
            overdue=Count("pk", filter=review_due_q(when="overdue", today=today)),
            soon=Count("pk", filter=review_due_q(when="soon", today=today)),
        )
    )
    return {
        row["version__recommendation__working_group"]: {
            "overdue": row["overdue"],
            "soon": row["soon"],
        }
        for row in rows
    }


def open_review_thread_counts() -> dict[int, int]:
    """How many open review threads (OPEN_REVIEW_THREAD_Q) each group has, by group id."""
    rows = (
        Thread.objects.filter(OPEN_REVIEW_THREAD_Q)
        .order_by()
        .values("version__recommendation__working_group")
        .annotate(count=Count("pk"))
    )
    return {row["version__recommendation__working_group"]: row["count"] for row in rows}


# How many people the completion of a mention lists.
MENTION_CHOICES = 8


def mention_choices(*, version: Version, query: str, limit: int = MENTION_CHOICES) -> list:
    """The people a comment on `version` may mention whose username or name starts with
    `query`: open accounts among those who may see the version's review (its group, its
    reviewers, the core team, whoever wrote on it), each asked the read rule
    (version_readers), at most `limit`, by username. Two queries however many people
    there are (and one for each staff member among them, whether in the core team, as
    the read rule asks of them)."""
    query = query.strip().lstrip("@")
    if not query:
        return []
    core_team = Q(is_superuser=True) | Q(is_staff=True, groups__name=CORE_TEAM_GROUP)
    pool = (
        Q(
            pk__in=Membership.objects.active()
            .filter(working_group_id=version.recommendation.working_group_id)
            .values("user_id")
        )
        | Q(
            pk__in=ReviewAssignment.objects.filter(version=version)
            .exclude(status=ReviewAssignment.Status.DECLINED)
            .values("reviewer_id")
        )
        | Q(pk__in=get_user_model().objects.filter(core_team).values("pk"))
        | Q(pk__in=Comment.objects.filter(thread__version=version).values("author_id"))
    )
    if version.open_to_all_reviewers:
        pool |= Q(pk__in=Membership.objects.active().filter(role=Role.REVIEWER).values("user_id"))
    named = (
        Q(username__istartswith=query)
        | Q(first_name__istartswith=query)
        | Q(last_name__istartswith=query)
    )
    people = [
        person
        for person in get_user_model()
        .objects.filter(pool, named, is_active=True)
        .order_by("username")[: limit * 3]
        if MENTIONABLE.match(person.username)
    ]
    readers = version_readers(version=version, people=people)
    return [person for person in people if person.pk in readers][:limit]
