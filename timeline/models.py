"""Phases and milestones of the process, and the dates a working group shifts for itself.

Titles and descriptions are translatable (translation.py), where history is registered too.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from groups.models import WorkingGroup
from recommendations.models import Iteration


class Phase(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["starts_on", "position", "pk"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="phase_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=_("A phase cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    class Kind(models.TextChoices):
        DEADLINE = "deadline", _("Deadline")
        EVENT = "event", _("Event")
        PUBLICATION = "publication", _("Publication")
        MEETING = "meeting", _("Meeting")
        DECISION = "decision", _("Decision")
        # The date translations of what was published are due by: the one translators
        # are told of when a publication outdated theirs (translation_deadline).
        TRANSLATION_DEADLINE = "translation_deadline", _("Translation deadline")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.EVENT)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For a milestone that lasts several days.")
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    iteration = models.ForeignKey(
        Iteration,
        verbose_name=_("iteration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
    )
    working_groups = models.ManyToManyField(
        WorkingGroup,
        verbose_name=_("working groups"),
        blank=True,
        related_name="milestones",
        help_text=_("The groups it concerns; none means every group."),
    )
    notify = models.BooleanField(
        _("send notices"),
        default=True,
        help_text=_("Remind the members concerned before the date and on the day."),
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="milestone_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=_("A milestone cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["starts_on"], name="milestone_starts_on")]

    def __str__(self):
        return self.title


class MilestoneShift(models.Model):
    """A working group's own date for a milestone."""

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="shifts"
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="milestone_shifts",
    )
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["milestone", "working_group"]
        verbose_name = _("shifted date")
        verbose_name_plural = _("shifted dates")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "working_group"],
                name="shift_one_per_group",
                violation_error_message=_("This group has shifted this milestone already."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="shift_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=_("A date range cannot end before it starts."),
            ),
        ]

    def __str__(self):
        # Shown to people (the admin's lists, messages and history): the date in the active
        # language's format, not ISO.
        return f"{self.milestone} · {self.working_group}: {date_format(self.starts_on)}"
