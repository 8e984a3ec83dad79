from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from strategy.admin.history import HistoryAdmin

from .models import Milestone, MilestoneShift, Phase


@admin.register(Phase)
class PhaseAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("title", "starts_on", "ends_on")
    search_fields = ("title", "description")
    date_hierarchy = "starts_on"


class MilestoneShiftInline(TranslationTabularInline):
    model = MilestoneShift
    extra = 0
    autocomplete_fields = ("working_group",)


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("title", "kind", "starts_on", "ends_on", "phase", "notify")
    list_filter = ("kind", "phase", "notify", "working_groups")
    search_fields = ("title", "description")
    date_hierarchy = "starts_on"
    filter_horizontal = ("working_groups",)
    inlines = (MilestoneShiftInline,)


@admin.register(MilestoneShift)
class MilestoneShiftAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("milestone", "working_group", "starts_on", "ends_on")
    list_filter = ("working_group",)
    search_fields = ("milestone__title", "reason")
    autocomplete_fields = ("milestone", "working_group")
