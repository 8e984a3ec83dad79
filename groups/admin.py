import secrets

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from strategy.admin.actions import confirm, export_csv
from strategy.admin.autocomplete import KnownAutocompleteSelect, known_choices_formset
from strategy.admin.history import HistoryAdmin
from strategy.dates import moment
from strategy.notices import announcement_send

from . import services
from .models import (
    FormerName,
    GuidingQuestion,
    Invitation,
    Membership,
    ThematicArea,
    WorkingGroup,
)
from .selectors import group_members, memberships_named


@admin.register(ThematicArea)
class ThematicAreaAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "code", "position")
    search_fields = ("name", "code", "description")
    prepopulated_fields = {"slug": ("name",)}


class GuidingQuestionInline(TranslationTabularInline):
    model = GuidingQuestion
    extra = 0


class FormerNameInline(TranslationTabularInline):
    model = FormerName
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    # Each row named by its person and group, and its person's select filled, without a
    # query per row.
    formset = known_choices_formset("user")

    def get_queryset(self, request):
        return memberships_named(super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["widget"] = KnownAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "kind", "thematic_area", "mailing_list", "position")
    list_filter = ("kind", "thematic_area")
    search_fields = ("name", "slug", "mailing_list", "scope")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (GuidingQuestionInline, FormerNameInline, MembershipInline)


@admin.register(GuidingQuestion)
class GuidingQuestionAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("__str__", "working_group", "position")
    list_filter = ("working_group",)
    search_fields = ("text",)


@admin.register(FormerName)
class FormerNameAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "working_group", "renamed_on")
    list_filter = ("working_group",)
    search_fields = ("name", "reason")


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ("user", "working_group", "role", "affiliation", "joined_on", "left_on")
    list_filter = ("role", "affiliation", "working_group__kind", "working_group")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "working_group")
    list_select_related = ("user", "working_group")
    date_hierarchy = "joined_on"


class EmailStateFilter(admin.ChoicesFieldListFilter):
    """The state of the invitation's e-mail in the ledger."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("e-mail")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "working_group",
        "role",
        "invited_by",
        "created_at",
        "email_state",
        "email_sent_at",
        "expires_at",
        "accepted_at",
    )
    list_filter = (
        ("notice__state", EmailStateFilter),
        "role",
        "working_group",
        ("accepted_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email",)
    list_select_related = ("working_group", "invited_by", "notice")
    fields = ("email", "working_group", "role", "affiliation", "language")
    readonly_fields = (
        "invited_by",
        "created_at",
        "email_state",
        "email_attempts",
        "email_error",
        "email_sent_at",
        "expires_at",
        "accepted_at",
    )
    actions = ["send_again"]

    # What the ledger (strategy.Notice) says of the invitation's latest e-mail.
    @admin.display(description=_("e-mail"), ordering="notice__state")
    def email_state(self, invitation):
        return invitation.notice.get_state_display() if invitation.notice else None

    @admin.display(description=_("send attempts"))
    def email_attempts(self, invitation):
        return invitation.notice.attempts if invitation.notice else None

    @admin.display(description=_("last send error"))
    def email_error(self, invitation):
        return invitation.notice.last_error if invitation.notice else None

    @admin.display(description=_("e-mail sent"), ordering="notice__sent_at")
    def email_sent_at(self, invitation):
        sent = invitation.notice.sent_at if invitation.notice else None
        return moment(sent) if sent else None

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return self.fields + self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # An invitation is sent as it is; to change one, send a new one.
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        invitation = services.invitation_create(invited_by=request.user, **form.cleaned_data)
        # The admin goes on to log and link the object it saved.
        obj.pk = invitation.pk
        self.message_user(
            request, _("The invitation e-mail is on its way."), level=messages.SUCCESS
        )

    # In doubt too, once the core team checked with the person that nothing arrived.
    @admin.action(description=_("Send the selected failed or in-doubt invitations again"))
    def send_again(self, request, queryset):
        count = services.invitations_send_again(invitations=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s invitation queued again.",
                "%(count)s invitations queued again.",
                count,
            )
            % {"count": count},
        )


class AnnouncementForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea)
    # Made when the form is first shown and sent back with it: the announcement's key in
    # the notice ledger, so that submitting the same form twice sends it once.
    token = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{20,64}$",
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("This form is damaged: open the action again from the list."),
            "required": _("This form is damaged: open the action again from the list."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["token"] = secrets.token_urlsafe(24)


@admin.action(description=_("Send a notice now to the selected groups' members"))
def send_notice(modeladmin, request, queryset):
    def act(form):
        made, before = announcement_send(
            token=form.cleaned_data["token"],
            subject=form.cleaned_data["subject"],
            message=form.cleaned_data["message"],
            recipients=group_members(groups=queryset),
        )
        if before and not made:
            return _("This announcement was sent already; nothing was sent again.")
        return ngettext(
            "Announcement recorded for %(count)s person; it goes out as they chose.",
            "Announcement recorded for %(count)s people; it goes out as each chose.",
            made,
        ) % {"count": made}

    return confirm(
        modeladmin,
        request,
        queryset,
        form=AnnouncementForm,
        title=_("Send a notice now"),
        action="send_notice",
        button=_("Send"),
        act=act,
    )


WorkingGroupAdmin.actions = [send_notice, export_csv]
MembershipAdmin.actions = [export_csv]
