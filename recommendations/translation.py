import simple_history
from modeltranslation.translator import TranslationOptions, register

from strategy.dates import name_history_records

from .models import (
    Comment,
    GlossaryTerm,
    Iteration,
    Recommendation,
    SourceFate,
    SourceLink,
    Suggestion,
    Thread,
    TranslationDraft,
    TranslationReadiness,
)


@register(Iteration)
class IterationTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Recommendation)
class RecommendationTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")


# After translation, so the history tables carry every language's column.
simple_history.register(Recommendation)
simple_history.register(Iteration)
simple_history.register(Thread)
simple_history.register(Comment)
simple_history.register(SourceLink)
simple_history.register(SourceFate)
simple_history.register(Suggestion)
simple_history.register(TranslationDraft)
simple_history.register(TranslationReadiness)
simple_history.register(GlossaryTerm)
# The revisions are named with their time as people read it (a version's revision, in the
# admin).
name_history_records(Recommendation)
