"""Recommendations in the admin: their text (with the edit-conflict check), workflow
actions, translations and sources."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from recommendations import selectors, services
from recommendations.forms.review import PublishForm, WithdrawForm
from recommendations.models import (
    TEXT_FIELDS,
    Recommendation,
    source_field,
)
from recommendations.text import translation_units
from strategy.admin.actions import confirm, export_csv
from strategy.admin.history import HistoryAdmin

from .synthesis import FateFilter, SourceLinkInline


class RecommendationAdminForm(forms.ModelForm):
    """The source-language text, saved through the drafting service: a revision with its
    author and the reason given here, refused when someone saved since the form opened."""

    edit_summary = forms.CharField(
        label=_("Change reason"),
        max_length=300,
        help_text=_("What changed and why; it is kept in the history."),
    )
    base_revision = forms.IntegerField(
        label=_("base revision"), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A person who may only look gets a form without fields.
        if source_field("title") in self.fields:
            self.fields[source_field("title")].required = True
        if "number" in self.fields:
            self.fields["number"].required = False
            self.fields["number"].help_text = _("Leave empty for the group's next number.")
        if self.instance.pk is not None and "base_revision" in self.fields:
            latest = selectors.revision_latest(recommendation=self.instance)
            self.fields["base_revision"].initial = latest.history_id if latest else None

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(source_field(name)) or "" for name in TEXT_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.errors:
            conflict = services.edit_conflict(
                recommendation=self.instance,
                base_revision=cleaned.get("base_revision"),
                yours=self.text(),
            )
            if conflict is not None:
                raise ValidationError(EDIT_CONFLICT, code="edit_conflict")
        return cleaned


EDIT_CONFLICT = _(
    "Someone saved this recommendation after you opened this form, so your edit was not "
    "saved. Copy your text, reload the page and make your edit again."
)

# What the workflow writes (publishing, ranking, translating): read-only here.
WORKFLOW_FIELDS = (
    "working_group",
    "number",
    "state",
    "rank",
    "last_published_in",
    "published_version",
    "created_at",
    "updated_at",
    "updated_by",
)


def each_through_the_workflow(queryset, move, *, done, not_done, **values) -> str:
    """Apply a move of the workflow to each selected recommendation; the ones its rules
    refuse are named with the reason. Returns what to tell: `done` with how many moved
    (`count`) and `values`, then `not_done` with the refusals (`list`) if there are any."""
    moved, refused = 0, []
    for recommendation in queryset:
        try:
            move(recommendation)
            moved += 1
        except ValidationError as error:
            refused.append(f"{recommendation}: {' '.join(error.messages)}")
    message = done % {"count": moved, **values}
    if refused:
        message += " " + not_done % {"list": "; ".join(refused)}
    return message


@admin.register(Recommendation)
class RecommendationAdmin(HistoryAdmin):
    """Text edits become revisions through the drafting service; states change only
    through the workflow (the publish action here, the pages of the site); translations
    are made on the translation page, which records what each was made from."""

    form = RecommendationAdminForm
    list_display = (
        "__str__",
        "working_group",
        "state",
        "rank",
        "last_published_in",
        "updated_at",
        "updated_by",
        "translations",
    )
    list_filter = ("state", FateFilter, "working_group", "last_published_in")
    search_fields = ("title", "summary", "body", "number")
    list_select_related = (
        "working_group",
        "last_published_in",
        "updated_by",
        "published_version__revision",
    )
    autocomplete_fields = ("working_group",)
    date_hierarchy = "updated_at"
    inlines = (SourceLinkInline,)
    actions = ["publish_in_iteration", "withdraw", export_csv]
    superuser_deletes = True
    revert_from_history = False

    @staticmethod
    def _text_fields() -> list[str]:
        return [source_field(name) for name in TEXT_FIELDS]

    @staticmethod
    def _translated_fields() -> list[str]:
        from modeltranslation.utils import build_localized_fieldname

        return [
            build_localized_fieldname(name, language)
            for language in translation_units.translation_languages()
            for name in TEXT_FIELDS
        ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["working_group", "number", *self._text_fields()]}),
                (None, {"fields": ["edit_summary"]}),
            ]
        # The reason and the base revision are the form's, not the model's: a person who
        # may only look at the recommendation has no form.
        editing = (
            ["edit_summary", "base_revision"] if self.has_change_permission(request, obj) else []
        )
        return [
            (None, {"fields": [*self._text_fields(), *editing]}),
            (_("The workflow"), {"fields": list(WORKFLOW_FIELDS)}),
            (
                _("Translations"),
                {
                    "fields": [*self._translated_fields(), "translation_sources"],
                    "classes": ["collapse"],
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*WORKFLOW_FIELDS, *self._translated_fields(), "translation_sources")

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.recommendation_update(
                recommendation=obj,
                user=request.user,
                base_revision=form.cleaned_data["base_revision"],
                edit_summary=form.cleaned_data["edit_summary"],
                **form.text(),
            )
        else:
            saved = services.recommendation_create(
                working_group=form.cleaned_data["working_group"],
                number=form.cleaned_data["number"] or None,
                user=request.user,
                edit_summary=form.cleaned_data["edit_summary"],
                **form.text(),
            )
        # The admin goes on to log and link the object the service saved.
        obj.pk = saved.pk

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.EditConflict:
            # Someone saved between this form's check and the service's lock.
            self.message_user(request, EDIT_CONFLICT, level=messages.ERROR)
            return HttpResponseRedirect(request.path)

    @admin.display(description=_("translated"))
    def translations(self, recommendation):
        """How complete each language is, against the published text."""
        if recommendation.published_version is None:
            return "-"
        source = services.source_text(recommendation.published_version.revision)
        return " · ".join(
            f"{language} {translation_units.status(recommendation, source, language).percent}%"
            for language in translation_units.translation_languages()
        )

    @admin.action(description=_("Publish the selected recommendations in an iteration"))
    def publish_in_iteration(self, request, queryset):
        def act(form):
            iteration = form.cleaned_data["iteration"]
            return each_through_the_workflow(
                queryset,
                lambda recommendation: services.recommendation_publish(
                    recommendation=recommendation, user=request.user, iteration=iteration
                ),
                done=_("%(count)s published in %(iteration)s."),
                not_done=_("Not published: %(list)s"),
                iteration=iteration,
            )

        return confirm(
            self,
            request,
            queryset,
            form=PublishForm,
            title=_("Publish in an iteration"),
            action="publish_in_iteration",
            button=_("Publish"),
            act=act,
        )

    @admin.action(description=_("Withdraw the selected recommendations"))
    def withdraw(self, request, queryset):
        def act(form):
            return each_through_the_workflow(
                queryset,
                lambda recommendation: services.recommendation_withdraw(
                    recommendation=recommendation,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                ),
                done=_("%(count)s withdrawn."),
                not_done=_("Not withdrawn: %(list)s"),
            )

        return confirm(
            self,
            request,
            queryset,
            form=WithdrawForm,
            title=_("Withdraw"),
            action="withdraw",
            button=_("Withdraw"),
            act=act,
        )
