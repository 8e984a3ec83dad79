"""Watches in the admin: read-only (people say what they watch on the public pages and on
their list of what they watch); the core team sees and filters them."""

from django.contrib import admin

from recommendations.models import Watch


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ("user", "recommendation", "working_group", "watching", "updated_at")
    list_filter = (
        "watching",
        ("working_group", admin.RelatedOnlyFieldListFilter),
        ("recommendation__working_group", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("user__username", "user__email", "recommendation__number")
    list_select_related = ("user", "recommendation", "working_group")
    date_hierarchy = "updated_at"
    readonly_fields = (
        "user",
        "recommendation",
        "working_group",
        "watching",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
