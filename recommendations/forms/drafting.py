"""Drafting forms: the text of a recommendation, the conflict screen, ranking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from recommendations.validators import validate_body_size, validate_no_conflict_markers

from .fields import TextField


class RecommendationForm(forms.Form):
    title = TextField(label=_("Title"), max_length=300, validators=[validate_no_conflict_markers])
    summary = TextField(
        label=_("Summary"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_body_size, validate_no_conflict_markers],
    )
    body = TextField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 22, "data-preview-source": "body"}),
        help_text=_("Markdown: **bold**, *italic*, ## headings, - lists, [links](https://…)."),
        validators=[validate_body_size, validate_no_conflict_markers],
    )
    edit_summary = forms.CharField(
        label=_("Edit summary"),
        max_length=500,
        required=False,
        help_text=_("What you changed, in a few words (optional)."),
    )
    minor = forms.BooleanField(
        label=_("Minor edit"),
        required=False,
        help_text=_(
            "A typo or punctuation, nothing that changes the meaning: the translations of "
            "what you changed stay current."
        ),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A merge that accepts a suggestion (the conflict screen of accepting one): saving it
    # records the suggestion as accepted, with these words.
    suggestion = forms.IntegerField(widget=forms.HiddenInput, required=False)
    suggestion_words = TextField(
        widget=forms.HiddenInput, required=False, strip=False, validators=[validate_body_size]
    )


class ConflictSidesForm(forms.Form):
    """What the conflict screen's merge form carries besides the merge: the person's own
    text, so that a refused save of the merge shows both sides again."""

    resolving = forms.BooleanField(required=False, widget=forms.HiddenInput)
    yours_title = TextField(required=False, max_length=300, widget=forms.HiddenInput)
    yours_summary = TextField(
        required=False, strip=False, widget=forms.HiddenInput, validators=[validate_body_size]
    )
    yours_body = TextField(
        required=False, strip=False, widget=forms.HiddenInput, validators=[validate_body_size]
    )


class PreviewForm(forms.Form):
    body = TextField(required=False, strip=False, validators=[validate_body_size])


class RankingForm(forms.Form):
    """One number field per recommendation; lower numbers rank first, blank means unranked."""

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        for recommendation in self.recommendations:
            self.fields[f"rank-{recommendation.pk}"] = forms.IntegerField(
                label=str(recommendation),
                min_value=1,
                max_value=1000,
                required=False,
                initial=recommendation.rank,
                # Named "Rank" (the column) and the recommendation: "Rank 1. Transparency".
                widget=forms.NumberInput(
                    attrs={"aria-labelledby": f"rank-heading rank-of-{recommendation.pk}"}
                ),
            )

    def rows(self):
        return [
            (recommendation, self[f"rank-{recommendation.pk}"])
            for recommendation in self.recommendations
        ]

    def order(self) -> list[int]:
        """Recommendation ids by the numbers given; ties keep the current order."""
        ranked = [
            (self.cleaned_data[f"rank-{recommendation.pk}"], index, recommendation.pk)
            for index, recommendation in enumerate(self.recommendations)
            if self.cleaned_data.get(f"rank-{recommendation.pk}") is not None
        ]
        return [pk for _rank, _index, pk in sorted(ranked)]
