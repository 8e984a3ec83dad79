from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from groups.models import WorkingGroup
from strategy.admin_actions import confirm, export_csv

from . import services, translating
from .forms import PublishForm
from .models import (
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
)


@admin.register(Iteration)
class IterationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "published_on", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


class SourceLinkInline(admin.TabularInline):
    model = SourceLink
    fk_name = "synthesized"
    extra = 0
    raw_id_fields = ("source_version",)
    readonly_fields = ("created_by", "created_at")


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
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
    list_filter = ("state", "working_group", "last_published_in")
    search_fields = ("title", "summary", "body", "number")
    list_select_related = (
        "working_group",
        "last_published_in",
        "updated_by",
        "published_version__revision",
    )
    autocomplete_fields = ("working_group",)
    readonly_fields = ("created_at", "updated_at", "updated_by", "published_version")
    date_hierarchy = "updated_at"
    inlines = (SourceLinkInline,)
    actions = ["publish_in_iteration", export_csv]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

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
            published, refused = 0, []
            for recommendation in queryset:
                try:
                    services.recommendation_publish(
                        recommendation=recommendation,
                        user=request.user,
                        iteration=form.cleaned_data["iteration"],
                    )
                    published += 1
                except ValidationError as error:
                    refused.append(f"{recommendation}: {' '.join(error.messages)}")
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


@admin.register(SourceLink)
class SourceLinkAdmin(SimpleHistoryAdmin):
    list_display = ("synthesized", "source_version", "created_by", "created_at")
    search_fields = ("synthesized__title", "note")
    list_select_related = ("synthesized", "source_version__recommendation")
    raw_id_fields = ("synthesized", "source_version")


@admin.register(SourceFate)
class SourceFateAdmin(SimpleHistoryAdmin):
    list_display = ("source", "fate", "decided_by", "decided_at")
    list_filter = ("fate",)
    search_fields = ("source__title", "reason")
    raw_id_fields = ("source",)


@admin.register(OverlapCluster)
class OverlapClusterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_by", "created_at")
    search_fields = ("note",)
    filter_horizontal = ("members",)


@admin.register(Input)
class InputAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "dated", "source", "created_by")
    list_filter = ("kind",)
    search_fields = ("title", "text", "source")
    filter_horizontal = ("recommendations",)


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("soon", _("Due within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_ = queryset.filter(status__in=["pending", "accepted"])
        if self.value() == "overdue":
            return open_.filter(due_on__lt=today)
        if self.value() == "soon":
            return open_.filter(due_on__gte=today, due_on__lte=today + timedelta(days=7))
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
    list_display = ("reviewer", "version", "due_on", "status", "cadence", "assigned_by")
    list_filter = (DueFilter, GroupFilter, "status", "cadence")
    search_fields = (
        "reviewer__username",
        "reviewer__first_name",
        "reviewer__last_name",
        "version__name",
    )
    list_select_related = ("reviewer", "version__recommendation", "assigned_by")
    autocomplete_fields = ("reviewer",)
    raw_id_fields = ("version", "previous")
    date_hierarchy = "due_on"
    actions = [export_csv]


@admin.register(Thread)
class ThreadAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "public", "status", "outcome", "quote", "last_activity_at")
    list_filter = (GroupFilter, "status", "outcome", "public")
    search_fields = ("quote", "outcome_note")
    list_select_related = ("version__recommendation",)
    raw_id_fields = ("version", "outcome_revision")
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


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "author", "thread", "created_at", "edited_at", "hidden_reason")
    list_filter = ("thread__public", ("hidden_reason", admin.EmptyFieldListFilter))
    search_fields = ("body", "author__username", "hidden_reason")
    list_select_related = ("author", "thread__version__recommendation")
    raw_id_fields = ("thread",)
    autocomplete_fields = ("author",)
    date_hierarchy = "created_at"
    actions = [export_csv]
