"""Suggested changes in the admin: read-only (people suggest and decide on the version
pages, through services that check it), with moderation (hide, show) as comments have;
and the live editor's records, its documents and the co-authors of revisions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from recommendations import services
from recommendations.forms.feedback import HideForm
from recommendations.models import LiveDocument, RevisionCoauthor, Suggestion
from strategy.admin.actions import confirm, export_csv

from .base import ReadOnlyAdmin


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    """Those who moderate community feedback hide a suggestion, with a reason, here or on
    the version page, through the same service."""

    list_display = (
        "__str__",
        "state",
        "target",
        "version",
        "author",
        "created_at",
        "hidden_reason",
    )
    list_filter = (
        "state",
        "target",
        "version__kind",
        ("hidden_reason", admin.EmptyFieldListFilter),
    )
    search_fields = ("replacement", "reason", "quote", "author__username", "hidden_reason")
    list_select_related = ("author", "version__recommendation")
    date_hierarchy = "created_at"
    actions = ["hide", "unhide", export_csv]
    readonly_fields = (
        "version",
        "author",
        "target",
        "quote",
        "quote_prefix",
        "quote_suffix",
        "quote_start",
        "after_line",
        "replacement",
        "reason",
        "state",
        "accepted_text",
        "decision_reason",
        "decided_by",
        "decided_at",
        "revision",
        "created_at",
        "hidden_reason",
        "hidden_by",
    )
    fieldsets = (
        (None, {"fields": ("version", "author", "target", "replacement", "reason", "created_at")}),
        (
            _("Where it stands"),
            {"fields": ("quote", "quote_prefix", "quote_suffix", "quote_start", "after_line")},
        ),
        (
            _("Decision"),
            {
                "fields": (
                    "state",
                    "accepted_text",
                    "decision_reason",
                    "decided_by",
                    "decided_at",
                    "revision",
                )
            },
        ),
        (_("Moderation"), {"fields": ("hidden_reason", "hidden_by")}),
    )

    @admin.action(description=_("Hide the selected suggestions"), permissions=["hide"])
    def hide(self, request, queryset):
        def act(form):
            for suggestion in queryset:
                services.suggestion_hide(
                    suggestion=suggestion, user=request.user, reason=form.cleaned_data["reason"]
                )
            return _("%(count)s suggestions hidden.") % {"count": len(queryset)}

        return confirm(
            self,
            request,
            queryset,
            form=HideForm,
            title=_("Hide suggestions"),
            action="hide",
            button=_("Hide"),
            act=act,
        )

    @admin.action(description=_("Show the selected suggestions again"), permissions=["hide"])
    def unhide(self, request, queryset):
        for suggestion in queryset:
            services.suggestion_unhide(suggestion=suggestion, user=request.user)
        self.message_user(
            request, _("%(count)s suggestions shown again.") % {"count": len(queryset)}
        )

    def has_hide_permission(self, request):
        # recommendations.hide_suggestion: who moderates community feedback.
        return request.user.has_perm("recommendations.hide_suggestion")


@admin.register(LiveDocument)
class LiveDocumentAdmin(admin.ModelAdmin):
    """The live editor keeps these itself (recommendations/live/): shown, never edited."""

    list_display = ("recommendation", "revision_id", "updated_at")
    search_fields = ("recommendation__number", "recommendation__title")
    list_select_related = ("recommendation",)
    date_hierarchy = "updated_at"
    readonly_fields = ("recommendation", "revision_id", "updated_at")
    exclude = ("state",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RevisionCoauthor)
class RevisionCoauthorAdmin(admin.ModelAdmin):
    """Who typed with the author of a revision in the live editor: shown, never edited."""

    list_display = ("revision", "user")
    search_fields = ("user__username", "revision__title")
    list_select_related = ("revision", "user")
    readonly_fields = ("revision", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
