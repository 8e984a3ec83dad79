"""The synthesis in the admin: sources and fates (read-only: written on the synthesis
pages), overlaps and inputs."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from recommendations.models import (
    Input,
    OverlapCluster,
    SourceFate,
    SourceLink,
)
from recommendations.selectors.synthesis import FATE_LABELS, sources_with_fate

from .base import ReadOnlyAdmin


class SourceLinkInline(admin.TabularInline):
    """Shown, not edited: sources are linked on the synthesis pages, which check that a
    source is a thematic group's published recommendation and record who linked it."""

    model = SourceLink
    fk_name = "synthesized"
    extra = 0
    can_delete = False
    fields = ("source_version", "note", "created_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("synthesized", "source_version__recommendation", "created_by")
        )


class FateFilter(admin.SimpleListFilter):
    """What became of a source in the synthesis, by the coverage report's rule."""

    title = _("fate in the synthesis")
    parameter_name = "fate"

    def lookups(self, request, model_admin):
        return list(FATE_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in FATE_LABELS:
            fated = sources_with_fate(fate=self.value())
            return queryset.filter(pk__in=fated.values("pk"))
        return queryset


@admin.register(SourceLink)
class SourceLinkAdmin(ReadOnlyAdmin):
    list_display = ("synthesized", "source_version", "created_by", "created_at")
    search_fields = ("synthesized__title", "note")
    list_select_related = ("synthesized", "source_version__recommendation", "created_by")


@admin.register(SourceFate)
class SourceFateAdmin(ReadOnlyAdmin):
    list_display = ("source", "fate", "decided_by", "decided_at")
    list_filter = ("fate",)
    search_fields = ("source__title", "reason")
    list_select_related = ("source", "decided_by")


@admin.register(OverlapCluster)
class OverlapClusterAdmin(admin.ModelAdmin):
    """Overlaps are mapped on the synthesis pages (two recommendations or more, with a
    note); here the note may be corrected."""

    list_display = ("__str__", "created_by", "created_at")
    search_fields = ("note",)
    readonly_fields = ("members", "created_by", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(Input)
class InputAdmin(admin.ModelAdmin):
    """Inputs are attached on the synthesis pages (to one recommendation or more); here
    their description may be corrected."""

    list_display = ("title", "kind", "dated", "source", "created_by")
    list_filter = ("kind",)
    search_fields = ("title", "text", "source")
    readonly_fields = ("recommendations", "created_by", "created_at")

    def has_add_permission(self, request):
        return False
