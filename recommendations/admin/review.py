"""Review in the admin: iterations, versions, assignments and threads."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from groups.models import WorkingGroup
from recommendations import services
from recommendations.forms.review import AssignmentTermsForm
from recommendations.models import (
    Iteration,
    ReviewAssignment,
    Thread,
    Version,
)
from recommendations.selectors import review as review_selectors
from recommendations.selectors.review import (
    OPEN_REVIEW_THREAD_Q,
    review_due_q,
    reviewers_assignable,
)
from strategy.admin.actions import confirm, export_csv
from strategy.admin.history import HistoryAdmin

from .base import ReadOnlyAdmin


@admin.register(Iteration)
class IterationAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ("name", "published_on", "position", "state", "closed_at")
    list_filter = ("state",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
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


class DueFilter(admin.SimpleListFilter):
    title = _("due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        days = review_selectors.DUE_SOON_DAYS
        soon = ngettext("Due within %(days)d day", "Due within %(days)d days", days)
        soon %= {"days": days}
        return [("overdue", _("Overdue")), ("soon", soon)]

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


class AssignReviewersForm(AssignmentTermsForm):
    reviewers = forms.ModelMultipleChoiceField(label=_("Reviewers"), queryset=None)
    field_order = ["reviewers", "due_on", "cadence", "brief"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers_assignable()


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
