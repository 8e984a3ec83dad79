from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person taking part: member, reviewer, core team, or a signed-in community member."""

    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("Language of the notices this person receives."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("A person with this e-mail address already exists."),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Topic(models.TextChoices):
    """What a notice is about; each person chooses how to receive each topic."""

    REVIEWS = "reviews", _("Review reminders")
    MILESTONES = "milestones", _("Milestone notices")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Each by e-mail, as it happens")
    DIGEST = "digest", _("One e-mail a day (digest)")
    OFF = "off", _("No e-mail (only in the list of notifications)")


class NoticePreference(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notice_preferences"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic)
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="notice_preference_unique"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_topic_display()} → {self.get_delivery_display()}"


class Notice(models.Model):
    """One notice to one person, recorded before it leaves.

    `key` names what it is about, for whom and for which occasion; the uniqueness of the
    key is what makes every notice go out once, however often the tasks that make them run.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DIGEST = "digest", _("Waiting for the daily digest")
        DIGESTED = "digested", _("Sent in a digest")
        OFF = "off", _("Not e-mailed (turned off)")

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic, blank=True)
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("digest"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="included",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["state", "created_at"], name="notice_state"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
