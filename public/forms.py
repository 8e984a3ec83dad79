"""The public site's forms: filtering the list of recommendations."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from groups.models import ThematicArea, WorkingGroup
from recommendations.models import Iteration
from recommendations.selectors.reading import PUBLIC_FILTER_STATES
from strategy import fragments

# What the choices of the filters are read from; each process keeps them, per language,
# under these models' generations (strategy/fragments.py, connected in public/apps.py):
# every list page and search asked the database three times for the same few rows.
CHOICE_MODELS = ("groups.WorkingGroup", "groups.ThematicArea", "recommendations.Iteration")


def _read_choices() -> dict[str, list]:
    return {
        "group": list(WorkingGroup.objects.values_list("slug", "name")),
        "area": list(ThematicArea.objects.values_list("slug", "name")),
        "iteration": [(iteration.slug, iteration.name) for iteration in Iteration.objects.all()],
    }


def _choices() -> dict[str, list]:
    """The groups', areas' and iterations' choices, in the active language: read from the
    database once per change of one of them (and each time Redis cannot say)."""
    found = fragments.kept("filter-choices", (get_language(),), _read_choices, CHOICE_MODELS)
    # Copies: a form's choices are its own.
    return {name: list(choices) for name, choices in found.items()}


class PlainSelect(forms.Select):
    """A select of plain choices (no groups), written as Django's template writes it but
    without a template per option: the list's filters show on every page of the list and
    of a search, and their thirty-odd options cost more to render than the rest of it."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '  <option value="{}"{}>{}</option>\n\n',
            (
                (choice, " selected" if str(choice) in selected else "", label)
                for choice, label in self.choices
            ),
        )
        # In their order, as django/forms/widgets/attrs.html writes them.
        attrs = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                for key, value in self.build_attrs(self.attrs, attrs).items()
                if value is not False
            ),
        )
        return format_html('<select name="{}"{}>\n{}</select>', name, attrs, options)


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    group = forms.ChoiceField(
        label=gettext_lazy("Working group"), required=False, widget=PlainSelect
    )
    area = forms.ChoiceField(
        label=gettext_lazy("Thematic area"), required=False, widget=PlainSelect
    )
    iteration = forms.ChoiceField(
        label=gettext_lazy("Iteration"), required=False, widget=PlainSelect
    )
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False, widget=PlainSelect)

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
