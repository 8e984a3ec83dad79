"""Recommendations and the iterations they are published in.

Title, summary and body are translatable (translation.py), English being the source
language; history is registered there too, after the translated columns.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.models import WorkingGroup

from .validators import validate_body_size

# The fields people write; each exists once per language, English being the source.
TEXT_FIELDS = ("title", "summary", "body")


def source_field(name: str) -> str:
    """The column that holds the source-language text of a translatable field."""
    from modeltranslation.utils import build_localized_fieldname

    return build_localized_fieldname(name, settings.MODELTRANSLATION_DEFAULT_LANGUAGE)


class Iteration(models.Model):
    """A round of publication shared by every group, e.g. "Second iteration, November 2019"."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "published_on", "pk"]
        verbose_name = _("iteration")
        verbose_name_plural = _("iterations")

    def __str__(self):
        return self.name


class Recommendation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        MERGED = "merged", _("Merged into synthesis")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # What anyone may read; every other state is visible to the group and the core team.
    PUBLIC_STATES = (State.PUBLISHED, State.MERGED)

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

    def get_absolute_url(self):
        return reverse("recommendations:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES
