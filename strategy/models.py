from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from strategy.dates import moment


class Affiliation(models.TextChoices):
    """Whom a person takes part for: an organized group of the movement (a chapter, a
    thematic organization, a user group), as its staff or as a member of its board, or
    themselves. A person states it on their profile; each of their memberships records it
    too, as the groups' mix of members is counted by membership."""

    ORGANIZED_GROUP_STAFF = "staff", _("Organized group staff")
    ORGANIZED_GROUP_BOARD = "board", _("Organized group board")
    INDIVIDUAL = "individual", _("Individual contributor")


# The affiliations that are for an organized group, which a person may then name.
ORGANIZED_AFFILIATIONS = (Affiliation.ORGANIZED_GROUP_STAFF, Affiliation.ORGANIZED_GROUP_BOARD)


class User(AbstractUser):
    """A person taking part: member, reviewer, core team, or a signed-in community member."""

    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        help_text=_("Language of the notices this person receives."),
    )
    # Empty until the person (or an invitation they accept) says; their current
    # memberships then follow it (groups.services.memberships_affiliation_follow).
    affiliation = models.CharField(_("affiliation"), max_length=20, choices=Affiliation, blank=True)
    organization = models.CharField(
        _("organized group"),
        max_length=200,
        blank=True,
        help_text=_(
            "For staff and board members: which organized group, for example Wikimedia Deutschland."
        ),
    )
    # The languages the person volunteers to translate into (their profile), as language
    # codes. Kept on the person's row, so that knowing whether someone translates costs no
    # query on any page; who may translate into what, all told, is written once:
    # translator_languages in recommendations/selectors/translations.py.
    translates_into = models.JSONField(_("languages translated into"), default=list, blank=True)
    # The languages the core team assigned the person to proofread (the admin; the person
    # only reads them on their profile), as language codes. A language with at least one
    # assigned proofreader is proofread by them only (and the core team); a proofreader
    # translates into the languages they proofread. Both rules: recommendations/predicates.py
    # (may_proofread_into) and translator_languages.
    proofreads = models.JSONField(_("languages proofread"), default=list, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("A person with this e-mail address already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(organization="")
                | models.Q(affiliation__in=[a.value for a in ORGANIZED_AFFILIATIONS]),
                name="user_organization_needs_organized_affiliation",
                violation_error_code="organization_without_organized_affiliation",
                violation_error_message=_(
                    "Name an organized group only if you are on its staff or its board: an "
                    "individual contributor takes part for themselves. Choose your "
                    "affiliation, or leave the organized group empty."
                ),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        from strategy.accounts.services import FORMER_PREFIX

        # A deleted account (strategy/accounts/services.py: user_account_delete) keeps its
        # row for what the person wrote, and no name.
        # The name first: lists that load only a person's names need not load the flag.
        if self.username.startswith(FORMER_PREFIX) and not self.is_active:
            return gettext("a former participant")
        return self.get_full_name() or self.username

    @property
    def affiliation_text(self) -> str:
        """The stated affiliation as people read it, with the organized group if named."""
        return affiliation_text(affiliation=self.affiliation, organization=self.organization)


def affiliation_text(*, affiliation: str, organization: str = "") -> str:
    """An affiliation as shown beside a person's name: "Organized group staff, Wikimedia
    Deutschland"; the organized group only with an affiliation that is for one."""
    if not affiliation:
        return ""
    label = Affiliation(affiliation).label
    if organization and affiliation in ORGANIZED_AFFILIATIONS:
        return gettext("%(affiliation)s, %(organization)s") % {
            "affiliation": label,
            "organization": organization,
        }
    return str(label)


class Topic(models.TextChoices):
    """What a notice is about; each person chooses how to receive each topic."""

    REVIEWS = "reviews", _("Review reminders")
    REVIEW_ANSWERS = "review_answers", _("Reviewers accepting, declining or finishing a review")
    COMMENTS = "comments", _("Comments, replies and resolved threads")
    MENTIONS = "mentions", _("Mentions of me")
    FEEDBACK = "feedback", _("Community feedback and what became of it")
    TRANSLATIONS = "translations", _("Translations in my language gone stale")
    WATCHED = "watched", _("What I watch: published in an iteration or merged into the synthesis")
    MILESTONES = "milestones", _("Milestone notices")
    ANNOUNCEMENTS = "announcements", _("Announcements from the core team")


# The topics as the preferences page shows them, under a heading each.
TOPIC_SECTIONS = (
    (_("Reviews"), (Topic.REVIEWS, Topic.REVIEW_ANSWERS)),
    (_("Discussions"), (Topic.COMMENTS, Topic.MENTIONS)),
    (_("Community feedback"), (Topic.FEEDBACK,)),
    (_("Translations"), (Topic.TRANSLATIONS,)),
    (_("The process"), (Topic.WATCHED, Topic.MILESTONES, Topic.ANNOUNCEMENTS)),
)


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
    """One e-mail of the product, recorded before it leaves (the ledger, strategy/mailer.py).

    Most are notices to a person (`recipient`), who also sees them in the list of
    notifications; an e-mail to an address with no account behind it (an invitation) has
    `email` instead. `key` names what it is about, for whom and for which occasion; the
    uniqueness of the key is what makes every e-mail go out once, however often the tasks
    that make them run.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The message may have reached the server (a send cut off after it was handed
        # over): sending it again could make a second copy, so a person decides.
        IN_DOUBT = "in_doubt", _("In doubt: may have been sent, check before sending again")
        DIGEST = "digest", _("Waiting for the daily digest")
        # Waiting a few minutes (until `send_after`) for more notices with the same
        # `gather_key` (replies in one thread): they leave as one e-mail.
        GATHERING = "gathering", _("Waiting a few minutes for others about the same thing")
        GATHERED = "gathered", _("Sent in one e-mail with others about the same thing")
        DIGESTED = "digested", _("Sent in a digest")
        OFF = "off", _("Not e-mailed (turned off)")
        # Stopped before it left: what it was about no longer holds (a revoked invitation).
        CANCELLED = "cancelled", _("Cancelled before it was sent")

    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic, blank=True)
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # What the notice is about (a recommendation: "recommendation:12"), and its name as
    # the recipient reads it: the digest groups its notices by it.
    about_key = models.CharField(_("about (key)"), max_length=100, blank=True)
    about = models.CharField(_("about"), max_length=300, blank=True)
    # Notices with the same key for one person, made within minutes, leave as one e-mail.
    gather_key = models.CharField(_("sent together with (key)"), max_length=200, blank=True)
    send_after = models.DateTimeField(
        _("sent once others had time to join, at"), null=True, blank=True
    )
    # The digest, or the one e-mail of gathered notices, that carried it.
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
        constraints = [
            # A person (whose current address it goes to), or an address: one of the two.
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, email="")
                | Q(recipient__isnull=True) & ~Q(email=""),
                name="notice_person_or_address",
            ),
        ]

    def __str__(self):
        return f"{self.recipient or self.email}: {self.subject}"

    @property
    def address(self) -> str:
        """Where it goes: the address it was recorded for, or the person's current one."""
        return self.email or self.recipient.email


class AuditEvent(models.Model):
    """Who signed in, who failed to, who changed whose powers, who was refused a page.

    Append-only, like the notice ledger: a row is written once and never changed; rows
    older than the retention period leave only through `manage.py audit_prune`. Names are
    kept as text beside the links, so a row still says who it was once the account is gone.
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        SUPERUSER = "superuser", _("Superuser status changed")
        STAFF = "staff", _("Staff status changed")
        GROUPS = "groups", _("Permission groups changed")
        PERMISSIONS = "permissions", _("Permissions changed")
        ACCESS_REFUSED = "access_refused", _("Access refused (403)")

    at = models.DateTimeField(_("when"), auto_now_add=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    subject = models.ForeignKey(
        User,
        verbose_name=_("whom"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The user name of the account concerned, the one tried in a failed sign-in, or the
    # permission group whose permissions changed.
    subject_name = models.CharField(_("whom (name)"), max_length=150, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["kind", "at"], name="audit_kind_at"),
            models.Index(fields=["subject_name", "at"], name="audit_subject_at"),
        ]

    def __str__(self):
        when = moment(self.at) if self.at else ""
        return f"{when} {self.get_kind_display()} {self.subject_name}"

    def save(self, *args, **kwargs):
        # The log is evidence: what was written stays as written.
        if self.pk is not None:
            raise ValueError("An audit event is never changed.")
        super().save(*args, **kwargs)
