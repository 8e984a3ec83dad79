import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import FormerName, GuidingQuestion, Membership, ThematicArea, WorkingGroup


@register(ThematicArea)
class ThematicAreaTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(WorkingGroup)
class WorkingGroupTranslationOptions(TranslationOptions):
    fields = ("name", "scope")


@register(GuidingQuestion)
class GuidingQuestionTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(FormerName)
class FormerNameTranslationOptions(TranslationOptions):
    fields = ("reason",)


# History after translation, so the historical tables carry every language's column.
for model in (ThematicArea, WorkingGroup, GuidingQuestion, FormerName, Membership):
    simple_history.register(model)
