from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from groups.models import WorkingGroup
from strategy.admin_actions import confirm, export_csv
from strategy.history_admin import HistoryAdmin

from . import selectors, services, translating
from .forms import PublishForm, WithdrawForm
from .models import (
    TEXT_FIELDS,
    Cadence,
    Comment,
    Input,
    Iteration,
    OverlapCluster,
    Recommendation,
    ReviewAssignment,
    SourceFate,
    SourceLink,
    Thread,
    Version,
    source_field,
)
from .selectors.review import OPEN_REVIEW_THREAD_Q, review_due_q
from .selectors.synthesis import FATE_LABELS, sources, synthesis_published, with_fate


@admin.register(Iteration)
class IterationAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "published_on", "position", "state", "closed_at")
    list_filter = ("state",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    # Closing goes through the service (the action below), never by editing the field.
    readonly_fields = ("state", "closed_at")
    actions = ["close"]

    @admin.action(description=_("Close the selected iterations (their sets then never change)"))
    def close(self, request, queryset):
        closed, refused = 0, []
        for iteration in queryset:
            try:
                services.iteration_close(iteration=iteration, user=request.user)
                closed += 1
            except ValidationError as error:
                refused.append(" ".join(error.messages))
        message = _("%(count)s closed.") % {"count": closed}
        if refused:
            message += " " + " ".join(refused)
        self.message_user(request, message, level=messages.SUCCESS)


class SourceLinkInline(admin.TabularInline):
    """Shown, not edited: sources are linked on the synthesis pages, which check that a
    source is a thematic group's published recommendation and record who linked it."""

    model = SourceLink
    fk_name = "synthesized"
    extra = 0
    can_delete = False
    fields = ("source_version", "note", "created_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("synthesized", "source_version__recommendation", "created_by")
        )


class RecommendationAdminForm(forms.ModelForm):
    """The source-language text, saved through the drafting service: a revision with its
    author and the reason given here, refused when someone saved since the form opened."""

    edit_summary = forms.CharField(
        label=_("Change reason"),
        max_length=300,
        help_text=_("What changed and why; it is kept in the history."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

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


def each_through_the_workflow(queryset, move) -> tuple[int, list[str]]:
    """Apply a move of the workflow to each selected recommendation; the ones its rules
    refuse are named with the reason. Returns how many moved, and the refusals."""
    moved, refused = 0, []
    for recommendation in queryset:
        try:
            move(recommendation)
            moved += 1
        except ValidationError as error:
            refused.append(f"{recommendation}: {' '.join(error.messages)}")
    return moved, refused


class FateFilter(admin.SimpleListFilter):
    """What became of a source in the synthesis, by the coverage report's rule."""

    title = _("fate in the synthesis")
    parameter_name = "fate"

    def lookups(self, request, model_admin):
        return list(FATE_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in FATE_LABELS:
            fated = with_fate(sources(), public=synthesis_published())
            return queryset.filter(pk__in=fated.filter(coverage_fate=self.value()).values("pk"))
        return queryset


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
            for language in translating.translation_languages()
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
            f"{language} {translating.status(recommendation, source, language).percent}%"
            for language in translating.translation_languages()
        )

    @admin.action(description=_("Publish the selected recommendations in an iteration"))
    def publish_in_iteration(self, request, queryset):
        def act(form):
            published, refused = each_through_the_workflow(
                queryset,
                lambda recommendation: services.recommendation_publish(
                    recommendation=recommendation,
                    user=request.user,
                    iteration=form.cleaned_data["iteration"],
                ),
            )
            message = _("%(count)s published in %(iteration)s.") % {
                "count": published,
                "iteration": form.cleaned_data["iteration"],
            }
            if refused:
                message += " " + _("Not published: %(list)s") % {"list": "; ".join(refused)}
            return message

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
            withdrawn, refused = each_through_the_workflow(
                queryset,
                lambda recommendation: services.recommendation_withdraw(
                    recommendation=recommendation,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                ),
            )
            message = _("%(count)s withdrawn.") % {"count": withdrawn}
            if refused:
                message += " " + _("Not withdrawn: %(list)s") % {"list": "; ".join(refused)}
            return message

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


class ReadOnlyAdmin(HistoryAdmin):
    """The record of work done on the site's pages, through services that check it (the
    synthesis, review threads): the admin shows it and a superuser may delete from it."""

    superuser_deletes = True
    revert_from_history = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SourceLink)
class SourceLinkAdmin(ReadOnlyAdmin):
    list_display = ("synthesized", "source_version", "created_by", "created_at")
    search_fields = ("synthesized__title", "note")
    list_select_related = ("synthesized", "source_version__recommendation", "created_by")


@admin.register(SourceFate)
class SourceFateAdmin(ReadOnlyAdmin):
    list_display = ("source", "fate", "decided_by", "decided_at")
    list_filter = ("fate",)
    search_fields = ("source__title", "reason")
    list_select_related = ("source", "decided_by")


@admin.register(OverlapCluster)
class OverlapClusterAdmin(admin.ModelAdmin):
    """Overlaps are mapped on the synthesis pages (two recommendations or more, with a
    note); here the note may be corrected."""

    list_display = ("__str__", "created_by", "created_at")
    search_fields = ("note",)
    readonly_fields = ("members", "created_by", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(Input)
class InputAdmin(admin.ModelAdmin):
    """Inputs are attached on the synthesis pages (to one recommendation or more); here
    their description may be corrected."""

    list_display = ("title", "kind", "dated", "source", "created_by")
    list_filter = ("kind",)
    search_fields = ("title", "text", "source")
    readonly_fields = ("recommendations", "created_by", "created_at")

    def has_add_permission(self, request):
        return False


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("soon", _("Due within 7 days"))]

    def queryset(self, request, queryset):
        if self.value() in ("overdue", "soon"):
            return queryset.filter(review_due_q(when=self.value(), today=timezone.localdate()))
        return queryset


class OpenReviewFilter(admin.SimpleListFilter):
    """The open review threads (not community feedback): the dashboard's figure."""

    title = _("open review threads")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("review", _("Open review threads"))]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(OPEN_REVIEW_THREAD_Q)
        return queryset


class GroupFilter(admin.SimpleListFilter):
    """By the working group of the recommendation concerned."""

    title = _("working group")
    parameter_name = "group"
    path = "version__recommendation__working_group"

    def lookups(self, request, model_admin):
        return [(str(group.pk), group.name) for group in WorkingGroup.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.path}_id": self.value()})
        return queryset


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    """Assignments are made by "Assign reviewers" on versions (which tells the reviewer)
    and answered by the reviewer; here their date, brief and cadence may be changed."""

    list_display = ("reviewer", "version", "due_on", "status", "cadence", "assigned_by")
    list_filter = (DueFilter, GroupFilter, "status", "cadence")
    search_fields = (
        "reviewer__username",
        "reviewer__first_name",
        "reviewer__last_name",
        "version__name",
    )
    list_select_related = ("reviewer", "version__recommendation", "assigned_by")
    readonly_fields = (
        "version",
        "reviewer",
        "assigned_by",
        "status",
        "decline_reason",
        "created_at",
        "responded_at",
        "completed_at",
        "previous",
    )
    fields = (*readonly_fields[:3], "due_on", "brief", "cadence", *readonly_fields[3:])
    date_hierarchy = "due_on"
    actions = [export_csv]

    def has_add_permission(self, request):
        return False


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    """Threads are resolved and reopened on their page, with an outcome."""

    list_display = ("__str__", "public", "status", "outcome", "quote", "last_activity_at")
    list_filter = (GroupFilter, OpenReviewFilter, "status", "outcome", "public")
    search_fields = ("quote", "outcome_note")
    list_select_related = ("version__recommendation",)
    actions = [export_csv]


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(label=_("Reviewers"), queryset=None)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)
    brief = forms.CharField(label=_("Brief"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from groups.models import Membership, Role

        super().__init__(*args, **kwargs)
        reviewers = Membership.objects.active().filter(role=Role.REVIEWER).values("user_id")
        self.fields["reviewers"].queryset = get_user_model().objects.filter(pk__in=reviewers)


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "kind",
        "iteration",
        "created_at",
        "created_by",
        "open_to_all_reviewers",
    )
    list_filter = ("kind", "iteration", "recommendation__working_group")
    search_fields = ("name", "recommendation__title")
    list_select_related = ("recommendation", "iteration", "created_by")
    readonly_fields = (
        "recommendation",
        "revision",
        "kind",
        "iteration",
        "name",
        "created_at",
        "created_by",
    )
    fields = (*readonly_fields, "open_to_all_reviewers")
    actions = ["assign_reviewers", export_csv]

    def has_add_permission(self, request):
        # Versions are frozen by the workflow (submit for review, publish), never by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        # A version is what was published or reviewed, with its threads: a superuser's call.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.action(description=_("Assign reviewers with a due date"))
    def assign_reviewers(self, request, queryset):
        def act(form):
            created = 0
            for version in queryset:
                for reviewer in form.cleaned_data["reviewers"]:
                    services.assignment_create(
                        version=version,
                        reviewer=reviewer,
                        assigned_by=request.user,
                        due_on=form.cleaned_data["due_on"],
                        brief=form.cleaned_data["brief"],
                        cadence=form.cleaned_data["cadence"],
                    )
                    created += 1
            return _("%(count)s review assignments created.") % {"count": created}

        return confirm(
            self,
            request,
            queryset,
            form=AssignReviewersForm,
            title=_("Assign reviewers"),
            action="assign_reviewers",
            button=_("Assign"),
            act=act,
        )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why they are hidden"), widget=forms.Textarea)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    """Comments are written and edited by their authors; moderators hide them, with a
    reason, here or on the feedback pages, through the same service."""

    list_display = ("__str__", "author", "thread", "created_at", "edited_at", "hidden_reason")
    list_filter = ("thread__public", ("hidden_reason", admin.EmptyFieldListFilter))
    search_fields = ("body", "author__username", "hidden_reason")
    list_select_related = ("author", "thread__version__recommendation")
    date_hierarchy = "created_at"
    actions = ["hide", "unhide", export_csv]

    @admin.action(description=_("Hide the selected comments"), permissions=["view"])
    def hide(self, request, queryset):
        def act(form):
            for comment in queryset:
                services.comment_hide(
                    comment=comment, user=request.user, reason=form.cleaned_data["reason"]
                )
            return _("%(count)s comments hidden.") % {"count": len(queryset)}

        return confirm(
            self,
            request,
            queryset,
            form=HideForm,
            title=_("Hide comments"),
            action="hide",
            button=_("Hide"),
            act=act,
        )

    @admin.action(description=_("Show the selected comments again"), permissions=["view"])
    def unhide(self, request, queryset):
        for comment in queryset:
            services.comment_unhide(comment=comment, user=request.user)
        self.message_user(request, _("%(count)s comments shown again.") % {"count": len(queryset)})
