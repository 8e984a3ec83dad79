"""Translations in the admin: the glossary, which the core team keeps (each term, per
language, with its translation and a note, shown beside the units that contain it); the
drafts waiting for proofreading, read-only (translators write and proofread them on the
translation page); the languages marked ready for an iteration, read-only (their
proofreaders mark them on the iteration's page for the language)."""

from django.contrib import admin

from recommendations.models import GlossaryTerm, TranslationDraft, TranslationReadiness
from strategy.admin.history import HistoryAdmin


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(HistoryAdmin):
    list_display = ("term", "language", "translation", "note")
    list_filter = ("language",)
    search_fields = ("term", "translation", "note")
    ordering = ("language", "term")


@admin.register(TranslationDraft)
class TranslationDraftAdmin(HistoryAdmin):
    list_display = ("recommendation", "language", "unit", "author", "updated_at")
    list_filter = ("language",)
    search_fields = ("recommendation__number", "author__username", "text")
    list_select_related = ("recommendation", "author")
    readonly_fields = (
        "recommendation",
        "language",
        "unit",
        "text",
        "source",
        "source_fingerprint",
        "author",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TranslationReadiness)
class TranslationReadinessAdmin(HistoryAdmin):
    list_display = ("iteration", "language", "marked_by", "marked_at")
    list_filter = ("iteration", "language")
    list_select_related = ("iteration", "marked_by")
    readonly_fields = ("iteration", "language", "marked_by", "marked_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
