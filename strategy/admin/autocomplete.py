"""An inline's autocomplete select that names the object its row already holds."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet


class KnownAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select asks the database for the chosen object's name, once
    per row: an inline of 110 memberships asked 110 times. Given `known` (the objects by
    the value that chooses them, as a row's instance holds them), it names them without
    asking; a value it does not know (one posted) is looked up as before."""

    known: dict = {}

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not chosen or not chosen <= self.known.keys():
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for key in sorted(chosen):
            obj = self.known[key]
            label = self.choices.field.label_from_instance(obj)
            default[1].append(self.create_option(name, obj.pk, label, chosen, len(default[1])))
        return [default]


def known_choices_formset(field: str) -> type[BaseInlineFormSet]:
    """An inline formset whose rows tell their `field`'s KnownAutocompleteSelect the object
    they hold (select it with the inline's queryset)."""

    class KnownChoicesFormSet(BaseInlineFormSet):
        def _construct_form(self, i, **kwargs):
            form = super()._construct_form(i, **kwargs)
            if form.instance.pk is not None:
                widget = form.fields[field].widget
                widget = getattr(widget, "widget", widget)  # inside the admin's wrapper
                if isinstance(widget, KnownAutocompleteSelect):
                    held = getattr(form.instance, field)
                    widget.known = {str(held.pk): held}
            return form

    return KnownChoicesFormSet
