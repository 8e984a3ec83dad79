"""Thematic areas, working groups, the people in them and how they were invited.

Translatable fields are registered in translation.py, and so is history: with
django-modeltranslation, simple-history must see the translated columns, so it is
registered after them rather than declared here.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategy.models import Affiliation, affiliation_text
from strategy.source_language import SourceText


class ThematicArea(models.Model):
    """One of the movement's key thematic areas, the subject of a thematic working group."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    code = models.CharField(
        _("code"), max_length=4, blank=True, help_text=_("Short code, for example AD.")
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")

    def __str__(self):
        return self.name


class WorkingGroupQuerySet(models.QuerySet):
    def thematic(self):
        return self.filter(kind=WorkingGroup.Kind.THEMATIC)


class WorkingGroup(models.Model):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", _("Thematic working group")
        SYNTHESIS = "synthesis", _("Synthesis group")
        STEERING = "steering", _("Steering group")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.THEMATIC)
    thematic_area = models.ForeignKey(
        ThematicArea,
        verbose_name=_("thematic area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
    )
    mailing_list = models.EmailField(_("mailing list"), blank=True)
    scope = models.TextField(
        _("scope"), blank=True, help_text=_("A short description of what the group works on.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="thematic", thematic_area__isnull=False) | ~Q(kind="thematic"),
                name="workinggroup_thematic_has_area",
                violation_error_code="missing_area",
                violation_error_message=_("A thematic working group needs a thematic area."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("public:group", kwargs={"slug": self.slug})

    source_name = SourceText("name")


class GuidingQuestion(models.Model):
    """One bullet of a group's scope: a question or focus the group works on."""

    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="guiding_questions",
    )
    text = models.TextField(_("text"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["working_group", "position", "pk"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self):
        return self.text[:80]


class FormerName(models.Model):
    """A name the group had before, with when and why it changed."""

    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="former_names",
    )
    name = models.CharField(_("former name"), max_length=200)
    renamed_on = models.DateField(_("renamed on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["working_group", "renamed_on", "pk"]
        verbose_name = _("former name")
        verbose_name_plural = _("former names")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Coordinator")
    WRITER = "writer", _("Writer")
    CONNECTOR = "connector", _("Connector")
    REVIEWER = "reviewer", _("Reviewer")
    CORE_TEAM_LIAISON = "liaison", _("Core team liaison")


def active_membership_q(*, prefix: str = "", on=None) -> Q:
    """Memberships (at `prefix`, e.g. "memberships__") that hold `on` (today): joined by
    then, and not yet left. The one place this is written; Membership.objects.active() is
    it for memberships themselves."""
    today = on or timezone.localdate()
    not_left = Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today})
    return not_left & Q(**{f"{prefix}joined_on__lte": today})


class MembershipQuerySet(models.QuerySet):
    def active(self, *, on=None):
        return self.filter(active_membership_q(on=on))


class Membership(models.Model):
    """A person's role in a working group. A person may hold several roles in one group."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation, default=Affiliation.INDIVIDUAL
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["working_group", "role", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "working_group", "role"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_role",
                violation_error_message=_("This person already holds this role in this group."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_code="left_before_joined",
                violation_error_message=_("A person cannot leave before joining."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.working_group} · {self.get_role_display()}"

    @property
    def affiliation_text(self) -> str:
        """The affiliation recorded for this membership, with the organized group the person
        names on their profile (needs `user` loaded with the membership)."""
        return affiliation_text(affiliation=self.affiliation, organization=self.user.organization)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


def site_languages():
    """The languages of the site, read when a form or a check asks for them rather than when
    this module is imported, so that a changed setting (override_settings) is seen."""
    return settings.LANGUAGES


class Invitation(models.Model):
    """An e-mail invitation to join a group in a role. The link carries a signed token.

    Its e-mail is an e-mail of the ledger like any notice (strategy/mailer.py), to the
    address, since the invited person has no account yet: `notice` is the latest one, and
    its state is the invitation's e-mail state. Each send is an e-mail of its own, with a
    key of its own; the earlier ones stay in the ledger.
    """

    email = models.EmailField(_("e-mail address"))
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    affiliation = models.CharField(
        _("affiliation"), max_length=20, choices=Affiliation, default=Affiliation.INDIVIDUAL
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=site_languages,
        default="en",
        help_text=_("Language of the invitation e-mail."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A per-invitation secret mixed into the signed token, so a token cannot be forged
    # from the invitation's id alone.
    nonce = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    notice = models.OneToOneField(
        "strategy.Notice",
        verbose_name=_("e-mail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="invitation",
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.working_group}"

    def clean(self):
        from .roles import roles_for

        # The group's kind decides which roles it has (groups.roles), for every way in.
        if self.working_group_id and self.role not in roles_for(kind=self.working_group.kind):
            raise ValidationError(
                {
                    "role": ValidationError(
                        _("A %(kind)s has no %(role)s."),
                        code="role_not_in_group",
                        params={
                            "kind": self.working_group.get_kind_display(),
                            "role": self.get_role_display(),
                        },
                    )
                }
            )

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None
