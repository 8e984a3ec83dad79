"""Synthesis forms: a source of a synthesized recommendation, overlaps, inputs, a source's
fate."""

from itertools import groupby

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy

from recommendations.models import Input, SourceFate, source_field
from recommendations.selectors import synthesis as selectors
from recommendations.validators import validate_body_size
from strategy.widgets import DayInput, SearchableSelectMultiple

TITLE = source_field("title")


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, version):
        recommendation = version.recommendation
        return (
            f"{recommendation.working_group.name} {recommendation.number}. "
            f"{getattr(version.revision, TITLE)} ({version.iteration.name})"
        )


class Listed(ModelChoiceIterator):
    """The choices of a model choice field's select, drawn from `objects` (a list) rather
    than from the field's queryset, which stays what a posted value is checked against."""

    def __init__(self, field, objects):
        super().__init__(field)
        self.objects = objects

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.objects) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.objects)


class SourceLinkForm(forms.Form):
    """A source to link. Its select lists at most LISTED published iterations (all of them
    at the reference size); beyond that, those matching `search` (the page's search box,
    searched by the database), and `more` says that there are others to search for."""

    LISTED = 200

    source_version = VersionChoice(label=gettext_lazy("Source, as published"), queryset=None)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What was taken, merged, or left out, and why."),
    )

    def __init__(self, *args, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source_version"]
        field.queryset = selectors.published_sources()
        # What was posted stays chosen when the form comes back with an error.
        chosen = str(self.data.get(self.add_prefix("source_version"), ""))
        listed, self.more = selectors.published_sources_listed(
            search=search, limit=self.LISTED, chosen=int(chosen) if chosen.isdigit() else None
        )
        field.widget.choices = Listed(field, listed)


class ByGroup(ModelChoiceIterator):
    """The choices in one <optgroup> per working group, in the queryset's order (which
    keeps each group's recommendations together)."""

    def __iter__(self):
        for group, members in groupby(self.queryset, key=lambda r: r.working_group):
            yield (group.name, [self.choice(member) for member in members])


class SourceChoice(forms.ModelMultipleChoiceField):
    """Recommendations by the title the person may read (see reading.with_title_for),
    grouped by working group, in a select that can be searched."""

    iterator = ByGroup
    widget = SearchableSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Hold Ctrl (Cmd on a Mac) and click to choose more than one."),
        )
        super().__init__(None, **kwargs)

    def label_from_instance(self, recommendation):
        return f"{recommendation.number}. {recommendation.shown_title}"


class OverlapForm(forms.Form):
    members = SourceChoice(label=gettext_lazy("Recommendations that overlap"))
    note = forms.CharField(
        label=gettext_lazy("How they overlap"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = selectors.overlap_candidates(user=user)


class InputForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Input.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    text = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_body_size],
    )
    link = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
    dated = forms.DateField(label=gettext_lazy("Date"), required=False, widget=DayInput())
    source = forms.CharField(label=gettext_lazy("Source"), required=False, max_length=300)
    recommendations = SourceChoice(label=gettext_lazy("Recommendations it concerns"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the connector may read: another id posted is not a valid choice.
        self.fields["recommendations"].queryset = selectors.input_targets(user=user)


class FateForm(forms.Form):
    fate = forms.ChoiceField(
        label=gettext_lazy("Fate"),
        choices=[("", gettext_lazy("Decided by its links")), *list(SourceFate.Fate.choices)],
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason, or where it went"), required=False, max_length=2000
    )


class SourceNoteForm(forms.Form):
    """A source link's note, and (hidden) a digest of the note the writer started from, so
    that a note someone else changed meanwhile is not overwritten unseen."""

    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What was taken, merged, or left out, and why."),
    )
    base = forms.CharField(widget=forms.HiddenInput, required=False)
