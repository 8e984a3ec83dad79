"""The public site's forms: filtering the list of recommendations."""

import time

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from groups.models import ThematicArea, WorkingGroup
from recommendations.models import Iteration
from recommendations.selectors.reading import PUBLIC_FILTER_STATES
from strategy import generations

# What the choices of the filters are read from; each process keeps them, per language,
# under these models' generations (strategy/generations.py, connected in public/apps.py):
# every list page and search asked the database three times for the same few rows.
CHOICE_MODELS = ("groups.WorkingGroup", "groups.ThematicArea", "recommendations.Iteration")
_kept: dict[tuple, dict[str, list]] = {}
# Languages times the generations a process has seen lately.
KEPT_AT_MOST = 64
KEPT_SECONDS = 5 * 60
_clock = time.monotonic


def _read_choices() -> dict[str, list]:
    return {
        "group": list(WorkingGroup.objects.values_list("slug", "name")),
        "area": list(ThematicArea.objects.values_list("slug", "name")),
        "iteration": [(iteration.slug, iteration.name) for iteration in Iteration.objects.all()],
    }


def _choices() -> dict[str, list]:
    """The groups', areas' and iterations' choices, in the active language: read from the
    database once per change of one of them (and each time Redis cannot say)."""
    stamp = tuple(generations.generations(CHOICE_MODELS).values())
    if None in stamp:
        return _read_choices()
    # Read again every KEPT_SECONDS besides: a generation whose move was lost (Redis away
    # at the commit) keeps nothing stale for longer.
    key = (get_language(), stamp, int(_clock() // KEPT_SECONDS))
    found = _kept.get(key)
    if found is None:
        found = _read_choices()
        if len(_kept) >= KEPT_AT_MOST:
            _kept.clear()
        _kept[key] = found
    # Copies: a form's choices are its own.
    return {name: list(choices) for name, choices in found.items()}


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    group = forms.ChoiceField(label=gettext_lazy("Working group"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Thematic area"), required=False)
    iteration = forms.ChoiceField(label=gettext_lazy("Iteration"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        for name, choices in _choices().items():
            self.fields[name].choices = every + choices
        self.fields["state"].choices = every + [
            (state.value, state.label) for state in PUBLIC_FILTER_STATES
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
