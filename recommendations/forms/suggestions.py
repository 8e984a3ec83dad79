"""Forms of suggested changes: proposing words for a frozen version, and deciding."""

from django import forms
from django.utils.translation import gettext_lazy as _

from recommendations.models import Suggestion
from recommendations.validators import validate_body_size

from .drafting import RecommendationForm
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


class WorkbenchForm(forms.Form):
    """The merge workbench: a choice per open suggestion (keep it open, accept, decline
    with a reason), the result to save (title, summary, text: the merge of the accepted
    ones, which the person may edit), the revision the page stands on, and which accepted
    suggestions the result was made from (so that a result not edited by hand is made
    again from the choices)."""

    CHOICES = [("keep", _("Leave open")), ("accept", _("Accept")), ("decline", _("Decline"))]

    title = RecommendationForm.base_fields["title"]
    summary = RecommendationForm.base_fields["summary"]
    body = RecommendationForm.base_fields["body"]
    base_revision = forms.IntegerField(widget=forms.HiddenInput)
    result_of = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, placed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.placed = list(placed)
        for each in self.placed:
            pk = each.suggestion.pk
            self.fields[f"s{pk}"] = forms.ChoiceField(
                choices=self.CHOICES, initial="keep", required=False, widget=forms.RadioSelect
            )
            self.fields[f"why{pk}"] = TextField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                validators=[validate_body_size],
            )

    def decisions(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            each.suggestion.pk: (
                data.get(f"s{each.suggestion.pk}") or "keep",
                data.get(f"why{each.suggestion.pk}") or "",
            )
            for each in self.placed
        }

    def result_of_ids(self) -> list[int]:
        return [
            int(part)
            for part in (self.cleaned_data.get("result_of") or "").split(",")
            if part.isdigit()
        ]
