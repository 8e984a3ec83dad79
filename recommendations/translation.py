import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Comment, Iteration, Recommendation, Thread


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
