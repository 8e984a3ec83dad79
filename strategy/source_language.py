"""The source language: every translatable field is written in it first, and translations
are made from it (MODELTRANSLATION_DEFAULT_LANGUAGE). The one place that says which column
holds a field's source text; code and templates ask here rather than name a column."""

from django.conf import settings


def source_language() -> str:
    """The code of the source language ("en")."""
    return settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def source_field(name: str) -> str:
    """The column that holds the source-language text of a translatable field."""
    from modeltranslation.utils import build_localized_fieldname

    return build_localized_fieldname(name, source_language())


class SourceText:
    """A model's read-only attribute: a translatable field's text in the source language,
    whichever language is active (the field itself follows the active one). `through`
    names the related object that holds the field (a version's `revision`)."""

    def __init__(self, name: str, *, through: str = ""):
        self.name = name
        self.through = through

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        holder = getattr(instance, self.through) if self.through else instance
        return getattr(holder, source_field(self.name))
