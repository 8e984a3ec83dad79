"""Recommendations and the iterations they are published in.

Title, summary and body are translatable (translation.py), written first in the source
language (strategy/source_language.py); history is registered there too, after the
translated columns.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from groups.models import WorkingGroup
from recommendations.text.numbering import number_order
from strategy.source_language import SourceText
from strategy.source_language import source_field as source_field

from .validators import validate_body_size

# The fields people write; each exists once per language, the source language's first
# (strategy/source_language.py).
TEXT_FIELDS = ("title", "summary", "body")


class Iteration(models.Model):
    """A round of publication shared by every group, e.g. "Second iteration, November 2019".

    Open, it takes what groups publish in it; closed, its set is a citable release that
    never changes (recommendations/services/review.py)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["position", "published_on", "pk"]
        verbose_name = _("iteration")
        verbose_name_plural = _("iterations")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(state="closed", closed_at__isnull=False),
                name="iteration_closed_has_date",
                violation_error_code="closed_at",
                violation_error_message=_("A closed iteration says when it was closed."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    source_name = SourceText("name")

    def clean(self):
        # Its page's address must reach its page: /iterations/compare/ is the page that
        # compares two iterations, so an iteration slugged "compare" would have none.
        try:
            page = reverse("public:iteration", kwargs={"slug": self.slug})
        except NoReverseMatch:
            return  # not a slug at all: the field's own validation says so
        if resolve(page).view_name != "public:iteration":
            raise ValidationError(
                {
                    "slug": ValidationError(
                        _("“%(slug)s” is the address of another page: choose another slug."),
                        code="reserved",
                        params={"slug": self.slug},
                    )
                }
            )


class Recommendation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        MERGED = "merged", _("Merged into synthesis")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Who reads what (the working copy, the published version) is written once, in
    # recommendations/selectors/reading.py.

    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    number = models.CharField(
        _("number"),
        max_length=10,
        help_text=_("Its number within the group: 1, 2, 6A, or a letter."),
    )
    # How the number sorts (text/numbering.py), kept by save().
    number_order = models.CharField(max_length=24, editable=False, default="")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, validators=[validate_body_size])
    body = models.TextField(
        _("text"), blank=True, help_text=_("Markdown."), validators=[validate_body_size]
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT)
    rank = models.PositiveIntegerField(
        _("rank"), null=True, blank=True, help_text=_("Its place in the group's ranking.")
    )
    last_published_in = models.ForeignKey(
        Iteration,
        verbose_name=_("last published in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_version = models.ForeignKey(
        "recommendations.Version",
        verbose_name=_("published version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("What the public reads: the version of the latest iteration it is in."),
    )
    # Per language, per unit (title, summary, body.0, body.1...): the fingerprint and text of
    # the source unit each translated unit was made from. See text/translation_units.py.
    translation_sources = models.JSONField(
        _("sources of the translations"), default=dict, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["working_group", models.F("rank").asc(nulls_last=True), "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        permissions = [("translate_recommendation", _("Can translate recommendations"))]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "number"],
                name="recommendation_number_unique_in_group",
                violation_error_message=_(
                    "This group already has a recommendation with this number."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "working_group"], name="recommendation_state_group"),
            models.Index(
                fields=["working_group", "rank"],
                name="recommendation_rank",
                condition=Q(rank__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        self.number_order = number_order(self.number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "number_order"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("recommendations:detail", kwargs={"pk": self.pk})

    def get_public_url(self):
        return reverse(
            "public:recommendation",
            kwargs={"group": self.working_group.slug, "number": self.number},
        )

    # The title as written, whichever language the page is in (`title` follows the page).
    source_title = SourceText("title")


class Version(models.Model):
    """A named, frozen text of a recommendation: a public iteration or a review snapshot.

    It points at the revision it froze; history is never rewritten, so neither is it.
    """

    class Kind(models.TextChoices):
        ITERATION = "iteration", _("Iteration")
        REVIEW = "review", _("Review snapshot")

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    revision = models.ForeignKey(
        "recommendations.HistoricalRecommendation",
        verbose_name=_("revision"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    iteration = models.ForeignKey(
        Iteration,
        verbose_name=_("iteration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
    )
    name = models.CharField(_("name"), max_length=200)
    open_to_all_reviewers = models.BooleanField(
        _("open to all reviewers"),
        default=False,
        help_text=_("Anyone holding the reviewer role may comment, not only those assigned."),
    )
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["recommendation", "created_at", "pk"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "iteration"],
                name="version_one_per_iteration",
                violation_error_message=_("This recommendation is already in this iteration."),
            ),
            models.CheckConstraint(
                condition=Q(kind="iteration", iteration__isnull=False)
                | Q(kind="review", iteration__isnull=True),
                name="version_iteration_matches_kind",
                violation_error_code="iteration_kind",
                violation_error_message=_(
                    "An iteration version names its iteration; a review snapshot names none."
                ),
            ),
        ]
        indexes = [
            # The latest published: the home page and the feeds.
            models.Index(
                fields=["-created_at", "-id"],
                name="version_latest_published",
                condition=Q(kind="iteration"),
            ),
        ]

    def __str__(self):
        return f"{self.recommendation} · {self.name}"

    def get_absolute_url(self):
        return reverse(
            "recommendations:version",
            kwargs={"pk": self.recommendation_id, "version": self.pk},
        )

    # The frozen text as written, in the source language.
    source_title = SourceText("title", through="revision")
    source_summary = SourceText("summary", through="revision")
    source_body = SourceText("body", through="revision")


class VersionSearch(models.Model):
    """A published version's frozen text, ready for full-text search (PostgreSQL only).

    It lives beside the version rather than in it: lists and counts scan versions, and a
    version row with its vector is ten times as wide."""

    version = models.OneToOneField(
        Version, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    vector = SearchVectorField()

    class Meta:
        verbose_name = _("search text of a version")
        verbose_name_plural = _("search texts of versions")

    def __str__(self):
        return str(self.version)


class Cadence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ReviewAssignment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")

    # The statuses of an assignment still waiting on its reviewer: the one place they are
    # listed (reminders, due dates, the reviewer's list, the admin's filter...).
    OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED)
    # A new assignment is offered as due this many days after it is made (every form that
    # assigns: the version's page, asking again, the admin).
    DUE_IN_DAYS = 7

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    brief = models.TextField(_("brief"), blank=True)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence, default=Cadence.ONCE)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("follows"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next",
        help_text=_("The assignment this recurring one follows."),
    )

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="assignment_decline_has_reason",
                violation_error_code="reason_required",
                violation_error_message=_("Say why you decline."),
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status", "due_on"], name="assignment_inbox")]

    def __str__(self):
        return f"{self.reviewer} · {self.version} · {date_format(self.due_on)}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Thread(models.Model):
    """A discussion on a version, on the whole or on a quoted passage of its text.

    A passage is kept the way annotation tools keep it: the exact words, a little of the
    text before and after, and the position, so it can be found again in newer versions.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    class Outcome(models.TextChoices):
        INCORPORATED = "incorporated", _("Incorporated")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope")

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="threads"
    )
    # Community feedback on a published iteration, in the open; review threads never are.
    public = models.BooleanField(_("community feedback"), default=False)
    quote = models.TextField(_("quoted passage"), blank=True)
    quote_prefix = models.CharField(_("words before the passage"), max_length=64, blank=True)
    quote_suffix = models.CharField(_("words after the passage"), max_length=64, blank=True)
    quote_start = models.PositiveIntegerField(_("where the passage starts"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    outcome_note = models.TextField(_("what was done, or why not"), blank=True)
    outcome_revision = models.ForeignKey(
        "recommendations.HistoricalRecommendation",
        verbose_name=_("the revision that did it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)

    class Meta:
        ordering = ["version", "quote_start", "created_at", "pk"]
        verbose_name = _("comment thread")
        verbose_name_plural = _("comment threads")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome="") | (Q(status="resolved") & ~Q(outcome="")),
                name="thread_resolved_has_outcome",
                violation_error_code="outcome_required",
                violation_error_message=_("A resolved thread says what became of it."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["declined", "out_of_scope"]) | ~Q(outcome_note=""),
                name="thread_declined_has_reason",
                violation_error_code="reason_required",
                violation_error_message=_("Say why it was declined."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="incorporated") | Q(outcome_revision__isnull=False),
                name="thread_incorporated_has_revision",
                violation_error_code="revision_required",
                violation_error_message=_("Name the revision that incorporated it."),
            ),
        ]
        indexes = [models.Index(fields=["version", "status"], name="thread_version_status")]

    def __str__(self):
        return f"#{self.pk} on {self.version}"

    def get_absolute_url(self):
        return reverse(
            "recommendations:thread",
            kwargs={"pk": self.version.recommendation_id, "thread": self.pk},
        )


class Comment(models.Model):
    """One message of a thread: the first opens it, the others reply. Edits are kept in
    history (translation.py)."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="review_comments",
    )
    body = models.TextField(_("comment"), validators=[validate_body_size])
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden_reason = models.TextField(_("hidden because"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["thread", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["thread", "created_at"], name="comment_thread_time")]

    def __str__(self):
        return f"{self.author}: {self.body[:60]}"

    def editable_now(self) -> bool:
        """Within COMMENT_EDIT_MINUTES of being written: its author may still change it."""
        window = timedelta(minutes=settings.COMMENT_EDIT_MINUTES)
        return timezone.now() - self.created_at <= window


class SourceLink(models.Model):
    """A synthesized recommendation reflects a source recommendation, as published in a
    given version; the note says what was taken, merged, or left out and why."""

    synthesized = models.ForeignKey(
        Recommendation,
        verbose_name=_("synthesized recommendation"),
        on_delete=models.CASCADE,
        related_name="source_links",
    )
    source_version = models.ForeignKey(
        Version,
        verbose_name=_("source, as published"),
        on_delete=models.PROTECT,
        related_name="synthesis_links",
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("What was taken, merged, or left out, and why.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["synthesized", "pk"]
        verbose_name = _("source link")
        verbose_name_plural = _("source links")
        constraints = [
            models.UniqueConstraint(
                fields=["synthesized", "source_version"],
                name="source_link_once",
                violation_error_message=_("This source is linked already."),
            ),
        ]

    def __str__(self):
        return f"{self.synthesized} ← {self.source_version}"


class SourceFate(models.Model):
    """What became of a source recommendation when it was not (only) merged: forwarded
    elsewhere, or left out with the reason."""

    class Fate(models.TextChoices):
        FORWARDED = "forwarded", _("Forwarded elsewhere")
        LEFT_OUT = "left_out", _("Left out")

    source = models.OneToOneField(
        Recommendation,
        verbose_name=_("source recommendation"),
        on_delete=models.CASCADE,
        related_name="fate",
    )
    fate = models.CharField(_("fate"), max_length=20, choices=Fate)
    reason = models.TextField(_("reason, or where it went"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("fate of a source")
        verbose_name_plural = _("fates of sources")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="fate_has_reason",
                violation_error_code="reason_required",
                violation_error_message=_("Say why, or where it went."),
            ),
        ]

    def __str__(self):
        return f"{self.source}: {self.get_fate_display()}"


class OverlapCluster(models.Model):
    """Source recommendations that overlap, mapped inside the tool."""

    note = models.TextField(_("note"))
    members = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations"), related_name="overlap_clusters"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("overlap")
        verbose_name_plural = _("overlaps")

    def __str__(self):
        return self.note[:60]


class Input(models.Model):
    """What connectors bring to the writers: a summary of community conversations,
    research, a feasibility assessment."""

    class Kind(models.TextChoices):
        CONVERSATIONS = "conversations", _("Community conversation summary")
        RESEARCH = "research", _("Research")
        FEASIBILITY = "feasibility", _("Feasibility assessment")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True, validators=[validate_body_size])
    link = models.URLField(_("link"), blank=True)
    dated = models.DateField(_("date"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where it comes from: an event, a study, a team."),
    )
    recommendations = models.ManyToManyField(
        Recommendation, verbose_name=_("recommendations"), related_name="inputs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")

    def __str__(self):
        return self.title


class Watch(models.Model):
    """What a person said about watching a recommendation or a working group (the synthesis
    is the working group of kind synthesis): `watching` yes, or no. A "no" is kept, not
    deleted: it overrides the default (members watch their group).

    Whether a person watches something, all told, is written once, in
    recommendations/selectors/watching.py."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="watches",
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="watches",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="watches",
    )
    watching = models.BooleanField(_("watching"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["user", "pk"]
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation__isnull=False, working_group__isnull=True)
                | Q(recommendation__isnull=True, working_group__isnull=False),
                name="watch_one_target",
                violation_error_code="one_target",
                violation_error_message=_(
                    "A watch is of one recommendation or of one working group."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "recommendation"],
                condition=Q(recommendation__isnull=False),
                name="watch_recommendation_once",
                violation_error_message=_("This person's watch of it is recorded already."),
            ),
            models.UniqueConstraint(
                fields=["user", "working_group"],
                condition=Q(working_group__isnull=False),
                name="watch_group_once",
                violation_error_message=_("This person's watch of it is recorded already."),
            ),
        ]

    def __str__(self):
        target = self.recommendation or self.working_group
        return f"{self.user} · {target} · {'yes' if self.watching else 'no'}"


class TranslationProgress(models.Model):
    """How much of a recommendation's published version is translated into one language:
    its units in all, those translated, those stale (translated from a source unit that
    has changed since). Stored, so that the completeness table and the translators' home
    read counts instead of every text: services/translations.py keeps it (a translation
    saved, a version published); `manage.py translation_progress_fill` rebuilds it."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="translation_progress",
    )
    # The published version counted: a row for another version than the one the public
    # reads is out of date, and no list reads it.
    version = models.ForeignKey(
        Version,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="translation_progress",
    )
    language = models.CharField(_("language"), max_length=10)
    # When that version was published: the lists of what waits, newest or oldest first,
    # walk an index of it instead of sorting every row joined to its version.
    published_at = models.DateTimeField(_("published"))
    total = models.PositiveIntegerField(_("units"))
    translated = models.PositiveIntegerField(_("translated"))
    stale = models.PositiveIntegerField(_("stale"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["recommendation", "language"]
        verbose_name = _("translation progress")
        verbose_name_plural = _("translation progress")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "language"],
                name="translation_progress_once",
                violation_error_message=_("This language's progress is recorded already."),
            ),
            models.CheckConstraint(
                condition=Q(translated__lte=models.F("total"))
                & Q(stale__lte=models.F("translated")),
                name="translation_progress_counts",
                violation_error_code="counts",
                violation_error_message=_(
                    "Translated units are at most the units, stale ones at most the translated."
                ),
            ),
        ]
        indexes = [
            # What waits, newest first: the translators' home and "Needs me".
            models.Index(fields=["published_at", "id"], name="translation_progress_when"),
        ]

    def __str__(self):
        return f"{self.recommendation_id} {self.language}: {self.translated}/{self.total}"

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def percent(self) -> int:
        from recommendations.text.translation_units import percent

        return percent(self.translated, self.total)


class Suggestion(models.Model):
    """Words proposed for a frozen version: a replacement of its title, its summary or a
    passage of its text, or a new paragraph after one of its lines, with a reason.

    A passage is kept as a thread's quote is (anchoring.py): the words as shown, some text
    before and after, and where it started. Accepting it applies the change to the draft
    by a three-way merge from the version it was made on, as a revision that names it.
    """

    class Target(models.TextChoices):
        TITLE = "title", _("The title")
        SUMMARY = "summary", _("The summary")
        PASSAGE = "passage", _("A passage of the text")
        PARAGRAPH = "paragraph", _("A new paragraph")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        ACCEPTED_CHANGED = "accepted_changed", _("Accepted with changes")
        DECLINED = "declined", _("Declined")

    version = models.ForeignKey(
        Version, verbose_name=_("version"), on_delete=models.CASCADE, related_name="suggestions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    target = models.CharField(_("what it changes"), max_length=10, choices=Target)
    quote = models.TextField(_("passage"), blank=True)
    quote_prefix = models.CharField(_("words before the passage"), max_length=64, blank=True)
    quote_suffix = models.CharField(_("words after the passage"), max_length=64, blank=True)
    quote_start = models.PositiveIntegerField(_("where the passage starts"), null=True, blank=True)
    after_line = models.PositiveIntegerField(_("after line"), null=True, blank=True)
    replacement = models.TextField(_("proposed words"), blank=True, validators=[validate_body_size])
    reason = models.TextField(_("reason"), validators=[validate_body_size])
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.OPEN)
    # The words as accepted, when the group changed them.
    accepted_text = models.TextField(
        _("words accepted"), blank=True, validators=[validate_body_size]
    )
    decision_reason = models.TextField(_("why"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revision = models.ForeignKey(
        "recommendations.HistoricalRecommendation",
        verbose_name=_("the revision it made"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("suggested at"), auto_now_add=True)
    # Moderation, as of a comment of community feedback: a hidden suggestion keeps its
    # place in the public record, not its words, and cannot be accepted.
    hidden_reason = models.TextField(_("hidden because"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["version", "created_at", "pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target="passage") | ~Q(quote=""),
                name="suggestion_passage_has_quote",
                violation_error_code="quote_required",
                violation_error_message=_("Quote the passage the suggestion replaces."),
            ),
            models.CheckConstraint(
                condition=~Q(target="paragraph") | Q(after_line__isnull=False),
                name="suggestion_paragraph_has_line",
                violation_error_code="line_required",
                violation_error_message=_("Say after which line the new paragraph goes."),
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decision_reason=""),
                name="suggestion_declined_has_reason",
                violation_error_code="reason_required",
                violation_error_message=_("Say why it was declined."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "accepted_changed"])
                | Q(revision__isnull=False),
                name="suggestion_accepted_has_revision",
                violation_error_code="revision_required",
                violation_error_message=_("An accepted suggestion names the revision it made."),
            ),
        ]
        indexes = [models.Index(fields=["version", "state"], name="suggestion_version_state")]

    def __str__(self):
        return _("Suggestion %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return (
            reverse(
                "recommendations:version",
                kwargs={"pk": self.version.recommendation_id, "version": self.version_id},
            )
            + f"#suggestion-{self.pk}"
        )

    @property
    def words(self) -> str:
        """The words the suggestion puts in: as accepted, else as proposed."""
        return self.accepted_text if self.state == self.State.ACCEPTED_CHANGED else self.replacement


class RevisionCoauthor(models.Model):
    """Someone besides its author whose changes a revision holds: the live editor writes
    what several people typed together as one revision (recommendations/live/), its author
    one of them, the others recorded here and named in the history."""

    revision = models.ForeignKey(
        "recommendations.HistoricalRecommendation",
        verbose_name=_("revision"),
        on_delete=models.CASCADE,
        related_name="coauthors",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-author"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering = ["revision", "user"]
        verbose_name = _("co-author of a revision")
        verbose_name_plural = _("co-authors of revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "user"],
                name="revision_coauthor_once",
                violation_error_message=_("This person is a co-author of it already."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.revision_id}"


class LiveDocument(models.Model):
    """The live editor's document of a draft as the server last kept it (the Yjs update
    that rebuilds it), and the revision it was last written as. A room opened again (after
    everyone left, after a restart) starts from it, so that the browsers that still hold the
    document merge with it instead of adding their text a second time."""

    recommendation = models.OneToOneField(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="live_document",
    )
    revision_id = models.BigIntegerField(_("revision"), null=True)
    state = models.BinaryField(_("state"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("live document")
        verbose_name_plural = _("live documents")

    def __str__(self):
        return f"{self.recommendation_id} · {self.revision_id}"


class TranslationDraft(models.Model):
    """A volunteer's translation of one unit, not yet public: it waits until a second
    translator of the language (not its author) or the core team proofreads it and marks
    it ready (services/translations.py, translation_mark_ready); then its text becomes the
    recommendation's translation of that unit, and the draft is gone. One draft per unit
    and language: a later one replaces it, with its own author."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="translation_drafts",
    )
    language = models.CharField(_("language"), max_length=10)
    # The unit's key (recommendations/text/translation_units.py): "title", "body.3".
    unit = models.CharField(_("unit"), max_length=20)
    text = models.TextField(_("translation"), validators=[validate_body_size])
    # The source unit it was made from (its fingerprint and text), as on the
    # recommendation's translation_sources once ready.
    source_fingerprint = models.CharField(_("source fingerprint"), max_length=16)
    source = models.TextField(_("source"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        on_delete=models.CASCADE,
        related_name="translation_drafts",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["recommendation", "language", "pk"]
        verbose_name = _("translation draft")
        verbose_name_plural = _("translation drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "language", "unit"],
                name="translation_draft_once",
                violation_error_message=_("This unit has a draft in this language already."),
            ),
        ]

    def __str__(self):
        return f"{self.recommendation} · {self.language} · {self.unit}"


class TranslationReadiness(models.Model):
    """A language marked ready for an iteration: its translation of the iteration's whole
    set is complete and proofread, as a proofreader of the language (or the core team)
    found it when marking (services/translations.py, translation_readiness_mark). Whether
    it is still so is read, not stored: a unit missing or stale since shows the mark as
    "changed since" (selectors/translations.py, iteration_languages)."""

    iteration = models.ForeignKey(
        Iteration,
        verbose_name=_("iteration"),
        on_delete=models.CASCADE,
        related_name="translations_ready",
    )
    language = models.CharField(_("language"), max_length=10)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked ready"), default=timezone.now)

    class Meta:
        ordering = ["iteration", "language"]
        verbose_name = _("language ready for an iteration")
        verbose_name_plural = _("languages ready for an iteration")
        constraints = [
            models.UniqueConstraint(
                fields=["iteration", "language"],
                name="translation_readiness_once",
                violation_error_message=_("This language is marked ready already."),
            ),
        ]

    def __str__(self):
        return f"{self.iteration} · {self.language}"


class TranslationMemory(models.Model):
    """A translation of one source unit that was made public: what the translation memory
    offers for similar source text in the same language (selectors/translation_memory.py).
    Recorded when a translation becomes ready; kept when the recommendation changes, since
    it is the memory of what was once translated so."""

    language = models.CharField(_("language"), max_length=10)
    source = models.TextField(_("source"))
    source_fingerprint = models.CharField(_("source fingerprint"), max_length=16)
    translation = models.TextField(_("translation"))
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["language", "-pk"]
        verbose_name = _("translation memory entry")
        verbose_name_plural = _("translation memory")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "source_fingerprint", "translation"],
                name="translation_memory_once",
                violation_error_message=_("This translation is in the memory already."),
            ),
        ]

    def __str__(self):
        return f"{self.language} · {self.source[:40]}"


class GlossaryTerm(models.Model):
    """A key term and how it is translated into one language, with a note: shown beside
    the units whose source contains it (managed by the core team in the admin)."""

    term = models.CharField(_("term"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    translation = models.CharField(_("translation"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["language", "term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "language"],
                name="glossary_term_once",
                violation_error_message=_("This term is in this language's glossary already."),
            ),
        ]

    def __str__(self):
        return f"{self.term} → {self.translation} ({self.language})"
