"""Comments in the admin: read-only, with moderation (hide, show) as the feedback pages do it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from recommendations import services
from recommendations.forms.feedback import HideForm
from recommendations.models import (
    Comment,
)
from strategy.admin.actions import confirm, export_csv

from .base import ReadOnlyAdmin


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Comments are written and edited by their authors; moderators hide them, with a
    reason, here or on the feedback pages, through the same service."""

    list_display = ("__str__", "author", "thread", "created_at", "edited_at", "hidden_reason")
    list_filter = ("thread__public", ("hidden_reason", admin.EmptyFieldListFilter))
    search_fields = ("body", "author__username", "hidden_reason")
    list_select_related = ("author", "thread__version__recommendation")
    date_hierarchy = "created_at"
    actions = ["hide", "unhide", export_csv]

    @admin.action(description=_("Hide the selected comments"), permissions=["view"])
    def hide(self, request, queryset):
        def act(form):
            for comment in queryset:
                services.comment_hide(
                    comment=comment, user=request.user, reason=form.cleaned_data["reason"]
                )
            return _("%(count)s comments hidden.") % {"count": len(queryset)}

        return confirm(
            self,
            request,
            queryset,
            form=HideForm,
            title=_("Hide comments"),
            action="hide",
            button=_("Hide"),
            act=act,
        )

    @admin.action(description=_("Show the selected comments again"), permissions=["view"])
    def unhide(self, request, queryset):
        for comment in queryset:
            services.comment_unhide(comment=comment, user=request.user)
        self.message_user(request, _("%(count)s comments shown again.") % {"count": len(queryset)})
