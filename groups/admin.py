from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    FormerName,
    GuidingQuestion,
    Invitation,
    Membership,
    ThematicArea,
    WorkingGroup,
)


@admin.register(ThematicArea)
class ThematicAreaAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
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


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "kind", "thematic_area", "mailing_list", "position")
    list_filter = ("kind", "thematic_area")
    search_fields = ("name", "slug", "mailing_list", "scope")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (GuidingQuestionInline, FormerNameInline, MembershipInline)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "working_group", "role", "affiliation", "joined_on", "left_on")
    list_filter = ("role", "affiliation", "working_group__kind", "working_group")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "working_group")
    list_select_related = ("user", "working_group")
    date_hierarchy = "joined_on"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "working_group",
        "role",
        "invited_by",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
    )
    list_filter = ("role", "working_group", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    list_select_related = ("working_group", "invited_by")
    fields = ("email", "working_group", "role", "affiliation", "language")
    readonly_fields = ("invited_by", "created_at", "sent_at", "expires_at", "accepted_at")

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
