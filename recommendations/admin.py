from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Input, Iteration, OverlapCluster, Recommendation, SourceFate, SourceLink


@admin.register(Iteration)
class IterationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "published_on", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


class SourceLinkInline(admin.TabularInline):
    model = SourceLink
    fk_name = "synthesized"
    extra = 0
    raw_id_fields = ("source_version",)
    readonly_fields = ("created_by", "created_at")


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
    inlines = (SourceLinkInline,)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SourceLink)
class SourceLinkAdmin(SimpleHistoryAdmin):
    list_display = ("synthesized", "source_version", "created_by", "created_at")
    search_fields = ("synthesized__title", "note")
    list_select_related = ("synthesized", "source_version__recommendation")
    raw_id_fields = ("synthesized", "source_version")


@admin.register(SourceFate)
class SourceFateAdmin(SimpleHistoryAdmin):
    list_display = ("source", "fate", "decided_by", "decided_at")
    list_filter = ("fate",)
    search_fields = ("source__title", "reason")
    raw_id_fields = ("source",)


@admin.register(OverlapCluster)
class OverlapClusterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_by", "created_at")
    search_fields = ("note",)
    filter_horizontal = ("members",)


@admin.register(Input)
class InputAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "dated", "source", "created_by")
    list_filter = ("kind",)
    search_fields = ("title", "text", "source")
    filter_horizontal = ("recommendations",)
