import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Milestone, MilestoneShift, Phase


@register(Phase)
class PhaseTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Milestone)
class MilestoneTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(MilestoneShift)
class MilestoneShiftTranslationOptions(TranslationOptions):
    fields = ("reason",)


for model in (Phase, Milestone, MilestoneShift):
    simple_history.register(model)
