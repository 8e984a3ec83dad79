"""Review forms: the workflow (submit, publish, withdraw), assignments, comment threads and
how a thread is resolved."""

from datetime import timedelta

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from recommendations.validators import validate_body_size
from strategy.dates import moment
from strategy.widgets import DayInput

from .fields import TextField


class SubmitForReviewForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the snapshot"),
        max_length=200,
        help_text=_('For example "Review 1, October 2019".'),
    )
    open_to_all_reviewers = forms.BooleanField(
        label=_("Open to every reviewer, not only those assigned"), required=False
    )


class PublishForm(forms.Form):
    iteration = forms.ModelChoiceField(
        label=_("Iteration"),
        queryset=None,
        help_text=_("Open iterations only: a closed iteration accepts nothing more."),
    )
    # Set by the confirmation step, which asks first when the review is unfinished.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from recommendations.models import Iteration
        from recommendations.selectors import iterations_open

        super().__init__(*args, **kwargs)
        # Offered: the open iterations. Accepted: any, so that a closed one (from a form
        # opened before it closed) reaches the publishing service, which refuses it saying
        # why; the rule is written there once.
        field = self.fields["iteration"]
        field.queryset = Iteration.objects.all()
        field.choices = lambda: [
            ("", field.empty_label),
            *((iteration.pk, iteration.name) for iteration in iterations_open()),
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=1000)


def review_due_by_default():
    """The due date a new assignment is offered: ReviewAssignment.DUE_IN_DAYS from today."""
    from django.utils import timezone

    from recommendations.models import ReviewAssignment

    return timezone.localdate() + timedelta(days=ReviewAssignment.DUE_IN_DAYS)


def validate_not_past(value):
    from django.utils import timezone

    if value < timezone.localdate():
        raise forms.ValidationError(_("The due date is in the past."), code="past")


def due_on_field() -> forms.DateField:
    """The due date of a review, as every form that asks for one asks for it."""
    return forms.DateField(
        label=_("Due on"),
        initial=review_due_by_default,
        validators=[validate_not_past],
        widget=DayInput(),
    )


class AssignmentTermsForm(forms.Form):
    """What an assignment says besides who reviews: shared by the working page's form (one
    reviewer) and the admin's (several)."""

    due_on = due_on_field()
    cadence = forms.ChoiceField(label=_("Cadence"), choices=())
    brief = forms.CharField(
        label=_("Brief"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What to look at, in a few lines (optional)."),
    )

    def __init__(self, *args, **kwargs):
        from recommendations.models import Cadence

        super().__init__(*args, **kwargs)
        self.fields["cadence"].choices = Cadence.choices


class AssignmentForm(AssignmentTermsForm):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)
    field_order = ["reviewer", "due_on", "cadence", "brief"]

    def __init__(self, *args, **kwargs):
        from recommendations.selectors.review import reviewers_assignable

        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers_assignable()


class RereviewForm(forms.Form):
    """Ask the previous snapshot's reviewers again: only when it is due."""

    due_on = due_on_field()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you decline"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = TextField(
        label=_("Comment"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_body_size],
        help_text=_(
            "Write @ and someone's username to mention them: they are told, if they may read this."
        ),
    )


class ThreadForm(CommentForm):
    quote = TextField(
        label=_("Quoted passage"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "data-quote": "1"}),
        help_text=_(
            "Select words in the text to quote them here, or paste them. Leave empty to "
            "comment on the version as a whole."
        ),
    )
    near = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    field_order = ["quote", "body", "near"]


def _revision_label(row) -> SafeString:
    """A revision as the triage form lists it: number, author, time, and where the reader
    may see them its summary and the words it changed."""
    when = moment(row.history_date)
    author = row.history_user.display_name if row.history_user else "-"
    heading = _("#%(number)s · %(author)s · %(when)s") % {
        "number": row.revision_number,
        "author": author,
        "when": when,
    }
    changes = format_html_join(" ", "<{0}>{1}</{0}>", row.preview)
    return format_html(
        '{}{} <span class="diff-preview" dir="auto">{}{}</span>',
        heading,
        format_html(' — <span dir="auto">{}</span>', row.history_change_reason)
        if row.history_change_reason
        else "",
        changes,
        "…" if row.preview_cut else "",
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What became of it"), choices=(), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The answer, or why it was declined (required when declined)."),
    )
    # A choice of the revisions since the feedback (selectors.outcome_revisions), not a
    # number to type: connectors do not read the history of a thematic group's text.
    revision = forms.ChoiceField(
        label=_("Revision that incorporated it"),
        required=False,
        choices=(),
        widget=forms.RadioSelect,
        help_text=_("Required when incorporated."),
    )

    def __init__(self, *args, revisions=(), **kwargs):
        from recommendations.models import Thread

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Thread.Outcome.choices
        self.revisions = {str(row.history_id): row for row in revisions}
        self.fields["revision"].choices = [
            (key, _revision_label(row)) for key, row in self.revisions.items()
        ]
        if not self.revisions:
            self.fields["revision"].help_text = _(
                "No revision since this feedback was given: edit the recommendation first."
            )

    def clean_revision(self):
        """The chosen revision (one of those offered, so of this recommendation), or None."""
        return self.revisions.get(self.cleaned_data["revision"])

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome in ("declined", "out_of_scope") and not cleaned.get("note", "").strip():
            self.add_error("note", forms.ValidationError(_("Say why."), code="reason_required"))
        if outcome == "incorporated" and not cleaned.get("revision"):
            self.add_error(
                "revision",
                forms.ValidationError(
                    _("Name the revision that incorporated it."), code="revision_required"
                ),
            )
        return cleaned
