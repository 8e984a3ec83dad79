"""Forms of suggested changes: proposing words for a frozen version, and deciding."""

from django import forms
from django.utils.translation import gettext_lazy as _

from recommendations.models import Suggestion
from recommendations.validators import validate_body_size

from .fields import TextField


class SuggestionForm(forms.Form):
    """Works without script: say what changes, paste the passage, type the words. The
    version page's script fills the passage from a selection."""

    target = forms.ChoiceField(
        label=_("What it changes"),
        choices=Suggestion.Target.choices,
        initial=Suggestion.Target.PASSAGE,
    )
    quote = TextField(
        label=_("Passage to replace"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-suggest-quote": "1"}),
        help_text=_("Select words in the text, or paste them exactly as shown."),
    )
    after_line = forms.IntegerField(
        label=_("After line"),
        required=False,
        min_value=1,
        help_text=_("For a new paragraph: the number of the line it follows."),
    )
    replacement = TextField(
        label=_("Your words"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_body_size],
        help_text=_("Leave empty to suggest deleting the passage."),
    )
    reason = TextField(
        label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}), validators=[validate_body_size]
    )
    near = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept")),
            ("accept_changed", _("Accept with changes")),
            ("decline", _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    words = TextField(
        label=_("The words, as accepted"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_body_size],
        help_text=_("For “accept with changes”: edit the proposed words."),
    )
    reason = TextField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_body_size],
        help_text=_("Needed to decline; told to whoever suggested it."),
    )
    # The version page it was decided from (a newer one, for a suggestion carried there).
    on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                forms.ValidationError(_("Say why it was declined."), code="reason_required"),
            )
        return data
