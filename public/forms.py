"""The public site's forms: filtering the list of recommendations."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import ThematicArea, WorkingGroup
from recommendations.models import Iteration
from recommendations.selectors.reading import PUBLIC_FILTER_STATES


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    group = forms.ChoiceField(label=gettext_lazy("Working group"), required=False)
    area = forms.ChoiceField(label=gettext_lazy("Thematic area"), required=False)
    iteration = forms.ChoiceField(label=gettext_lazy("Iteration"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["group"].choices = every + list(
            WorkingGroup.objects.values_list("slug", "name")
        )
        self.fields["area"].choices = every + list(ThematicArea.objects.values_list("slug", "name"))
        self.fields["iteration"].choices = every + [
            (iteration.slug, iteration.name) for iteration in Iteration.objects.all()
        ]
        self.fields["state"].choices = every + [
            (state.value, state.label) for state in PUBLIC_FILTER_STATES
        ]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}
