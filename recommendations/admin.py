from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Iteration, Recommendation


@admin.register(Iteration)
class IterationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "published_on", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = (
        "__str__",
        "working_group",
        "state",
        "rank",
        "last_published_in",
        "updated_at",
        "updated_by",
    )
    list_filter = ("state", "working_group", "last_published_in")
    search_fields = ("title", "summary", "body", "number")
    list_select_related = ("working_group", "last_published_in", "updated_by")
    autocomplete_fields = ("working_group",)
    readonly_fields = ("created_at", "updated_at", "updated_by")
    date_hierarchy = "updated_at"

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
